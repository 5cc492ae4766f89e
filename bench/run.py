"""Benchmarks at national scale: time the project's real functions and pages.

    .venv/bin/python bench/run.py [--offices N] [--database-url URL] [--quick] [--runs R]
                                  [--json FILE] [--strict] [--keep]

Creates a fresh database (a SQLite file under /tmp by default; with ``--database-url
postgres://…/NAME`` a PostgreSQL database NAME that it drops and recreates, and drops again at the
end unless ``--keep``), migrates it, generates the national data set (``bench/generate.py``) and
times each operation below, counting its SQL queries to catch N+1 patterns. Each operation has a
documented target (a time limit on its median or p95, and a query budget); the table marks PASS or
FAIL and ``--strict`` exits non-zero when any target fails.

Speed targets live here, never in the unit tests.
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SQLITE = Path("/tmp/teichaku_bench.sqlite3")
PAGE_SIZE = 25


@dataclass(frozen=True)
class Target:
    stat: str  # "median" or "p95"
    ms: float
    max_queries: int | None  # the most queries one run may take (None: not budgeted)
    why: str
    # The most the operation may take over the hand-written SQL returning the same result
    # (bench/sql.py; medians compared). None: no SQL counterpart.
    max_ratio: float | None = None
    # Compared with the hand-written SQL for the result (which must be equal) and the ratio
    # reported, without a ratio target: a list page's query, not a statistic (the 1.5×
    # is for statistics); its target is its time and query budget.
    compared: bool = False


# Every statistic within 1.5× of the hand-written SQL that returns the same result.
SQL_RATIO = 1.5

# Issue 23: "fixed per-query ORM cost may be argued, with a profile, for queries under 2 ms".
# A row over SQL_RATIO still passes when every query of the hand-written SQL takes under
# FIXED_COST_QUERY_MS (median, inside the database driver's execute) and the project's time
# inside the database is within SQL_RATIO of the SQL's: its queries cost what the SQL's cost, and
# the rest is Django building the queries and converting the rows. The table marks such a row
# "PASS (ORM)" and shows both database times; docs/performance.md gives the profile.
FIXED_COST_QUERY_MS = 2.0

# A row compared with its SQL by single calls (a corporation's retention or statistics, one
# office's statistics, the worklist, the survey report) is timed this many times ``--runs``
# (default 5: 15 calls of each, interleaved): its figures are a few milliseconds, and five
# medians moved by 20–30% between idle runs of the same code. The national batch keeps
# ``--runs``; the per-office rows time one call per office (1,678 on the national set).
COMPARED_RUNS = 3


# The targets. A person waits for a page: half a second at most (a corporation's pages with a
# hundred offices: one second). A function behind a page gets a share of that. Query budgets are
# the operation's count at any data size plus a little headroom: a count that grows with the
# number of offices or rows is an N+1 pattern and fails. (Every page pays about ten small
# queries for the navigation bar, the session and the audit record.)
TARGETS = {
    "office_retention per office": Target(
        "p95",
        50,
        5,
        "the dashboard of one office; run for every office by the home pages",
        SQL_RATIO,
    ),
    "office_retention all offices": Target(
        "median",
        60_000,
        30,
        "a national batch (e.g. a nightly fee-tier report) within a minute",
        SQL_RATIO,
    ),
    "retention largest corporation": Target(
        "p95",
        1000,
        5,
        "offices_retention, as the corporation retention page computes it",
        SQL_RATIO,
    ),
    "contact_stats office-year": Target(
        "p95", 200, 5, "the statistics page of one office", SQL_RATIO
    ),
    "contact_stats office-36-months": Target(
        "p95",
        200,
        5,
        "the same office and rows asked over 36 months: the cost must not grow with the months",
        SQL_RATIO,
    ),
    "contact_stats corporation-year": Target(
        "p95", 1000, 5, "the statistics page of the largest corporation", SQL_RATIO
    ),
    "f2f compliance per office": Target(
        "p95", 20, 2, "one office's monthly billing check; the home page shows it", SQL_RATIO
    ),
    "f2f compliance all offices": Target(
        "median", 5_000, 2, "face_to_face_compliance_by_office over every office at once"
    ),
    "worklist one staff member": Target(
        "p95",
        100,
        9,
        "the support staff's home page (nine queries since the hand-over, certificate and "
        "check-in warning sections joined the plans' section; constant, "
        "tests/test_query_counts.py)",
        SQL_RATIO,
    ),
    "survey_report": Target(
        "p95", 500, 15, "the survey report page and the JSON report", SQL_RATIO
    ),
    "client list query (office manager)": Target(
        "p95",
        100,
        3,
        "count + first page of the client list, active clients (a list, not a statistic: "
        "compared with the SQL for its result, its ratio reported)",
        compared=True,
    ),
    "client list query (corporation, search)": Target(
        "p95", 200, 3, "count + first page, kana search across the corporation"
    ),
    "page client list": Target("p95", 500, 25, "GET /clients/ as the office manager"),
    "page retention dashboard": Target(
        "p95", 500, 25, "GET /clients/retention/<office>/ as the office manager"
    ),
    "page contact stats": Target("p95", 500, 30, "GET /contacts/stats/ as the office manager"),
    "page survey report": Target("p95", 500, 45, "GET /surveys/<slug>/report/ as the manager"),
    "page home (office manager)": Target("p95", 500, 35, "GET / as the office manager"),
    "page home (corporation manager)": Target(
        "p95", 1000, 35, "GET / for the largest corporation: every office's overview"
    ),
    "page corporation retention": Target(
        "p95", 1000, 30, "GET /clients/retention/corporation/<pk>/"
    ),
}

# The same pages through a real server: gunicorn started by the benchmark on a loopback port,
# one kept-alive HTTP connection, persistent database connections (CONN_MAX_AGE). An office's
# pages answer within 60 ms, the survey report within 100 ms, a corporation's pages (115 offices
# in the national set) within 200 ms (issue 23).
HTTP_PAGES = {
    "page client list": 60,
    "page retention dashboard": 60,
    "page contact stats": 60,
    "page survey report": 100,
    "page home (office manager)": 60,
    "page home (corporation manager)": 200,
    "page corporation retention": 200,
}
for _name, _ms in HTTP_PAGES.items():
    TARGETS[f"http {_name}"] = Target("median", _ms, None, "through gunicorn: " + _name)


@dataclass
class Row:
    operation: str
    runs: int
    median_ms: float
    p95_ms: float
    queries: int
    target: str
    passed: bool
    note: str = ""
    sql_median_ms: float | None = None  # the hand-written SQL returning the same result
    ratio: float | None = None  # median / SQL median
    same_result: bool | None = None  # the project's result equals the SQL's
    # Time inside the database driver's execute (median of the calls' sums), the project's and
    # the SQL's, and the SQL's slowest query (median over the calls): FIXED_COST_QUERY_MS.
    database_ms: float | None = None
    sql_database_ms: float | None = None
    sql_slowest_query_ms: float | None = None
    fixed_cost_allowance: bool = False  # passed over SQL_RATIO by the fixed-cost rule


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def _database_figures(calls):
    """(median of the calls' time inside the database, median of each call's slowest query),
    in ms, from ``[[query ms, …], …]``; (None, None) without calls."""
    if not calls:
        return None, None
    return (
        statistics.median(sum(call) for call in calls),
        statistics.median(max(call, default=0) for call in calls),
    )


def _row(name, times, queries, note="", *, sql_times=None, same_result=None, database=None,
         sql_database=None):  # fmt: skip
    target = TARGETS[name]
    median = statistics.median(times) * 1000
    p95 = percentile(times, 0.95) * 1000
    value = median if target.stat == "median" else p95
    passed = value < target.ms and (
        target.max_queries is None or queries is None or queries <= target.max_queries
    )
    budget = "" if target.max_queries is None else f", ≤{target.max_queries} q"
    sql_median = ratio = None
    if sql_times:
        sql_median = statistics.median(sql_times) * 1000
        ratio = round(median / sql_median, 2) if sql_median else None
    database_ms, _slowest = _database_figures(database)
    sql_database_ms, sql_slowest = _database_figures(sql_database)
    allowance = False
    if target.compared:
        passed = passed and same_result is True
    if target.max_ratio is not None:
        budget += f", ≤{target.max_ratio}× SQL"
        passed = passed and same_result is True and ratio is not None
        if passed and ratio > target.max_ratio:
            allowance = (
                sql_slowest is not None
                and sql_slowest < FIXED_COST_QUERY_MS
                and bool(sql_database_ms)
                and database_ms <= target.max_ratio * sql_database_ms
            )
            passed = allowance
    return Row(
        operation=name,
        runs=len(times),
        median_ms=round(median, 1),
        p95_ms=round(p95, 1),
        queries=queries,
        target=f"{target.stat} < {target.ms:,.0f} ms{budget}",
        passed=passed,
        note=note if same_result is not False else f"DIFFERENT RESULT FROM SQL; {note}",
        sql_median_ms=None if sql_median is None else round(sql_median, 1),
        ratio=ratio,
        same_result=same_result,
        database_ms=None if database_ms is None else round(database_ms, 2),
        sql_database_ms=None if sql_database_ms is None else round(sql_database_ms, 2),
        sql_slowest_query_ms=None if sql_slowest is None else round(sql_slowest, 2),
        fixed_cost_allowance=allowance,
    )


def _count_queries(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


@contextlib.contextmanager
def _database_clock(calls):
    """Append to ``calls`` one list per ``next(clock)`` call made inside, of the milliseconds
    each query spent in the database driver's execute (sending, the database's work, the
    answer's arrival; not Django building the query or converting the rows)."""
    from django.db import connection

    def clocked(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            calls[-1].append((time.perf_counter() - start) * 1000)

    def next_call():
        calls.append([])

    with connection.execute_wrapper(clocked):
        yield next_call


def _time(fn, runs, *, warmup=1):
    """Wall-clock seconds of ``runs`` calls (after warm-up), and the queries of one call."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times, _count_queries(fn)


def _time_pair(project, by_hand, runs, *, warmup=1):
    """Wall-clock seconds of ``runs`` calls of each, interleaved (project, SQL, then SQL,
    project…): both meet the same moments of the machine, so a passing load moves both."""
    for _ in range(warmup):
        project()
        by_hand()
    times, sql_times = [], []
    for run in range(runs):
        for fn, found in ((project, times), (by_hand, sql_times))[:: 1 if run % 2 == 0 else -1]:
            start = time.perf_counter()
            fn()
            found.append(time.perf_counter() - start)
    return times, sql_times


def _per_item_pair(project, by_hand, items):
    """One timed call of each per item, interleaved as ``_time_pair``'s."""
    times, sql_times = [], []
    for index, item in enumerate(items):
        for fn, found in ((project, times), (by_hand, sql_times))[:: 1 if index % 2 == 0 else -1]:
            start = time.perf_counter()
            fn(item)
            found.append(time.perf_counter() - start)
    return times, sql_times


def _in_database(fn, runs):
    """Each of ``runs`` calls' query times (``_database_clock``)."""
    calls = []
    with _database_clock(calls) as next_call:
        for _ in range(runs):
            next_call()
            fn()
    return calls


def _per_item(fn, items, *, sample=20, database=None):
    """One timed call per item; queries: the most any of the first ``sample`` items took.
    ``database``: as ``_time``'s, one further call per item."""
    times = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - start)
    if database is not None:
        with _database_clock(database) as next_call:
            for item in items:
                next_call()
                fn(item)
    queries = max((_count_queries(lambda i=item: fn(i)) for item in items[:sample]), default=None)
    return times, queries


