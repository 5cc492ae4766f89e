"""Demo step of the person's own channel: office 1410100003's LINE account (demo secret and
token), one person linked to it with two months of self check-ins twice a week, a LINE message
and a reply, and the early warning their last check-in raised (a drop against their own level).
"""

import datetime as dt

from clients.models import Client
from core.audit import Actor
from core.calendar import JST
from voice import services
from voice.models import CheckIn, CheckInWarning

OFFICE = "1410100003"
LINE_USER = "Udemo0000000000000000000000000001"

# (days before the demo's today, sleep, workload, relationships, comment): steady, then a drop.
ANSWERS = [
    (59, 3, 3, 4, ""), (56, 4, 3, 4, ""), (52, 3, 3, 3, "少し忙しい"), (49, 3, 4, 4, ""),
    (45, 4, 3, 4, ""), (42, 3, 3, 4, ""), (38, 3, 3, 3, ""), (35, 4, 4, 4, "調子がよい"),
    (31, 3, 3, 4, ""), (28, 3, 3, 4, ""), (24, 4, 3, 3, ""), (21, 3, 3, 4, ""),
    (17, 3, 4, 4, ""), (14, 4, 3, 4, ""), (10, 3, 3, 4, ""), (7, 3, 3, 3, ""),
    (0, 2, 1, 2, "新しい上司に仕事が遅いと言われた。眠れない"),
]  # fmt: skip


def _person(ctx):
    office = ctx.offices.get(OFFICE)
    if office is None:
        return None
    return (
        Client.objects.filter(office=office, staff_in_charge__isnull=False)
        .in_service_between(ctx.today, ctx.today)
        .order_by("client_code")
        .first()
    )


def seed(ctx):
    person = _person(ctx)
    if person is None:
        ctx.log("  no person for the LINE demo")
        return
    actor = Actor.command()
    channel = services.channel_set(
        office=person.office,
        secret="demo-channel-secret-not-real",
        token="demo-channel-access-token-not-real",
        bot_id="@teichaku-demo",
        actor=actor,
    )
    code = services.link_code_issue(client=person, actor=actor)
    services.link_by_code(channel=channel, code=code, user_id=LINE_USER, actor=actor)
    services.check_in_plan_set(
        client=person,
        items=["sleep", "workload", "relationships"],
        rhythm_days=3,
        ruby=True,
        actor=actor,
        today=ctx.today - dt.timedelta(days=60),
    )
    for days_before, sleep, workload, relationships, comment in ANSWERS:
        day = ctx.today - dt.timedelta(days=days_before)
        services.check_in_record(
            client=person,
            ratings={"sleep": sleep, "workload": workload, "relationships": relationships},
            comment=comment,
            via=CheckIn.Via.LINE,
            answered_at=dt.datetime.combine(day, dt.time(21, 5), tzinfo=JST),
            actor=actor,
            today=day,
        )
    link = services.live_link_of(person)
    services.message_received(
        link=link,
        text="明日、相談に行ってもいいですか",
        at=dt.datetime.combine(ctx.today, dt.time(21, 30), tzinfo=JST),
        actor=actor,
    )
    warnings = CheckInWarning.objects.filter(client=person, closed_at__isnull=True).count()
    ctx.log(
        f"  LINE: {person.client_code} linked at {OFFICE}, {len(ANSWERS)} check-ins, "
        f"{warnings} open warning"
    )
