"""Demo clients with realistic employment histories (deterministic: ``ctx.rng``, ``ctx.today``).

Each office that uses the system gets its own story, so that the dashboards differ: Shinjuku
improves year by year, Yokohama slips, Osaka has a bad FY2022 and a worse FY2024, and Sapporo is
a young office whose rate falls (short history caveat). The non-system offices serve as referral offices (own or other
corporation) and consultation-support offices, so own-org / other-org / unknown origins and
self / consultation plans all occur.
"""

import datetime as dt

from django.core.management import call_command

from clients import retention
from clients.models import Client, Employer, Employment, FeeTable
from core import calendar
from offices.models import Membership

FAMILY_NAMES = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("髙橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
    ("山﨑", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
]
GIVEN_NAMES = [
    ("翔太", "ショウタ"),
    ("陽菜", "ヒナ"),
    ("大輔", "ダイスケ"),
    ("美咲", "ミサキ"),
    ("拓海", "タクミ"),
    ("結衣", "ユイ"),
    ("健一", "ケンイチ"),
    ("彩", "アヤ"),
    ("直樹", "ナオキ"),
    ("真由美", "マユミ"),
    ("亮", "リョウ"),
    ("さくら", "サクラ"),
    ("誠", "マコト"),
    ("愛", "アイ"),
    ("浩二", "コウジ"),
    ("優花", "ユウカ"),
    ("悠斗", "ユウト"),
    ("千尋", "チヒロ"),
    ("航", "ワタル"),
    ("奈々", "ナナ"),
]
JOBS = [
    ("データ入力", 30),
    ("軽作業（倉庫）", 20),
    ("清掃", 25),
    ("事務補助", 30),
    ("調理補助", 20),
    ("品出し", 25),
    ("郵便仕分け", 30),
    ("ピッキング", 35),
    ("介護補助", 20),
    ("農作業", 30),
]
SPECIALISTS = ["中島 由美", "石川 聡", "前田 佳代", "岡田 勝", "長谷川 恵子"]
END_REASONS = {
    "limit": "3年経過によるサービス終了",
    "separated": "離職によりサービス終了",
}
SEPARATION_REASONS = ["personal", "health", "company", "contract_end", "personal", "health"]

OFFICE_STORIES = {
    # office → employers, referral offices (own corporation, other corporations), consultation
    # offices, first service start, number of clients, separation odds by service-start year.
    "1310100001": {
        "employers": [
            "株式会社新宿ロジスティクス",
            "東京データサービス株式会社",
            "株式会社西新宿フーズ",
            "都庁前クリーンサービス",
            "株式会社メトロ事務センター",
            "新宿ホテル株式会社",
        ],
        "own": ["1310100002"],
        "other": ["1310400010", "2710200005"],
        "consultation": ["1310400008"],
        "first_start": dt.date(2019, 4, 1),
        "clients": 26,
        "odds": {
            2019: 0.8,
            2020: 0.7,
            2021: 0.6,
            2022: 0.35,
            2023: 0.15,
            2024: 0.05,
            2025: 0.05,
            2026: 0.05,
        },
    },
    "1410100003": {
        "employers": [
            "横浜港湾物流株式会社",
            "株式会社みなとみらい事務",
            "神奈川グリーンファーム",
            "株式会社関内ベーカリー",
            "横浜市内介護サービス株式会社",
        ],
        "own": ["1310100002"],
        "other": ["0110300007", "1310400010"],
        "consultation": ["1310400008"],
        "first_start": dt.date(2019, 7, 1),
        "clients": 20,
        "odds": {
            2019: 0.05,
            2020: 0.05,
            2021: 0.05,
            2022: 0.15,
            2023: 0.35,
            2024: 0.6,
            2025: 0.5,
            2026: 0.3,
        },
    },
    "2710200004": {
        "employers": [
            "大阪中央運輸株式会社",
            "株式会社なにわ食品",
            "梅田オフィスサポート株式会社",
            "株式会社堺クリーン",
            "難波リテール株式会社",
        ],
        "own": ["2710200005"],
        "other": ["1310100002", "1310400010"],
        "consultation": ["2710400009"],
        "first_start": dt.date(2019, 10, 1),
        "clients": 26,
        "odds": {
            2019: 0.05,
            2020: 0.05,
            2021: 0.1,
            2022: 0.5,
            2023: 0.05,
            2024: 0.9,
            2025: 0.0,
            2026: 0.0,
        },
    },
    "0110300006": {
        "employers": [
            "札幌グリーンサービス株式会社",
            "株式会社北海道ファーム",
            "すすきの食品株式会社",
            "株式会社大通り事務センター",
        ],
        "own": ["0110300007"],
        "other": ["2710200005"],
        "consultation": ["1310400008"],
        "first_start": dt.date(2022, 6, 1),
        "clients": 12,
        "odds": {2022: 0.0, 2023: 0.1, 2024: 0.6, 2025: 0.6, 2026: 0.2},
    },
}


def _random_date(rng, start, end):
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _staff_of(office):
    return [
        m.user
        for m in Membership.objects.filter(office=office).select_related("user").order_by("pk")
    ]


def _origin_and_plan(rng, ctx, story):
    roll = rng.random()
    if roll < 0.45:
        referral = ctx.offices[rng.choice(story["own"])]
    elif roll < 0.8:
        referral = ctx.offices[rng.choice(story["other"])]
    else:
        referral = None
    if rng.random() < 0.55:
        return referral, "consultation_plan", ctx.offices[rng.choice(story["consultation"])]
    return referral, "self_plan", None


def _history(rng, *, hire, service_start, limit_end, today, odds):
    """Employment spans (start, end, supported, reason) and the service end with its reason.

    A moment in the service is drawn; whether the person leaves work then depends on how that
    fiscal year went for the office (``odds``), which is what makes the offices' rates differ.
    """
    horizon = min(limit_end, today - dt.timedelta(days=45))
    if horizon <= service_start + dt.timedelta(days=30):
        return [(hire, None, False, "")], None
    when = _random_date(rng, service_start + dt.timedelta(days=20), horizon)
    separation_odds = odds.get(calendar.fiscal_year_of(when), 0.1)
    roll = rng.random()
    if roll >= separation_odds + 0.2:
        return [(hire, None, False, "")], None
    if roll >= separation_odds:
        # A supported job change to better conditions, re-employed within the month.
        gap = rng.randint(1, 28)
        return [
            (hire, when, True, "job_change"),
            (when + dt.timedelta(days=gap), None, False, ""),
        ], None
    kind = rng.random()
    if kind < 0.15:
        # A supported change, but the new job started too late: continuity breaks.
        gap = rng.randint(40, 75)
        return [
            (hire, when, True, "job_change"),
            (when + dt.timedelta(days=gap), None, False, ""),
        ], None
    reason = rng.choice(SEPARATION_REASONS)
    if kind < 0.35:
        # Re-employed without the office's support in between: continuity breaks as well.
        gap = rng.randint(20, 90)
        return [(hire, when, False, reason), (when + dt.timedelta(days=gap), None, False, "")], None
    end = min(calendar.add_months(when, 1), limit_end)
    return [(hire, when, False, reason)], (end, END_REASONS["separated"])


def seed(ctx):
    rng, today = ctx.rng, ctx.today
    if not FeeTable.objects.exists():  # ``seed_demo --reset`` flushes the migration's tables too
        call_command("loaddata", "fee_tables", verbosity=0)
    ctx.extra["clients"] = {}
    for office_number, story in OFFICE_STORIES.items():
        office = ctx.offices[office_number]
        employers = [
            Employer.objects.create(office=office, name=name) for name in story["employers"]
        ]
        employers[0].industry, employers[0].contact_people = "物流", "人事部 田村（03-0000-0000）"
        employers[0].save()
        staff = _staff_of(office)
        clients = []
        span_days = (today - dt.timedelta(days=60) - story["first_start"]).days
        for index in range(story["clients"]):
            # Spread the service starts evenly from the office's first client to two months ago.
            offset = span_days * index // max(story["clients"] - 1, 1)
            service_start = story["first_start"] + dt.timedelta(days=offset + rng.randint(0, 20))
            service_start = min(service_start, today - dt.timedelta(days=30))
            hire = calendar.add_months(service_start, -6) - dt.timedelta(days=rng.randint(0, 40))
            limit_end = calendar.service_limit_end(service_start)
            spans, ended = _history(
                rng, hire=hire, service_start=service_start, limit_end=limit_end, today=today,
                odds=story["odds"],
            )  # fmt: skip
            if ended is None and limit_end < today:
                ended = (limit_end, END_REASONS["limit"])
            family, family_kana = rng.choice(FAMILY_NAMES)
            given, given_kana = rng.choice(GIVEN_NAMES)
            referral, plan_type, consultation = _origin_and_plan(rng, ctx, story)
            client = Client.objects.create(
                office=office,
                client_code=f"{office_number[-3:]}-{index + 1:03d}",
                family_name=family,
                given_name=given,
                family_name_kana=family_kana,
                given_name_kana=given_kana,
                birth_date=dt.date(rng.randint(1970, 2003), rng.randint(1, 12), rng.randint(1, 28)),
                disability_types=rng.choice(
                    [
                        ["mental"],
                        ["developmental"],
                        ["intellectual"],
                        ["mental", "developmental"],
                        ["physical"],
                        ["higher_brain"],
                        ["intellectual", "developmental"],
                    ]
                ),
                staff_in_charge=staff[index % len(staff)] if staff else None,
                referral_office=referral,
                plan_type=plan_type,
                consultation_office=consultation,
                consultation_specialist=rng.choice(SPECIALISTS) if consultation else "",
                service_start=service_start,
                service_end=ended[0] if ended else None,
                service_end_reason=ended[1] if ended else "",
            )
            previous = None
            for start, end, supported, reason in spans:
                job, hours = rng.choice(JOBS)
                # A new job is at another employer than the one just left.
                employer = rng.choice(employers)
                if employer == previous:
                    employer = employers[(employers.index(employer) + 1) % len(employers)]
                previous = employer
                Employment.objects.create(
                    client=client,
                    employer=employer,
                    start_date=start,
                    end_date=end,
                    separation_reason=reason,
                    supported_job_change=supported,
                    weekly_hours=hours,
                    job_title=job,
                )
            clients.append(client)
        ctx.extra["clients"][office_number] = clients
        for fiscal_year in (2024, 2025, 2026):
            result = retention.office_retention(office=office, fiscal_year=fiscal_year)
            ctx.log(
                f"  {office_number} FY{fiscal_year}: {result.retained}/{result.users} "
                f"{result.rate_percent}% → {result.tier.units if result.tier else '-'} units"
            )
