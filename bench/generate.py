"""A deterministic national-scale data set for the benchmarks.

In 2022 there were 1,678 retention-support offices and 15,691 users nationally (10.6 per office),
more in cities than in rural prefectures. ``generate`` builds that many offices (across about 600
corporations and the 47 prefectures), that many clients with service periods spread over
FY2020–FY2026, 1–3 employments each with realistic separations and supported job changes, about a
year of contacts and a closed challenge survey with 3,000 responses. Everything is bulk-inserted
and drawn from one seeded ``random.Random``: the same arguments give the same rows.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from clients.demo import FAMILY_NAMES, GIVEN_NAMES
from clients.models import Client, Employer, Employment
from contacts.face_to_face import default_face_to_face
from contacts.models import Contact
from core.calendar import JST, Month, add_months, fiscal_year_of, service_limit_end
from core.vocab import (
    ContactMethod,
    CorporationType,
    Counterpart,
    DisabilityType,
    PlanType,
    SeparationReason,
    ServiceType,
)
from offices.models import Corporation, CorporationManager, Membership, Office, Role
from surveys.definitions import survey_create_from_template
from surveys.models import Answer, AnswerChoice, Coding, Question, Response, Survey
from surveys.responses import load_questions

NATIONAL_OFFICES = 1678
NATIONAL_USERS = 15691
NATIONAL_CORPORATIONS = 600
SURVEY_RESPONSES = 3000
# The benchmark's "today" (as the demo's): fixed so the data and every figure are reproducible.
BENCH_TODAY = dt.date(2026, 11, 27)
SERVICE_STARTS_FROM = dt.date(2020, 4, 1)  # FY2020
SERVICE_STARTS_UNTIL = dt.date(2027, 3, 31)  # FY2026 (a few start after "today")
BATCH = 5000
PASSWORD = "bench-only-password"
SURVEY_SLUG = "bench-retention-challenges"

# Population in units of 10,000 (2020 census, rounded): offices and users follow people.
PREFECTURE_WEIGHTS = [
    522, 124, 121, 230, 96, 107, 183, 287, 193, 194, 734, 628, 1405, 924, 220, 103, 113, 77, 81,
    205, 198, 363, 754, 177, 141, 258, 884, 547, 132, 92, 55, 67, 189, 280, 134, 72, 95, 133, 69,
    514, 81, 131, 174, 112, 107, 159, 147,
]  # fmt: skip
URBAN_PREFECTURES = {"11", "12", "13", "14", "23", "26", "27", "28", "40"}
CITY_NAMES = ["中央区", "北区", "南区", "東区", "西区", "市", "町"]

METHOD_WEIGHTS = {
    ContactMethod.PHONE: 24,
    ContactMethod.WORKPLACE_VISIT: 22,
    ContactMethod.EMAIL: 12,
    ContactMethod.HOME_VISIT: 3,
    ContactMethod.LINE_SNS: 10,
    ContactMethod.OFFICE_INTERVIEW: 12,
    ContactMethod.ONLINE_FORM: 2,
    ContactMethod.MEDICAL_ACCOMPANIMENT: 2,
    ContactMethod.AGENCY_COORDINATION: 6,
    ContactMethod.VIDEO_CALL: 4,
    ContactMethod.OUTSIDE_MEETING: 3,
}
COUNTERPART_WEIGHTS = {
    Counterpart.CLIENT: 55,
    Counterpart.EMPLOYER: 25,
    Counterpart.FAMILY: 8,
    Counterpart.MEDICAL: 4,
    Counterpart.CONSULTATION: 5,
    Counterpart.OTHER_AGENCY: 3,
}
SUMMARIES = [
    "職場訪問。上司から作業の正確さについて良い評価。",
    "体調は安定。睡眠リズムを確認した。",
    "勤務時間の調整について企業担当者と相談。",
    "通院の予定を共有。服薬は継続できている。",
    "同僚との関係について本人から相談があった。",
    "給与明細の見方と家計管理を一緒に確認。",
]
EMPLOYER_NAMES = ["物流センター", "スーパー", "製造所", "事務センター", "清掃サービス", "ホテル"]
FREE_TEXTS = [
    "他法人からの利用者は情報が少なく、関係づくりに時間がかかる。",
    "移行元との連携が取りにくい。",
    "セルフプランの方は生活面の支援が手薄になりがち。",
    "相談支援事業所が不足している。",
    "特に違いは感じない。",
]


@dataclass
class World:
    """What the operations need: the generated scale and the actors to run as."""

    today: dt.date
    fiscal_year: int
    month: Month
    offices: int
    corporations: int
    clients: int
    employments: int
    contacts: int
    responses: int
    largest_corporation: Corporation = None
    largest_office: Office = None
    office_manager: object = None  # manager of the largest office
    staff_member: object = None  # the support staff member with the most clients in charge
    corporation_manager: object = None  # manages the largest corporation
    survey: Survey = None
    seconds: dict = field(default_factory=dict)


def _spread(rng, total, weights):
    """Split ``total`` into len(weights) non-negative integers, at least one each if possible."""
    n = len(weights)
    counts = [1 if total >= n else 0 for _ in weights]
    rest = total - sum(counts)
    for index in rng.choices(range(n), weights=weights, k=rest):
        counts[index] += 1
    return counts


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _random_day(rng, start, end):
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _offices_and_corporations(rng, n_offices):
    n_corporations = max(1, round(n_offices * NATIONAL_CORPORATIONS / NATIONAL_OFFICES))
    corporation_types = [
        (CorporationType.FOR_PROFIT, 45),
        (CorporationType.SOCIAL_WELFARE, 25),
        (CorporationType.NPO, 15),
        (CorporationType.GENERAL_INCORPORATED, 8),
        (CorporationType.MEDICAL, 5),
        (CorporationType.OTHER, 2),
    ]
    corporations = _bulk(
        Corporation,
        [
            Corporation(
                name=f"ベンチ法人{i + 1:04d}",
                corporation_number=f"{9000000000000 + i}",
                corporation_type=rng.choices(*zip(*corporation_types, strict=True))[0],
            )
            for i in range(n_corporations)
        ],
    )
    # A few large corporations run many offices; most run one or two (a heavy-tailed size).
    sizes = _spread(rng, n_offices, [rng.paretovariate(1.3) for _ in corporations])
    prefectures = [f"{i:02d}" for i in range(1, 48)]
    offices = []
    number = 0
    for corporation, size in zip(corporations, sizes, strict=True):
        home = rng.choices(prefectures, weights=PREFECTURE_WEIGHTS)[0]
        for _ in range(size):
            number += 1
            prefecture = (
                home if rng.random() < 0.6 else rng.choices(prefectures, PREFECTURE_WEIGHTS)[0]
            )
            offices.append(
                Office(
                    office_number=f"{prefecture}{number:08d}",
                    name=f"{corporation.name} 定着支援{number}",
                    corporation=corporation,
                    prefecture_code=prefecture,
                    municipality=rng.choice(CITY_NAMES),
                    service_types=[ServiceType.RETENTION_SUPPORT.value],
                    video_call_counts_as_face_to_face=rng.random() < 0.2,
                )
            )
    offices = _bulk(Office, offices)
    # Each corporation also runs a transition office that is not in the system (own-org
    # referrals); consultation-support offices belong to some of them.
    referral = _bulk(
        Office,
        [
            Office(
                office_number=f"{rng.choice(prefectures)}{number + i + 1:08d}",
                name=f"{c.name} 就労移行",
                corporation=c,
                prefecture_code="13",
                service_types=[ServiceType.TRANSITION_SUPPORT.value],
                uses_system=False,
            )
            for i, c in enumerate(corporations)
        ],
    )
    number += len(corporations)
    consultation = _bulk(
        Office,
        [
            Office(
                office_number=f"13{number + i + 1:08d}",
                name=f"相談支援センター{i + 1}",
                corporation=rng.choice(corporations),
                prefecture_code="13",
                service_types=[ServiceType.CONSULTATION_SUPPORT.value],
                uses_system=False,
            )
            for i in range(max(1, n_corporations // 3))
        ],
    )
    return corporations, offices, referral, consultation


def _staff(offices, client_counts):
    """An office manager and support staff (about one per 5 clients) in every office."""
    User = get_user_model()
    password = make_password(PASSWORD)
    users, roles = [], []
    for office, n_clients in zip(offices, client_counts, strict=True):
        users.append(User(username=f"bench-{office.office_number}-m", password=password,
                          last_name="管理", first_name=office.office_number[-4:]))  # fmt: skip
        roles.append((office, Role.OFFICE_MANAGER))
        for s in range(max(1, math.ceil(n_clients / 5))):
            username = f"bench-{office.office_number}-s{s + 1}"
            users.append(
                User(username=username, password=password, last_name="支援", first_name=str(s + 1))
            )
            roles.append((office, Role.SUPPORT_STAFF))
    users = _bulk(User, users)
    _bulk(
        Membership,
        [Membership(user=u, office=o, role=r) for u, (o, r) in zip(users, roles, strict=True)],
    )
    staff_by_office = {}
    managers = {}
    for user, (office, role) in zip(users, roles, strict=True):
        if role == Role.OFFICE_MANAGER:
            managers[office.pk] = user
        else:
            staff_by_office.setdefault(office.pk, []).append(user)
    return managers, staff_by_office


def _employment_history(rng, hire, today):
    """[(start, end, reason, supported)] of one person, from the first hire."""
    story = rng.random()
    latest_end = today - dt.timedelta(days=10)
    if story < 0.62 or (latest_end - hire).days < 60:
        return [(hire, None, "", False)]
    first_end = _random_day(rng, hire + dt.timedelta(days=30), latest_end)
    if story < 0.74:  # separated, maybe working again after a gap
        reason = rng.choice([SeparationReason.PERSONAL, SeparationReason.HEALTH,
                             SeparationReason.COMPANY, SeparationReason.CONTRACT_END])  # fmt: skip
        history = [(hire, first_end, reason, False)]
        if rng.random() < 0.4:
            history.append((first_end + dt.timedelta(days=rng.randint(40, 200)), None, "", False))
        return [h for h in history if h[0] <= today]
    if story < 0.86:  # a supported job change, re-employed within a month
        gap = rng.randint(1, 30)
        return [(hire, first_end, SeparationReason.JOB_CHANGE, True),
                (first_end + dt.timedelta(days=gap), None, "", False)]  # fmt: skip
    if story < 0.91:  # a supported job change, but the new job came too late
        gap = rng.randint(35, 90)
        return [(hire, first_end, SeparationReason.JOB_CHANGE, True),
                (first_end + dt.timedelta(days=gap), None, "", False)]  # fmt: skip
    if story < 0.96:  # an unflagged change straight into the next job
        return [(hire, first_end, SeparationReason.JOB_CHANGE, False),
                (first_end + dt.timedelta(days=1), None, "", False)]  # fmt: skip
    # two supported job changes: the second gap is not excused
    second_start = first_end + dt.timedelta(days=rng.randint(1, 25))
    if (latest_end - second_start).days < 40:
        return [
            (hire, first_end, SeparationReason.JOB_CHANGE, True),
            (second_start, None, "", False),
        ]
    second_end = _random_day(rng, second_start + dt.timedelta(days=30), latest_end)
    return [
        (hire, first_end, SeparationReason.JOB_CHANGE, True),
        (second_start, second_end, SeparationReason.JOB_CHANGE, True),
        (second_end + dt.timedelta(days=rng.randint(1, 25)), None, "", False),
    ]


def _clients(rng, *, offices, counts, today, managers, staff_by_office, referral, consultation):
    referral_of = {r.corporation_id: r for r in referral}
    clients = []
    histories = []
    for office, count in zip(offices, counts, strict=True):
        staff = staff_by_office.get(office.pk) or [managers[office.pk]]
        for i in range(count):
            start = _random_day(rng, SERVICE_STARTS_FROM, SERVICE_STARTS_UNTIL)
            limit = service_limit_end(start)
            end, end_reason = None, ""
            if rng.random() < 0.2:
                end = _random_day(rng, start + dt.timedelta(days=60), limit)
                end_reason = "本人の希望により終了"
            elif limit < today:
                end, end_reason = limit, "3年の利用期間満了"
            if end is not None and end > today:
                end, end_reason = None, ""
            origin = rng.random()
            if origin < 0.45:
                referral_office = referral_of[office.corporation_id]
            elif origin < 0.9:
                referral_office = rng.choice(referral)
            else:
                referral_office = None
            plan = rng.random()
            plan_type = (
                PlanType.CONSULTATION_PLAN
                if plan < 0.55
                else PlanType.SELF_PLAN
                if plan < 0.95
                else ""
            )
            family, family_kana = rng.choice(FAMILY_NAMES)
            given, given_kana = rng.choice(GIVEN_NAMES)
            clients.append(
                Client(
                    office=office,
                    client_code=f"C{i + 1:05d}",
                    family_name=family,
                    given_name=given,
                    family_name_kana=family_kana,
                    given_name_kana=given_kana,
                    birth_date=_random_day(rng, dt.date(1965, 1, 1), dt.date(2004, 12, 31)),
                    disability_types=sorted(
                        set(rng.choices(DisabilityType.values, [3, 3, 6, 4, 1, 1, 1], k=2))
                    )[: rng.randint(1, 2)],
                    staff_in_charge=rng.choice(staff),
                    referral_office=referral_office,
                    plan_type=plan_type,
                    consultation_office=rng.choice(consultation)
                    if plan_type == PlanType.CONSULTATION_PLAN
                    else None,
                    consultation_specialist="相談 太郎"
                    if plan_type == PlanType.CONSULTATION_PLAN
                    else "",
                    service_start=start,
                    service_end=end,
                    service_end_reason=end_reason,
                )
            )
            hire = add_months(start, -rng.randint(6, 24))
            history = _employment_history(rng, hire, today)
            histories.append([h for h in history if h[0] <= today])
    return clients, histories


def _employments(rng, clients, histories):
    employers = {}
    rows = []
    for client in clients:
        if client.office_id not in employers:
            employers[client.office_id] = [
                Employer(office_id=client.office_id, name=f"株式会社{name}{k}")
                for k, name in enumerate(EMPLOYER_NAMES, start=1)
            ]
    _bulk(Employer, [e for group in employers.values() for e in group])
    for client, history in zip(clients, histories, strict=True):
        for start, end, reason, supported in history:
            rows.append(
                Employment(
                    client=client,
                    employer=rng.choice(employers[client.office_id]),
                    start_date=start,
                    end_date=end,
                    separation_reason=reason,
                    supported_job_change=supported,
                    job_title="軽作業",
                )
            )
    return len(_bulk(Employment, rows))


def _contacts(rng, *, clients, offices_by_pk, months, per_month, today):
    """``per_month`` contacts (±2) for every client in service, month by month, in batches."""
    methods, method_weights = zip(*METHOD_WEIGHTS.items(), strict=True)
    counterparts, counterpart_weights = zip(*COUNTERPART_WEIGHTS.items(), strict=True)
    meeting_methods = [ContactMethod.WORKPLACE_VISIT, ContactMethod.OFFICE_INTERVIEW]
    total = 0
    for month in months:
        last_day = min(month.last_day, today)
        days = list(range(1, last_day.day + 1))
        batch = []
        for client in clients:
            if client.service_start > last_day or (
                client.service_end is not None and client.service_end < month.first_day
            ):
                continue
            office = offices_by_pk[client.office_id]
            k = min(len(days), max(1, per_month + rng.randint(-2, 2)))
            for n, day in enumerate(sorted(rng.sample(days, k))):
                if n == 0 and rng.random() < 0.9:  # most people are met face to face monthly
                    method, counterpart = rng.choice(meeting_methods), Counterpart.CLIENT
                else:
                    method = rng.choices(methods, method_weights)[0]
                    counterpart = rng.choices(counterparts, counterpart_weights)[0]
                at = dt.datetime(month.year, month.month, day, rng.randint(9, 18),
                                 rng.choice((0, 15, 30, 45)), tzinfo=JST)  # fmt: skip
                deleted = rng.random() < 0.005
                batch.append(
                    Contact(
                        client=client,
                        staff_id=client.staff_in_charge_id,
                        contacted_at=at,
                        method=method,
                        counterpart=counterpart,
                        face_to_face=default_face_to_face(method=method, office=office),
                        duration_minutes=rng.choice((10, 15, 30, 45, 60)),
                        summary=rng.choice(SUMMARIES),
                        next_follow_up=(at.date() + dt.timedelta(days=rng.randint(7, 21)))
                        if rng.random() < 0.05
                        else None,
                        deleted_at=at if deleted else None,
                        delete_reason="重複登録" if deleted else "",
                    )
                )
        total += len(_bulk(Contact, batch))
    return total


def _survey(rng, n_responses, today):
    survey = survey_create_from_template(
        slug=SURVEY_SLUG, template="retention-challenges", year=today.year - 1
    )
    Survey.objects.filter(pk=survey.pk).update(
        status=Survey.Status.CLOSED,
        report_published=True,
        opens_on=dt.date(today.year - 1, 9, 1),
        closes_on=dt.date(today.year - 1, 10, 31),
    )
    survey.refresh_from_db()
    questions = load_questions(survey)
    likert_weights = {q.pk: [rng.randint(1, 9) for _ in range(7)] for q in questions}
    submitted = dt.datetime(today.year - 1, 9, 1, 9, tzinfo=JST)
    responses = _bulk(
        Response,
        [
            Response(
                survey=survey,
                response_id=f"r{i + 1:06d}",
                submitted_at=submitted + dt.timedelta(minutes=29 * i),
            )
            for i in range(n_responses)
        ],
    )
    answers, multi, codes = [], [], []
    for response in responses:
        for q in questions:
            if rng.random() < 0.03:
                continue  # left blank
            answer = Answer(response=response, question=q)
            choices = list(q.choice_by_code.values())
            if q.type == Question.Type.LIKERT:
                answer.likert = rng.choices(range(1, 8), likert_weights[q.pk])[0]
            elif q.type == Question.Type.SINGLE:
                answer.choice = rng.choice(choices)
            elif q.type == Question.Type.MULTI:
                multi.append((answer, rng.sample(choices, min(len(choices), rng.randint(1, 4)))))
            else:
                if rng.random() < 0.5:
                    continue
                answer.text = rng.choice(FREE_TEXTS)
                categories = list(q.category_by_code.values())
                if rng.random() < 0.8:
                    codes.append((answer, rng.sample(categories, rng.randint(1, 2))))
            answers.append(answer)
    _bulk(Answer, answers)
    _bulk(AnswerChoice, [AnswerChoice(answer=a, choice=c) for a, cs in multi for c in cs])
    _bulk(Coding, [Coding(answer=a, category=c, coder=None) for a, cs in codes for c in cs])
    return survey


def generate(*, offices=NATIONAL_OFFICES, quick=False, seed=2022, today=BENCH_TODAY, log=None):
    """Fill the (empty, migrated) database; returns the World the operations run against.

    ``quick`` keeps the offices and clients but generates two months of contacts instead of a
    year (and 300 survey responses instead of 3,000 when fewer than 100 offices are asked for).
    """
    import time

    log = log or (lambda message: None)
    rng = random.Random(seed)
    n_clients = max(offices, round(offices * NATIONAL_USERS / NATIONAL_OFFICES))
    seconds = {}
    clock = time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 2)
        log(f"  {name}: {seconds[name]:.1f} s")
        clock = now

    with transaction.atomic():
        corporations, office_rows, referral, consultation = _offices_and_corporations(rng, offices)
        # Clients per office (cities have more), drawn first: the staff numbers follow them.
        weights = [
            rng.lognormvariate(0, 0.5) * (1.4 if o.prefecture_code in URBAN_PREFECTURES else 1.0)
            for o in office_rows
        ]
        planned = _spread(rng, n_clients, weights)
        managers, staff_by_office = _staff(office_rows, planned)
        lap("offices, corporations and staff")
        clients, histories = _clients(
            random.Random(rng.random()),
            offices=office_rows,
            counts=planned,
            today=today,
            managers=managers,
            staff_by_office=staff_by_office,
            referral=referral,
            consultation=consultation,
        )
        clients = _bulk(Client, clients)
        n_employments = _employments(rng, clients, histories)
        lap("clients and employments")
    month = Month.of(today)
    months = [month]
    for _ in range(1 if quick else 11):
        months.insert(0, months[0].previous())
    with transaction.atomic():
        n_contacts = _contacts(
            rng,
            clients=clients,
            offices_by_pk={o.pk: o for o in office_rows},
            months=months,
            per_month=4,
            today=today,
        )
        lap("contacts")
    n_responses = 300 if quick and offices < 100 else SURVEY_RESPONSES
    with transaction.atomic():
        survey = _survey(rng, n_responses, today)
        lap("survey responses")

    sizes = {}
    for office in office_rows:
        sizes[office.corporation_id] = sizes.get(office.corporation_id, 0) + 1
    largest_corporation = max(corporations, key=lambda c: (sizes.get(c.pk, 0), -c.pk))
    per_office = dict(zip((o.pk for o in office_rows), planned, strict=True))
    largest_office = max(office_rows, key=lambda o: (per_office[o.pk], -o.pk))
    corporation_manager = get_user_model().objects.create_user(
        "bench-corporation-manager", password=PASSWORD, last_name="本部"
    )
    CorporationManager.objects.create(user=corporation_manager, corporation=largest_corporation)
    in_charge = {}
    for client in clients:
        in_charge[client.staff_in_charge_id] = in_charge.get(client.staff_in_charge_id, 0) + 1
    staff_member = max(
        staff_by_office.get(largest_office.pk) or [managers[largest_office.pk]],
        key=lambda u: (in_charge.get(u.pk, 0), -u.pk),
    )
    return World(
        today=today,
        fiscal_year=fiscal_year_of(today),
        month=month,
        offices=len(office_rows),
        corporations=len(corporations),
        clients=len(clients),
        employments=n_employments,
        contacts=n_contacts,
        responses=n_responses,
        largest_corporation=largest_corporation,
        largest_office=largest_office,
        office_manager=managers[largest_office.pk],
        staff_member=staff_member,
        corporation_manager=corporation_manager,
        survey=survey,
        seconds=seconds,
    )


def world_of(*, today=BENCH_TODAY):
    """The World of a data set ``generate`` filled earlier (``bench/run.py --reuse``): the same
    actors, found again in the database (the largest office and corporation by the same
    tie-breaks, the office's manager, its staff member with the most people in charge, the
    corporation manager and the survey)."""
    from django.db.models import Count

    offices = Office.objects.filter(uses_system=True)
    clients_of = dict(Client.objects.order_by().values_list("office_id").annotate(n=Count("pk")))
    largest_office = max(offices, key=lambda o: (clients_of.get(o.pk, 0), -o.pk))
    sizes = dict(offices.order_by().values_list("corporation_id").annotate(n=Count("pk")))
    largest_corporation = max(
        Corporation.objects.filter(pk__in=sizes), key=lambda c: (sizes[c.pk], -c.pk)
    )
    office_manager = get_user_model().objects.get(
        username=f"bench-{largest_office.office_number}-m"
    )
    staff = get_user_model().objects.filter(
        memberships__office=largest_office, memberships__role=Role.SUPPORT_STAFF
    )
    in_charge = dict(
        Client.objects.filter(office=largest_office)
        .order_by()
        .values_list("staff_in_charge_id")
        .annotate(n=Count("pk"))
    )
    staff_member = max(
        list(staff) or [office_manager], key=lambda u: (in_charge.get(u.pk, 0), -u.pk)
    )
    survey = Survey.objects.get(slug=SURVEY_SLUG)
    return World(
        today=today,
        fiscal_year=fiscal_year_of(today),
        month=Month.of(today),
        offices=offices.count(),
        corporations=len(sizes),
        clients=Client.objects.count(),
        employments=Employment.objects.count(),
        contacts=Contact.objects.count(),
        responses=survey.responses.count(),
        largest_corporation=largest_corporation,
        largest_office=largest_office,
        office_manager=office_manager,
        staff_member=staff_member,
        corporation_manager=get_user_model().objects.get(username="bench-corporation-manager"),
        survey=survey,
    )