def run_operations(world, *, runs=5, log=None, http=True):
    """Time every operation against the generated ``world``; returns [Row] in TARGETS order.

    ``http``: also time the pages through gunicorn (which needs the data committed: not inside a
    test's transaction)."""
    import time_machine
    from django.conf import settings
    from django.core.paginator import Paginator
    from django.test import Client as TestClient
    from django.urls import reverse
    from django.utils import timezone

    from bench import sql
    from clients import selectors
    from clients.retention import office_retention, offices_retention
    from contacts.stats import (
        contact_stats,
        face_to_face_compliance,
        face_to_face_compliance_by_office,
    )
    from contacts.worklist import worklist_for
    from core.calendar import JST
    from offices.models import Office
    from offices.scoping import offices_visible_to
    from surveys.report import compute_survey_report

    log = log or (lambda message: None)
    today, fiscal_year, month = world.today, world.fiscal_year, world.month
    offices = list(Office.objects.filter(uses_system=True).order_by("office_number"))
    corporation_offices = list(
        Office.objects.filter(corporation=world.largest_corporation, uses_system=True)
    )
    year_from = month
    for _ in range(11):
        year_from = year_from.previous()
    rows = []

    def add(name, times, queries, note="", **compared):
        times = compared.pop("interleaved", times)  # timed with the SQL (against_sql)
        row = _row(name, times, queries, note, **compared)
        rows.append(row)
        ratio = "" if row.ratio is None else f", {row.ratio}× SQL ({row.sql_median_ms} ms)"
        if row.database_ms is not None:
            ratio += (f"; in the database {row.database_ms} ms against {row.sql_database_ms} ms,"
                      f" the SQL's slowest query {row.sql_slowest_query_ms} ms")  # fmt: skip
        same = "" if row.same_result is not False else ", DIFFERENT RESULT"
        log(f"  {name}: median {row.median_ms} ms, p95 {row.p95_ms} ms, {queries} queries"
            f"{ratio}{same}")  # fmt: skip

    def against_sql(project, by_hand, *, timed=None, same=lambda a, b: a == b,
                    runs=runs * COMPARED_RUNS):  # fmt: skip
        """Times of the hand-written SQL, whether it returned the project's result, and the
        time both spend inside the database. ``timed``: the project's call the row times
        (``project`` itself by default), timed again interleaved with the SQL (``_time_pair``):
        the row's times and the SQL's are taken at the same moments."""
        times, sql_times = _time_pair(timed or project, by_hand, runs)
        return {
            "interleaved": times,
            "sql_times": sql_times,
            "same_result": same(project(), by_hand()),
            "database": _in_database(timed or project, runs),
            "sql_database": _in_database(by_hand, runs),
        }

    def retention_json(results):
        return [r.as_json() for r in results]

    noon = dt.datetime.combine(today, dt.time(10, 0), tzinfo=JST)
    with time_machine.travel(noon, tick=True):
        as_of = today

        def retention_of(office):
            return office_retention(office=office, fiscal_year=fiscal_year)

        def retention_sql_of(office):
            return sql.offices_retention(offices=[office], fiscal_year=fiscal_year, as_of=as_of)

        _q, queries = _per_item(retention_of, offices[:20])
        times, sql_times = _per_item_pair(retention_of, retention_sql_of, offices)
        database, sql_database = [], []
        _per_item(retention_of, offices, sample=0, database=database)
        _per_item(retention_sql_of, offices, sample=0, database=sql_database)
        same = all(
            office_retention(office=o, fiscal_year=fiscal_year).as_json()
            == sql.offices_retention(offices=[o], fiscal_year=fiscal_year, as_of=as_of)[0].as_json()
            for o in offices[:: max(1, len(offices) // 50)]
        )
        add("office_retention per office", times, queries, f"FY{fiscal_year}",
            sql_times=sql_times, same_result=same, database=database,
            sql_database=sql_database)  # fmt: skip

        # The national batch: one call of offices_retention for every office (not the
        # per-office call repeated), against the SQL doing the same in one call.
        def national_batch():
            return offices_retention(offices=offices, fiscal_year=fiscal_year)

        queries = _count_queries(national_batch)
        add("office_retention all offices", None, queries, f"{len(offices)} offices",
            **against_sql(
                lambda: retention_json(national_batch()),
                lambda: retention_json(
                    sql.offices_retention(offices=offices, fiscal_year=fiscal_year, as_of=as_of)),
                timed=national_batch, runs=runs,
            ))  # fmt: skip

        def corporation_batch():
            return offices_retention(offices=corporation_offices, fiscal_year=fiscal_year)

        queries = _count_queries(corporation_batch)
        add("retention largest corporation", None, queries, f"{len(corporation_offices)} offices",
            **against_sql(
                lambda: retention_json(corporation_batch()),
                lambda: retention_json(sql.offices_retention(
                    offices=corporation_offices, fiscal_year=fiscal_year, as_of=as_of)),
                timed=corporation_batch,
            ))  # fmt: skip

        three_years_from = year_from
        for _ in range(24):
            three_years_from = three_years_from.previous()
        for name, stat_offices, note, date_from in (
            ("contact_stats office-year", [world.largest_office],
             world.largest_office.office_number, year_from.first_day),
            ("contact_stats office-36-months", [world.largest_office],
             world.largest_office.office_number, three_years_from.first_day),
            ("contact_stats corporation-year", corporation_offices,
             f"{len(corporation_offices)} offices", year_from.first_day),
        ):  # fmt: skip

            def project(stat_offices=stat_offices, date_from=date_from):
                return contact_stats(
                    offices=stat_offices, date_from=date_from, date_to=today
                ).as_json(office_number=None)

            def by_hand(stat_offices=stat_offices, date_from=date_from):
                return sql.contact_stats(
                    offices=stat_offices, date_from=date_from, date_to=today
                ).as_json(office_number=None)

            add(name, None, _count_queries(project), note, **against_sql(project, by_hand))

        def compliance_of(office):
            return face_to_face_compliance(offices=[office], month=month)

        def compliance_sql_of(office):
            return sql.face_to_face_compliance(office=office, month=month)

        _q, queries = _per_item(compliance_of, offices[:20])
        times, sql_times = _per_item_pair(compliance_of, compliance_sql_of, offices)
        database, sql_database = [], []
        _per_item(compliance_of, offices, sample=0, database=database)
        _per_item(compliance_sql_of, offices, sample=0, database=sql_database)
        same = all(
            face_to_face_compliance(offices=[o], month=month)
            == sql.face_to_face_compliance(office=o, month=month)
            for o in offices[:: max(1, len(offices) // 50)]
        )
        add("f2f compliance per office", times, queries, str(month), sql_times=sql_times,
            same_result=same, database=database, sql_database=sql_database)  # fmt: skip
        times, queries = _time(
            lambda: face_to_face_compliance_by_office(offices=offices, month=month), runs
        )
        add("f2f compliance all offices", times, queries, f"{len(offices)} offices")

        staff = world.staff_member

        def worklist():
            return worklist_for(user=staff, today=today).count

        add("worklist one staff member", None, _count_queries(worklist), staff.username,
            **against_sql(
                lambda: sql.worklist_ids_of(worklist_for(user=staff, today=today)),
                lambda: sql.worklist_ids(user=staff, today=today),
                timed=worklist,
            ))  # fmt: skip

        # Computed from the answers (the page reads it from the cache until an input changes).
        queries = _count_queries(lambda: compute_survey_report(world.survey))
        add("survey_report", None, queries, f"{world.responses} responses, uncached",
            **against_sql(lambda: compute_survey_report(world.survey),
                          lambda: sql.survey_report(world.survey)))  # fmt: skip
        # The same with one burst voided: the voided responses count nowhere, in both.
        burst = list(world.survey.responses.order_by("pk").values_list("pk", flat=True)[:25])
        world.survey.responses.filter(pk__in=burst).update(voided_at=timezone.now())
        same_voided = compute_survey_report(world.survey) == sql.survey_report(world.survey)
        world.survey.responses.filter(pk__in=burst).update(voided_at=None)
        if not same_voided:
            rows[-1].same_result, rows[-1].passed = False, False
            rows[-1].note = f"DIFFERENT RESULT FROM SQL with 25 voided; {rows[-1].note}"

        def client_list(user, **filters):
            queryset = selectors.filter_clients(
                selectors.clients_visible_to(user=user), today=today, **filters
            ).order_by("family_name_kana", "given_name_kana", "client_code")
            page = Paginator(queryset, PAGE_SIZE).get_page(1)
            return page.paginator.count, list(page)

        def client_list_ids(user, **filters):
            count, page = client_list(user, **filters)
            return count, [client.pk for client in page]

        manager, corporation_manager = world.office_manager, world.corporation_manager

        def office_list():
            return client_list(manager, status=selectors.Status.ACTIVE)

        add("client list query (office manager)", None, _count_queries(office_list),
            **against_sql(
                lambda: client_list_ids(manager, status=selectors.Status.ACTIVE),
                lambda: sql.client_list_active(user=manager, today=today, page_size=PAGE_SIZE),
                timed=office_list,
            ))  # fmt: skip
        times, queries = _time(lambda: client_list(corporation_manager, query="サ"), runs)
        add("client list query (corporation, search)", times, queries,
            f"{offices_visible_to(corporation_manager).count()} offices")  # fmt: skip

        browser = TestClient()
        browser.force_login(manager)
        corporation_browser = TestClient()
        corporation_browser.force_login(corporation_manager)
        office_number = world.largest_office.office_number
        pages = [
            ("page client list", browser, reverse("client_list")),
            ("page retention dashboard", browser,
             reverse("retention_office", kwargs={"office_number": office_number})),
            ("page contact stats", browser, reverse("contact_stats_page")),
            ("page survey report", browser,
             reverse("survey_report", kwargs={"survey_slug": world.survey.slug})),
            ("page home (office manager)", browser, reverse("home")),
            ("page home (corporation manager)", corporation_browser, reverse("home")),
            ("page corporation retention", corporation_browser,
             reverse("retention_corporation",
                     kwargs={"corporation_pk": world.largest_corporation.pk})),
        ]  # fmt: skip
        for name, client, url in pages:

            def get(client=client, url=url):
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {url} answered {response.status_code}")
                return response

            times, queries = _time(get, runs)
            add(name, times, queries, url)

    if not http:
        return rows
    with _gunicorn(today) as server:
        for name, client, url in pages:
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            times = _time(lambda c=cookie, url=url: server.get(url, c), runs, warmup=2)[0]
            add(f"http {name}", times, None, url)
    return rows


# ---------------------------------------------------------------------------------------------
# Pages through gunicorn


class _KeptAlive:
    """One HTTP/1.1 connection kept alive to the benchmark's gunicorn."""

    def __init__(self, port):
        import http.client

        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, url, cookie):
        from django.conf import settings

        cookie = f"{settings.SESSION_COOKIE_NAME}={cookie}"
        self.connection.request("GET", url, headers={"Host": "localhost", "Cookie": cookie})
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"gunicorn: GET {url} answered {response.status}")
        return body


@contextlib.contextmanager
def _gunicorn(today):
    """gunicorn on a free loopback port (gthread: keep-alive), the bench's database and
    settings, persistent database connections; stopped at the end."""
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "DJANGO_CONN_MAX_AGE": "600",
        "BENCH_TODAY": today.isoformat(),
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.wsgi_travel:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--worker-class", "gthread",
         "--threads", "2", "--keep-alive", "60", "--log-level", "warning"],
        cwd=ROOT, env=environment,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        connection = _KeptAlive(port)
        yield connection
        connection.connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---------------------------------------------------------------------------------------------
# The command line


def _recreate_postgres(url, *, drop_only=False):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing database name {name!r}: letters, digits and _ only")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def _prepare_environment(database_url):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    # Production-shaped: no debug (no query log, no debug templates), but plain HTTP for the
    # test client and a throw-away key.
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("CELERY_BROKER_URL", None)


def print_table(rows, out=sys.stdout):
    header = ("operation", "runs", "median ms", "p95 ms", "queries", "SQL ms", "ratio",
              "in DB ms", "SQL in DB ms", "SQL slowest q ms", "target", "result")  # fmt: skip

    def number(value, digits=1):
        return "—" if value is None else f"{value:,.{digits}f}"

    lines = [
        (r.operation, str(r.runs), f"{r.median_ms:,.1f}", f"{r.p95_ms:,.1f}",
         "—" if r.queries is None else str(r.queries), number(r.sql_median_ms),
         "—" if r.ratio is None else f"{r.ratio:.2f}×", number(r.database_ms, 2),
         number(r.sql_database_ms, 2), number(r.sql_slowest_query_ms, 2), r.target,
         ("PASS (ORM)" if r.fixed_cost_allowance else "PASS") if r.passed else "FAIL")
        for r in rows
    ]  # fmt: skip
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    numeric = {1, 2, 3, 4, 5, 6, 7, 8, 9}

    def fmt(cells):
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    print(fmt(header), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for line in lines:
        print(fmt(line), file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offices", type=int, default=1678, help="offices (default 1678)")
    parser.add_argument(
        "--database-url",
        help="postgres://user@host:port/NAME: a database the benchmark drops, creates and drops "
        "again at the end; or sqlite:////ABSOLUTE/PATH (default: sqlite:///"
        f"{DEFAULT_SQLITE})",
    )
    parser.add_argument("--quick", action="store_true", help="two months of contacts, fewer runs")
    parser.add_argument(
        "--runs",
        type=int,
        help="timed runs per operation (default 5, quick 3; rows compared with their SQL by "
        "single calls: three times as many)",
    )
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the PostgreSQL database a --keep run left (migrated again, not regenerated)",
    )
    parser.add_argument(
        "--imports-json",
        type=Path,
        help='the JSON of bench/imports.py, included under "imports" in --json when present',
    )
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)

    url = args.database_url
    if url is None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{DEFAULT_SQLITE}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{DEFAULT_SQLITE}"
    elif urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}:
        if not args.reuse:
            _recreate_postgres(url)
    elif urlsplit(url).scheme == "sqlite" and url.startswith("sqlite:////"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{urlsplit(url).path}{suffix}").unlink(missing_ok=True)
    else:
        raise SystemExit(
            "--database-url must be postgres://…/NAME or sqlite:////ABSOLUTE/PATH "
            "(default: SQLite under /tmp)"
        )
    _prepare_environment(url)

    import warnings

    import django

    # WhiteNoise warns that STATIC_ROOT is missing: the benchmark never serves static files.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from bench.generate import generate, world_of

    def log(message):
        print(message, file=sys.stderr, flush=True)

    log(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrated in {time.perf_counter() - started:.1f} s; generating…")
    started = time.perf_counter()
    if args.reuse:
        world = world_of()
    else:
        world = generate(offices=args.offices, quick=args.quick, seed=args.seed, log=log)
    generation = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    log(
        f"generated {world.offices:,} offices, {world.corporations:,} corporations, "
        f"{world.clients:,} clients, {world.employments:,} employments, "
        f"{world.contacts:,} contacts, {world.responses:,} responses in {generation:.1f} s"
    )
    log("timing…")
    rows = run_operations(world, runs=runs, log=log)
    print(
        f"\n{connection.vendor}: {world.offices:,} offices, {world.clients:,} clients, "
        f"{world.contacts:,} contacts, {world.responses:,} survey responses "
        f"(generated in {generation:.0f} s)\n"
    )
    print_table(rows)
    failed = [r.operation for r in rows if not r.passed]
    print(f"\n{len(rows) - len(failed)} of {len(rows)} targets met" + (
        f"; FAILED: {', '.join(failed)}" if failed else ""))  # fmt: skip
    if args.json:
        document = {
            "database": connection.vendor,
            "offices": world.offices,
            "corporations": world.corporations,
            "clients": world.clients,
            "employments": world.employments,
            "contacts": world.contacts,
            "responses": world.responses,
            "generation_seconds": round(generation, 1),
            "generation_steps": world.seconds,
            "runs": runs,
            "sql_ratio_target": SQL_RATIO,
            "operations": [asdict(r) for r in rows],
            "targets": {
                name: {
                    **asdict(target),
                    "passed": next((r.passed for r in rows if r.operation == name), None),
                }
                for name, target in TARGETS.items()
            },
            "failed": failed,
        }
        # The bulk imports' figures (bench/imports.py writes them with its own --json): included
        # when that file is given and present.
        if args.imports_json and args.imports_json.exists():
            document["imports"] = json.loads(args.imports_json.read_text())
        args.json.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    connections.close_all()
    if urlsplit(url).scheme.startswith("postg") and not (args.keep or args.reuse):
        _recreate_postgres(url, drop_only=True)
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
