"""Office A in FY2024 on the database, shared by the retention tests that read it through the
report command, the pages, the query count and the reminders (the rule itself:
test_retention_rule.py)."""

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

from django.core.management import call_command

from tests import factories

D = dt.date
JST = ZoneInfo("Asia/Tokyo")
SERVICE_START = D(2021, 4, 1)
AS_OF = D(2024, 6, 1)


# Office A in FY2024, hand-worked:
#   A01 hired 2020-10-01, still employed                         → continuous
#   A02 hired 2020-10-01, left 2024-03-15 (supported), no new job → provisional to 2024-04-15
#   A03 service 2022-04-01, only a job 2018-04 … 2019-03          → no_qualifying_employment
#   A04 a job 2015-04 … 2016-03, hired again 2020-10-01           → continuous (history)
# As of 2024-04-15: 3 of 4 = 75% → "70%以上" 2,234 units. As of 2024-04-16: 2 of 4 = 50% → 1,690.
# Office B's B01 never counts for A.


def _db_client(office, code, start, *spans, staff=None):
    client = factories.ClientFactory(
        office=office, client_code=code, service_start=start, staff_in_charge=staff
    )
    for span in spans:
        start_date, end_date, *flag = span
        factories.EmploymentFactory(
            client=client,
            start_date=start_date,
            end_date=end_date,
            separation_reason="job_change" if end_date else "",
            supported_job_change=bool(flag and flag[0]),
        )
    return client


def _report(office, *args):
    out = io.StringIO()
    call_command(
        "retention_report", "--office", office.office_number, "--fiscal-year", "2024", *args,
        "--format", "json", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return json.loads(out.getvalue())


def _row(code, retained, reason, provisional=False):
    return {
        "client_code": code, "retained": retained, "provisional": provisional, "reason": reason,
    }  # fmt: skip
