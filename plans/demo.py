"""Demo support plans and case meetings: in each office, people in service have agreed plans
(several reviewed, so with two versions), except one whose review is overdue and one without a
plan; a self-plan person's plan leaves a life domain uncovered; case meetings include one beyond
the monthly cap. Written through the services, as a user of the office would."""

import datetime as dt

from clients.models import Client
from contacts import reminders
from core import calendar
from core.audit import Actor
from offices.models import MANAGER_ROLES, Membership
from plans import rules, services
from plans.models import ConsentMethod, LifeDomain, Presenter, Supporter, VersionReason

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
    created = sum(
        reminders.notify_user(user=user, day=ctx.today) for user in reminders.staff_to_remind()
    )
    ctx.log(f"  {created} more notifications for {ctx.today} (plan reviews)")
