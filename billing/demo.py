"""Demo billing: recipient certificates with decision periods for the people in service, so that
the monthly close page shows real figures and real problems.

In each office, everyone in service last month has a certificate (its municipality the office's,
with a valid check digit) and a decision period covering the service, except:

- one person has none (``no_certificate``);
- one person's decision period ended before last month, with no later one
  (``certificate_expired`` last month);
- one person's decision period ends within 60 days of the demo's today, with no later one yet: the
  worklist and the daily reminders ask for the renewal.

The Shinjuku office has the job coach addition, and its month before last is closed (its figures
kept, its contacts, reports and meetings locked). Written through the services, as a user would.
"""

import datetime as dt

from django.core.management import call_command

from billing import rules, services
from billing.models import Adjustment, OfficeBillingSettings
from billing.month import month_figures
from clients.models import Client
from contacts import reminders
from core.audit import Actor
from core.calendar import Month, add_months

# The first five digits of a municipality of each demo office's city (全国地方公共団体コード):
# 新宿区, 横浜市, 大阪市, 札幌市; the check digit is computed.
MUNICIPALITIES = {"13": "13104", "14": "14100", "27": "27100", "01": "01100"}
SHINJUKU = "1310100001"
ENDING_IN_DAYS = 40  # within the 60-day reminder, past the 30-day one


def _municipality_number(office):
    first_five = MUNICIPALITIES.get(office.prefecture_code, "13104")
    return first_five + str(rules.municipality_check_digit(first_five))


def _people(ctx, office, last_month):
    given = (ctx.extra.get("clients") or {}).get(office.office_number)
    clients = Client.objects.filter(pk__in=[c.pk for c in given]) if given is not None else None
    if clients is None:
        clients = Client.objects.filter(office=office)
    return list(clients.in_service_between(last_month.first_day, ctx.today).order_by("client_code"))


def seed(ctx):
    if not Adjustment.objects.exists():  # ``seed_demo --reset`` flushes the migration's rows too
        call_command("loaddata", "adjustments", verbosity=0)
    actor = Actor.command()
    this_month = Month.of(ctx.today)
    last_month = this_month.previous()
    periods = 0
    for number, office in sorted(ctx.offices.items()):
        if not office.uses_system:
            continue
        people = _people(ctx, office, last_month)
        municipality = _municipality_number(office)
        for index, client in enumerate(people):
            if index == 1:
                continue  # no certificate
            start = max(client.service_start, add_months(last_month.first_day, -11))
            end = add_months(start, 12) - dt.timedelta(days=1)
            if index == 2:
                end = last_month.first_day - dt.timedelta(days=1)  # expired before last month
                start = min(start, add_months(end, -6))
            elif index == 3:
                end = ctx.today + dt.timedelta(days=ENDING_IN_DAYS)
            elif end < ctx.today:
                end = add_months(end, 12)  # renewed
            services.certificate_save(
                client=client,
                actor=actor,
                recipient_number=f"{int(number[:2]):02d}{client.pk:08d}",
                municipality_number=municipality,
                start=start,
                end=end,
                copay_cap=(0, 9300, 37200)[index % 3],
            )
            periods += 1
    shinjuku = ctx.offices.get(SHINJUKU)
    if shinjuku is not None:
        OfficeBillingSettings.objects.create(office=shinjuku, job_coach=True)
        closed = last_month.previous()
        services.close_month_with(
            office=shinjuku,
            month=closed,
            figures=month_figures(shinjuku, closed, as_of=ctx.today),
            actor=actor,
        )
        ctx.log(f"  {closed} closed for {SHINJUKU}")
    ctx.log(f"  {periods} decision periods")
    created = sum(
        reminders.notify_user(user=user, day=ctx.today) for user in reminders.staff_to_remind()
    )
    ctx.log(f"  {created} more notifications for {ctx.today} (certificates)")
