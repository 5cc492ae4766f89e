"""Demo support plans and case meetings: in each office, people in service have agreed plans
(several reviewed, so with two versions), except one whose review is overdue and one without a
plan; a self-plan person's plan leaves a life domain uncovered; case meetings include one beyond
the monthly cap. In the Shinjuku office, hand-overs: a person who moved from the Osaka office
(another corporation) with a consented hand-over, one whose consent was later withdrawn, one from
a non-system office with the uploaded PDF, an end-of-service hand-over recorded and a person ending
within three months without one (flagged). Written through the services, as a user of the office
would."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from clients.models import Client, Employer, Employment, Origin
from contacts import reminders
from core import calendar
from core.audit import Actor
from offices.models import MANAGER_ROLES, Membership
from plans import rules, services
from plans.models import (
    ConsentMethod,
    LifeDomain,
    OfficePlanSettings,
    Presenter,
    Successor,
    Supporter,
    VersionReason,
)

GOALS = [
    "毎朝7時に起きて、遅刻せずに出勤する。",
    "困ったときは上司か支援員に早めに相談する。",
    "週に一度、家計簿をつける。",
    "通院日を守り、服薬を続ける。",
    "休日に一つ、好きなことをして過ごす。",
]
LONG_TERM = [
    "今の職場で長く働き続け、一人暮らしを始める。",
    "体調を崩さずに働き続け、勤務時間を週30時間に増やす。",
    "職場で任される仕事を増やし、正社員登用を目指す。",
]
FULL_ROLE_MAP = {
    LifeDomain.HEALTH_SLEEP: [Supporter.DOCTOR, Supporter.THIS_OFFICE],
    LifeDomain.MEDICATION: [Supporter.DOCTOR],
    LifeDomain.MONEY: [Supporter.FAMILY, Supporter.CONSULTATION_OFFICE],
    LifeDomain.HOUSING: [Supporter.FAMILY],
    LifeDomain.FAMILY: [Supporter.THIS_OFFICE],
    LifeDomain.COMMUTING: [Supporter.THIS_OFFICE],
    LifeDomain.WORK_RELATIONSHIPS: [Supporter.EMPLOYER, Supporter.THIS_OFFICE],
    LifeDomain.LEISURE: [Supporter.EMPLOYMENT_LIFE_CENTER],
}
AGENCIES = [
    "相談支援事業所みらい",
    "障害者就業・生活支援センターひだまり",
    "勤務先 人事部",
    "主治医",
]


def _in_service(client, today):
    return client.service_start <= today and (
        client.service_end is None or client.service_end >= today
    )


def _manager(office):
    membership = (
        Membership.objects.filter(office=office, role__in=MANAGER_ROLES)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return membership.user if membership else None


def _agreed_plan(client, *, plan_date, reason, role_map, rng, staff, manager):
    plan = services.plan_create(
        client=client,
        actor=Actor.command(staff),
        plan_date=plan_date,
        reason=reason,
        assessment_work="作業手順は定着。繁忙期の残業で疲れが出やすい。",
        assessment_life={LifeDomain.HEALTH_SLEEP: "睡眠リズムが乱れやすい。"},
        long_term_goal=rng.choice(LONG_TERM),
        short_term_goals="\n".join(rng.sample(GOALS, 3)),
        support_content="月1回の職場訪問と面談。体調の変化は主治医・家族と共有する。",
        role_map={code: list(who) for code, who in role_map.items()},
    )
    services.plan_approve(
        plan=plan, actor=Actor.command(manager), approved_on=plan_date + dt.timedelta(days=2)
    )
    services.plan_consent(
        plan=plan,
        actor=Actor.command(staff),
        consented_on=plan_date + dt.timedelta(days=5),
        consent_method=rng.choice(ConsentMethod.values),
    )
    return plan


def _seed_office(ctx, office, clients):
    rng, today = ctx.rng, ctx.today
    manager = _manager(office)
    active = [c for c in clients if _in_service(c, today)]
    if len(active) < 4:
        return 0
    without_plan = active[-1]  # the newest person: the plan is not agreed yet
    overdue = active[0]
    self_plan = next((c for c in active[1:-1] if c.plan_type == "self_plan"), active[1])
    interval = rules.review_interval_months(office)
    plans = 0
    for client in active:
        if client == without_plan:
            continue
        staff = client.staff_in_charge or manager
        role_map = dict(FULL_ROLE_MAP)
        if client == self_plan:
            # Nobody looks after money and leisure: the second view a self-plan user lacks.
            role_map[LifeDomain.MONEY] = []
            role_map[LifeDomain.LEISURE] = []
        # The first plan at the start of the service, then a review every interval up to today;
        # the overdue person's last review was never done.
        plan_date = client.service_start
        reason = VersionReason.INITIAL
        while True:
            _agreed_plan(
                client, plan_date=plan_date, reason=reason, role_map=role_map, rng=rng,
                staff=staff, manager=manager,
            )  # fmt: skip
            plans += 1
            next_date = calendar.add_months(plan_date, interval) - dt.timedelta(days=10)
            limit = today - dt.timedelta(days=5)  # reviewed ten days before each due date
            if client == overdue:
                limit = today - dt.timedelta(days=250)
            if next_date > limit:
                break
            plan_date, reason = next_date, VersionReason.REVIEW
    # A draft waiting for approval for the person without a plan.
    services.plan_create(
        client=without_plan,
        actor=Actor.command(without_plan.staff_in_charge or manager),
        plan_date=today - dt.timedelta(days=3),
        short_term_goals="\n".join(GOALS[:2]),
        role_map={code: list(who) for code, who in FULL_ROLE_MAP.items()},
    )
    _seed_meetings(ctx, active[1:4], manager)
    return plans


def _seed_meetings(ctx, clients, manager):
    """Two or three meetings a year per person; the first person also has a second meeting in
    one month (beyond the monthly cap), presented by other staff and reported back."""
    rng, today = ctx.rng, ctx.today
    for index, client in enumerate(clients):
        held = today - dt.timedelta(days=20)
        for _n in range(rng.randint(2, 3)):
            if held < client.service_start:
                break
            services.meeting_create(
                client=client,
                actor=Actor.command(manager),
                held_on=held,
                presenter=Presenter.SERVICE_MANAGER,
                agencies=rng.sample(AGENCIES, 3),
                plan_changes="通勤経路の変更に合わせて訪問日を見直す。"
                if rng.random() < 0.5
                else "",
            )
            held = calendar.add_months(held, -3)
        if index == 0:
            first = today - dt.timedelta(days=20)
            second = first + dt.timedelta(days=1 if first.day < 28 else -1)
            services.meeting_create(
                client=client,
                actor=Actor.command(client.staff_in_charge or manager),
                held_on=second,
                presenter=Presenter.OTHER_STAFF,
                reported_back_on=second + dt.timedelta(days=1),
                agencies=rng.sample(AGENCIES, 2),
                notes="同じ月の2回目の会議（加算の対象外）。",
            )


def seed(ctx):
    total = 0
    clients_by_office = ctx.extra.get("clients") or {}
    for number, office in sorted(ctx.offices.items()):
        if not office.uses_system:
            continue
        clients = clients_by_office.get(number)
        if clients is None:
            clients = list(Client.objects.filter(office=office).order_by("client_code"))
        total += _seed_office(ctx, office, clients)
    ctx.log(f"  {total} agreed plan versions")
    ctx.log(f"  {_seed_handovers(ctx)} hand-overs")
    created = sum(
        reminders.notify_user(user=user, day=ctx.today) for user in reminders.staff_to_remind()
    )
    ctx.log(f"  {created} more notifications for {ctx.today} (plan reviews)")


# ---------------------------------------------------------------------------------------------
# Hand-overs

RECEIVING, SENDING = "1310100001", "2710200004"  # Shinjuku (aoba) receives from Osaka (midori)
POLICY = (
    "利用終了の3か月前までに、本人の同意を得て、障害者就業・生活支援センター・相談支援事業所・"
    "勤務先のうち引き継ぐ機関を決め、配慮事項と連絡先を文書で共有し、記録を保存する。"
)


def tiny_pdf(text="Hikitsugi"):
    """A small, valid one-page PDF (its cross-reference offsets computed), for the demo upload."""
    stream = f"BT /F1 18 Tf 40 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _moved_from(person, sending, today):
    """The same person as a client of the sending office until the day before the move, with the
    same job (a transfer within the company), so the sending office's figures stay consistent."""
    source = Client.objects.create(
        office=sending,
        client_code=f"OUT-{person.client_code}",
        family_name=person.family_name,
        given_name=person.given_name,
        family_name_kana=person.family_name_kana,
        given_name_kana=person.given_name_kana,
        birth_date=person.birth_date,
        disability_types=person.disability_types,
        plan_type=person.plan_type,
        service_start=person.service_start - dt.timedelta(days=120),
        service_end=person.service_start - dt.timedelta(days=1),
        service_end_reason="転勤に伴い新宿の事業所へ移行",
    )
    for job in person.employments.select_related("employer"):
        employer, _new = Employer.objects.get_or_create(office=sending, name=job.employer.name)
        Employment.objects.create(
            client=source, employer=employer, start_date=job.start_date, end_date=job.end_date
        )
    return source


