"""Demo surveys: the paper's 2024 survey rebuilt from its published figures, and an open one.

The closed 2024 survey has 307 responses whose marginals follow the paper where it gives them:
the respondent profile of section 3.1, the modal share of each challenge item (Fig.4-15), the
contact-method mentions of Table 13, the yes/no shares of Fig.17 and the coded descriptions of
Tables 14 and 15; 1,032 invitations of which 307 answered (29.4%). Where the paper gives no
figure the distribution is invented but plausible. The 2026 survey is a copy, open, with some
answers still to be coded.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core.calendar import JST
from core.demo import DEMO_PASSWORD
from surveys.definitions import survey_copy, survey_create_from_template
from surveys.models import Coding, Invitation, Response, Survey, SurveyCoordinator
from surveys.report import choose_national_reference
from surveys.responses import load_questions, write_answers

RESPONDENTS = 307

# code: (valid answers n, modal value, respondents choosing it, weights of the other values 1..7)
LIKERT_2024 = {
    "C01": (304, 7, 66, (3, 4, 6, 14, 18, 18, 0)),
    "C02": (307, 4, 110, (3, 6, 10, 0, 14, 8, 4)),
    "C03": (304, 5, 80, (2, 4, 8, 16, 0, 20, 10)),
    "C04": (306, 5, 85, (2, 4, 8, 16, 0, 20, 10)),
    "C05": (307, 4, 81, (3, 6, 12, 0, 20, 14, 8)),
    "C06": (307, 5, 81, (2, 3, 7, 18, 0, 20, 14)),
    "C07": (304, 5, 74, (2, 3, 6, 14, 0, 18, 17)),
    "C08": (304, 5, 84, (2, 3, 6, 16, 0, 18, 12)),
    "C09": (306, 4, 77, (3, 5, 8, 0, 18, 16, 14)),
    "C10": (305, 4, 95, (4, 6, 10, 0, 18, 12, 8)),
    "C11": (305, 4, 122, (4, 6, 8, 0, 16, 10, 6)),
    "C12": (305, 5, 64, (4, 6, 8, 17, 0, 16, 15)),
}
AFFILIATION = {
    "retention_support": 97, "transition_support": 143, "continuous_a": 69,
    "continuous_b": 106, "independence_training": 22, "employment_life_center": 27,
}  # fmt: skip
CORPORATION_TYPE = {"for_profit": 156, "social_welfare": 91, "npo": 38, "other": 22}
ROLE = {"support_staff": 161, "service_manager": 69, "manager": 46, "other": 9}  # 285 answered
OTHER_ORG = {"yes": 115, "no": 51, "unknown": 120}  # 286 answered: 40.2%, 17.8%
METHODS = {
    "phone": 155, "workplace_visit": 131, "email": 89, "home_visit": 44, "line_sns": 37,
    "office_interview": 23, "online_form": 5, "medical_accompaniment": 3,
    "agency_coordination": 3, "video_call": 2, "outside_meeting": 1,
}  # fmt: skip
TABLE_14 = {"collaboration": 19, "lack_of_info": 16, "trust_building": 10, "matching": 4,
            "no_precedent": 4, "other": 4, "none": 5}  # fmt: skip
TABLE_15 = {"multifaceted_quality": 35, "life_support_scope": 16, "collaboration": 12,
            "consultation_office_shortage": 5, "post_service_connection": 1,
            "no_difference": 11, "no_cases": 17}  # fmt: skip

PHRASES = {
    "other_org_challenges": {
        "collaboration": [
            "前の事業所や企業担当者との連携の取り方が難しい。",
            "利用していた事業所との情報共有の窓口が決まっていない。",
            "企業と支援機関の役割分担が曖昧になりやすい。",
        ],
        "lack_of_info": [
            "利用者さんの情報や企業担当者さんについて十分把握できていない状態で支援を始めることになる。",
            "障害特性や配慮事項の細かい部分が引き継がれない。",
            "就職までの経緯が分かりづらい。",
        ],
        "trust_building": [
            "就職後6か月を過ぎてから関係を作るので、本音を引き出すまで時間がかかる。",
            "今までの関係性がないところからの支援になる。",
            "働きながらの支援で信頼関係を築く時間が取りにくい。",
        ],
        "matching": ["職場とのマッチングの経緯が分からず、ミスマッチに気づくのが遅れる。"],
        "no_precedent": ["自法人以外からの利用の前例がない。"],
        "other": [
            "自事業所の利用者対応で手一杯で、受け入れ数を増やせない。",
            "報酬体系が手間に見合っていない。",
        ],
        "none": ["特に課題は感じていない。"],
    },
    "self_plan_differences": {
        "multifaceted_quality": [
            "相談支援専門員の違った視点からの助言があると、隠れたニーズに気づける。",
            "セルフプランだと支援の視点が事業所だけになりがち。",
            "モニタリングがなく、支援の質を確かめる機会が少ない。",
        ],
        "life_support_scope": [
            "セルフプランの方は生活面でのサポートが弱くなってしまう。",
            "家庭に何かあった際に介入できる人がいない。",
            "自宅の様子確認など就労以外の支援まで担うことになる。",
        ],
        "collaboration": ["他の支援機関との連携の窓口がなく、調整を自分たちで行う必要がある。"],
        "consultation_office_shortage": ["地域に計画相談の事業所が足りず、担当がつかない。"],
        "post_service_connection": ["利用終了後につなぐ先の資源が見つけにくい。"],
        "no_difference": ["支援内容に大きな違いはない。"],
        "no_cases": ["セルフプランの利用者の事例はない。"],
    },
}


def _distribution(n, mode, mode_count, weights):
    """Counts 1..7 summing to n: the modal value fixed, the rest by weight (largest remainder),
    each other value held a little below the mode so that the mode stays the paper's."""
    cap = mode_count - 3
    counts = {v: 0 for v in range(1, 8) if v != mode}
    open_values = {v for v in counts if weights[v - 1]}
    rest = n - mode_count
    while rest and open_values:
        total = sum(weights[v - 1] for v in open_values)
        exact = {v: rest * weights[v - 1] / total for v in open_values}
        share = {v: min(int(x), cap - counts[v]) for v, x in exact.items()}
        leftovers = rest - sum(share.values())
        for v in sorted(open_values, key=lambda v: exact[v] - int(exact[v]), reverse=True):
            if leftovers and counts[v] + share[v] < cap:
                share[v] += 1
                leftovers -= 1
        for v, k in share.items():
            counts[v] += k
        rest = n - mode_count - sum(counts.values())
        open_values = {v for v in open_values if counts[v] < cap}
    counts[mode] = mode_count
    assert sum(counts.values()) == n
    return counts


