"""Demo corporations, offices and staff (deterministic)."""

from django.contrib.auth import get_user_model

from core.demo import DEMO_PASSWORD
from offices.models import Corporation, CorporationManager, Membership, Office, Role

CORPORATIONS = [
    # key, number, name, type
    ("aoba", "1011101000001", "社会福祉法人あおば福祉会", "social_welfare"),
    ("midori", "2011001000002", "株式会社みどりワークス", "for_profit"),
    ("hikari", "3011105000003", "特定非営利活動法人ひかりの森", "npo"),
    ("sakura", "", "医療法人さくら会", "medical"),
]

OFFICES = [
    # number, name, corporation, prefecture, municipality, service types, uses system
    ("1310100001", "あおば就労定着支援センター新宿", "aoba", "13", "新宿区", ["retention_support"], True),
    ("1310100002", "あおば就労移行支援事業所新宿", "aoba", "13", "新宿区", ["transition_support"], False),
    ("1410100003", "あおば就労定着支援センター横浜", "aoba", "14", "横浜市", ["retention_support", "transition_support"], True),
    ("2710200004", "みどりワークス定着支援大阪", "midori", "27", "大阪市", ["retention_support"], True),
    ("2710200005", "みどりワークス就労移行大阪", "midori", "27", "大阪市", ["transition_support"], False),
    ("0110300006", "ひかりの森就労定着支援札幌", "hikari", "01", "札幌市", ["retention_support", "continuous_b"], True),
    ("0110300007", "ひかりの森就労継続支援B型", "hikari", "01", "札幌市", ["continuous_b"], False),
    ("1310400008", "さくら相談支援センター", "sakura", "13", "世田谷区", ["consultation_support"], False),
    ("2710400009", "大阪市中央障害者就業・生活支援センター", "sakura", "27", "大阪市", ["employment_life_center", "consultation_support"], False),
    ("1310400010", "さくらクリニック自立訓練", "sakura", "13", "世田谷区", ["independence_training"], False),
]  # fmt: skip

STAFF = [
    # username, family, given, office, role
    ("demo-manager", "佐藤", "花子", "1310100001", Role.OFFICE_MANAGER),
    ("demo-sabikan", "鈴木", "一郎", "1310100001", Role.SERVICE_MANAGER),
    ("demo-staff", "高橋", "美咲", "1310100001", Role.SUPPORT_STAFF),
    ("demo-staff2", "田中", "健太", "1310100001", Role.SUPPORT_STAFF),
    ("demo-yokohama", "伊藤", "直子", "1410100003", Role.OFFICE_MANAGER),
    ("demo-yokohama-staff", "渡辺", "翔", "1410100003", Role.SUPPORT_STAFF),
    ("demo-osaka", "山本", "誠", "2710200004", Role.OFFICE_MANAGER),
    ("demo-osaka-staff", "中村", "優子", "2710200004", Role.SUPPORT_STAFF),
    ("demo-sapporo", "小林", "拓也", "0110300006", Role.SERVICE_MANAGER),
    ("demo-sapporo-staff", "加藤", "恵", "0110300006", Role.SUPPORT_STAFF),
]


def already_seeded():
    """Demo data (or real data) is present: seeding again would mix with it."""
    return Office.objects.exists()


def seed(ctx):
    User = get_user_model()
    for key, number, name, ctype in CORPORATIONS:
        ctx.corporations[key] = Corporation.objects.create(
            corporation_number=number, name=name, corporation_type=ctype
        )
    for number, name, corp, pref, city, services, uses in OFFICES:
        ctx.offices[number] = Office.objects.create(
            office_number=number,
            name=name,
            corporation=ctx.corporations[corp],
            prefecture_code=pref,
            municipality=city,
            service_types=services,
            uses_system=uses,
        )
    for username, family, given, office, role in STAFF:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            last_name=family,
            first_name=given,
            email=f"{username}@example.jp",
        )
        Membership.objects.create(user=user, office=ctx.offices[office], role=role)
        ctx.users[username] = user
    head = User.objects.create_user(
        username="demo-honbu", password=DEMO_PASSWORD, last_name="木村", first_name="聡",
        email="demo-honbu@example.jp",
    )  # fmt: skip
    CorporationManager.objects.create(user=head, corporation=ctx.corporations["aoba"])
    ctx.users["demo-honbu"] = head
    admin = User.objects.create_superuser(
        username="demo-admin", password=DEMO_PASSWORD, email="demo-admin@example.jp"
    )
    ctx.users["demo-admin"] = admin


def login_roles(user):
    roles = [
        (m.get_role_display(), m.office.name)
        for m in Membership.objects.filter(user=user).select_related("office")
    ]
    roles += [
        (CorporationManager._meta.verbose_name, c.corporation.name)
        for c in CorporationManager.objects.filter(user=user).select_related("corporation")
    ]
    return roles