def _seed_handovers(ctx):
    receiving, sending = ctx.offices.get(RECEIVING), ctx.offices.get(SENDING)
    if receiving is None or sending is None:
        return 0
    today = ctx.today
    manager = _manager(receiving)
    actor = Actor.command(manager)
    OfficePlanSettings.objects.update_or_create(
        office=receiving, defaults={"handover_policy": POLICY, "handover_lead": manager}
    )
    in_service = Client.objects.filter(office=receiving).filter(rules.in_service_on_q(today))
    other_org = list(
        in_service.with_origin()
        .filter(origin=Origin.OTHER_ORG, service_start__lte=today - dt.timedelta(days=60))
        .exclude(calendar.ending_soon_q(today=today))
        .order_by("client_code")
    )
    count = 0
    # Two people moved from Osaka: consent stands for the first, was withdrawn by the second.
    for person, withdrawn in zip(
        other_org[:2], (None, today - dt.timedelta(days=14)), strict=False
    ):
        person.referral_office = sending
        person.save(update_fields=["referral_office"])
        handover = services.referral_handover_create(
            actor=Actor.command(_manager(sending)),
            referring_office=sending,
            receiving_office=receiving,
            source_client=_moved_from(person, sending, today),
            consented_on=person.service_start - dt.timedelta(days=10),
            consent_method=ConsentMethod.SIGNATURE,
            disability_traits="発達障害（ASD）。口頭の指示は一度に一つ。予定の急な変更が苦手。",
            what_worked="作業手順書と写真付きのチェックリスト。昼休みは一人で過ごせる場所。",
            job_search="大阪の就労移行支援で実習後に採用。転勤で東京本社へ。",
            employer_contacts="人事部 障害者雇用担当。週1回の振り返り面談を約束済み。",
            medical_contacts="大阪の主治医から新宿のクリニックへ紹介状あり。",
            life_support_contacts="転居先の相談支援事業所と初回面談済み。",
            own_words="新しい職場でも、困ったときに相談できる人がいてほしい。",
        )
        services.referral_handover_link(actor=actor, handover=handover, client=person)
        if withdrawn:
            services.referral_handover_withdraw(
                actor=Actor.command(_manager(sending)),
                handover=handover,
                withdrawn_on=withdrawn,
                office=sending,
            )
        count += 1
    # A person from an office that does not use the system: the document it gave, uploaded.
    paper = (
        in_service.filter(referral_office__uses_system=False)
        .exclude(referral_office__corporation=receiving.corporation)
        .order_by("client_code")
        .first()
    )
    if paper is not None:
        services.referral_handover_create(
            actor=actor,
            referring_office=paper.referral_office,
            receiving_office=receiving,
            client=paper,
            consented_on=paper.service_start - dt.timedelta(days=7),
            consent_method=ConsentMethod.SIGNATURE,
            document=SimpleUploadedFile("引き継ぎシート.pdf", tiny_pdf()),
            document_type="pdf",
            disability_traits="精神障害（うつ病）。疲れが溜まると欠勤が続く。",
            own_words="体調の波を分かってほしい。",
        )
        count += 1
    # At the end of the service: one hand-over recorded, and at least one person flagged.
    ending = list(in_service.filter(calendar.ending_soon_q(today=today)).order_by("client_code"))
    spare = in_service.exclude(pk__in=[c.pk for c in ending] + [c.pk for c in other_org[:2]])
    for days, person in zip(
        (40, 70),
        spare.exclude(Q(pk=getattr(paper, "pk", None))).order_by("-client_code"),
        strict=False,
    ):
        if len(ending) >= 2:
            break
        person.service_end = today + dt.timedelta(days=days)
        person.service_end_reason = "3年経過予定"
        person.save(update_fields=["service_end", "service_end_reason"])
        ending.append(person)
    if ending:
        person = ending[0]
        services.end_handover_create(
            actor=Actor.command(person.staff_in_charge or manager),
            client=person,
            successor=Successor.EMPLOYMENT_LIFE_CENTER,
            successor_name="障害者就業・生活支援センターひだまり",
            shared_on=today - dt.timedelta(days=5),
            shared_what="職場での配慮事項、緊急連絡先、通院先、本人の希望する相談の頻度。",
            consented_on=today - dt.timedelta(days=12),
            consent_method=ConsentMethod.SIGNATURE,
        )
        count += 1
    return count