def _pick(rng, people, counts):
    """{person index: code} giving each code to exactly ``counts[code]`` random people."""
    order = list(people)
    rng.shuffle(order)
    chosen, start = {}, 0
    for code, count in counts.items():
        for person in order[start : start + count]:
            chosen[person] = code
        start += count
    return chosen


def _descriptions(rng, table, n):
    """n descriptions carrying the table's category counts (extra mentions on some)."""
    assignments = [[] for _ in range(n)]
    start = 0
    for code, count in table.items():
        for j in range(count):
            assignments[(start + j) % n].append(code)
        start = (start + count) % n
    rng.shuffle(assignments)
    return assignments


def _text(rng, question_code, categories):
    phrases = PHRASES[question_code]
    return "".join(rng.choice(phrases[c]) for c in categories)


def _responses_2024(ctx, survey, coder):
    rng = ctx.rng
    questions = load_questions(survey)
    people = range(RESPONDENTS)
    values = [{} for _ in people]
    for code, (n, mode, mode_count, weights) in LIKERT_2024.items():
        counts = _distribution(n, mode, mode_count, weights)
        for person, value in _pick(rng, people, counts).items():
            values[person][code] = value
    for code, count in AFFILIATION.items():
        for person in rng.sample(list(people), count):
            values[person].setdefault("affiliation", []).append(code)
    for person in people:
        if "affiliation" not in values[person]:
            values[person]["affiliation"] = [
                rng.choice(
                    ["consultation_support", "government", "education", "other", "life_care"]
                )
            ]
    for code, counts in (("corporation_type", CORPORATION_TYPE), ("role", ROLE),
                         ("other_org_has_challenges", OTHER_ORG)):  # fmt: skip
        for person, value in _pick(rng, people, counts).items():
            values[person][code] = value
    for code, count in METHODS.items():
        for person in rng.sample(list(people), count):
            values[person].setdefault("status_methods", []).append(code)
    categories = [{} for _ in people]
    for question_code, table, n in (("other_org_challenges", TABLE_14, 61),
                                    ("self_plan_differences", TABLE_15, 95)):  # fmt: skip
        writers = rng.sample(list(people), n)
        for person, codes in zip(writers, _descriptions(rng, table, n), strict=True):
            values[person][question_code] = _text(rng, question_code, codes)
            categories[person][question_code] = codes
    start = dt.datetime(2023, 12, 25, 9, 0, tzinfo=JST)
    for person in people:
        response = Response.objects.create(
            survey=survey,
            submitted_at=start + dt.timedelta(minutes=rng.randrange(0, 36 * 24 * 60)),
        )
        write_answers(response=response, questions=questions, values=values[person],
                      categories=categories[person])  # fmt: skip
    # The imported codes become the coordinator's verified coding.
    Coding.objects.filter(answer__response__survey=survey).update(coder=coder, verified=True)


def _invitations(survey, *, invited, answered, sent_at, prefix):
    Invitation.objects.bulk_create(
        Invitation(survey=survey, email=f"{prefix}{i:04d}@example.jp", sent_at=sent_at,
                   responded=i < answered)
        for i in range(invited)
    )  # fmt: skip


def _responses_open(ctx, survey, coder):
    rng = ctx.rng
    questions = load_questions(survey)
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=JST)
    for i in range(42):
        values = {
            "affiliation": rng.sample(list(AFFILIATION), rng.randint(1, 2)),
            "corporation_type": rng.choice(list(CORPORATION_TYPE)),
            "role": rng.choice(list(ROLE)),
            "status_methods": rng.sample(list(METHODS)[:6], rng.randint(1, 3)),
            "other_org_has_challenges": rng.choice(list(OTHER_ORG)),
        }
        for code, (_n, mode, _c, _w) in LIKERT_2024.items():
            values[code] = max(1, min(7, mode + rng.choice([-2, -1, 0, 0, 1, 1, 2])))
        categories = {}
        if i % 3 == 0:
            codes = [rng.choice(list(TABLE_14))]
            values["other_org_challenges"] = _text(rng, "other_org_challenges", codes)
            if i % 2 == 0:  # half coded already, the rest waits on the coding screen
                categories["other_org_challenges"] = codes
        if i % 4 == 1:
            codes = [rng.choice(list(TABLE_15))]
            values["self_plan_differences"] = _text(rng, "self_plan_differences", codes)
        response = Response.objects.create(
            survey=survey, submitted_at=start + dt.timedelta(hours=rng.randrange(0, 24 * 24))
        )
        write_answers(response=response, questions=questions, values=values, categories=categories)
    Coding.objects.filter(answer__response__survey=survey).update(coder=coder)


def seed(ctx):
    User = get_user_model()
    coordinator = User.objects.create_user(
        username="demo-survey", password=DEMO_PASSWORD, last_name="森", first_name="調子",
        email="demo-survey@example.jp",
    )  # fmt: skip
    SurveyCoordinator.objects.create(user=coordinator, corporation=None)
    ctx.users["demo-survey"] = coordinator

    closed = survey_create_from_template(
        slug="retention-challenges-2024", template="retention-challenges", year=2024,
        title="就労定着支援事業所を取り巻く課題に関する調査 2024",
    )  # fmt: skip
    closed.opens_on, closed.closes_on = dt.date(2023, 12, 25), dt.date(2024, 1, 30)
    closed.status, closed.report_published = Survey.Status.CLOSED, True
    closed.save()
    _responses_2024(ctx, closed, coordinator)
    # The contact statistics compare offices with it: a coordinator's choice, made here for them.
    choose_national_reference(survey=closed, user=coordinator)
    _invitations(closed, invited=1032, answered=RESPONDENTS, prefix="seminar2024-",
                 sent_at=dt.datetime(2023, 12, 25, 9, 0, tzinfo=JST))  # fmt: skip

    current = survey_copy(source=closed, slug="retention-challenges-2026", year=2026)
    current.opens_on = ctx.today - dt.timedelta(days=26)
    current.closes_on = ctx.today + dt.timedelta(days=28)
    current.status = Survey.Status.OPEN
    current.save()
    _responses_open(ctx, current, coordinator)
    _invitations(current, invited=160, answered=42, prefix="seminar2026-",
                 sent_at=dt.datetime(2026, 11, 2, 9, 0, tzinfo=JST))  # fmt: skip
    ctx.extra["surveys"] = {"closed": closed, "open": current}
    ctx.log(f"  surveys: {closed.slug} (307 responses), {current.slug} (open)")


def login_roles(user):
    return [
        (
            SurveyCoordinator._meta.verbose_name,
            c.corporation.name if c.corporation else _("whole installation"),
        )
        for c in SurveyCoordinator.objects.filter(user=user).select_related("corporation")
    ]
