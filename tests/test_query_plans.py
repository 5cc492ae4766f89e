"""Per-office statistics read only the office's rows: PostgreSQL's plan of every query they ask,
for one office of a generated country of a few hundred offices, scans no national table
(clients, employments, contacts, survey answers) from end to end.

A sequential scan there means a cost that grows with the size of the country, whatever the
office; the timings themselves live in ``bench/run.py``.
"""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import generate
from clients import selectors
from clients.retention import office_retention
from contacts.overview import offices_overview
from contacts.stats import contact_stats, face_to_face_compliance, people_not_met
from core.calendar import JST
from offices.models import Office

NATIONAL_TABLES = {
    "clients_client",
    "clients_employment",
    "contacts_contact",
    "surveys_answer",
    "surveys_answerchoice",
    "surveys_coding",
}


def plan_nodes(sql):
    """Every node of a query's plan (EXPLAIN, JSON)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    found, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        found.append(node)
        nodes.extend(node.get("Plans", []))
    return found


def sequential_scans(sql):
    """The national tables a query's plan reads with a Seq Scan."""
    return [
        node["Relation Name"]
        for node in plan_nodes(sql)
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in NATIONAL_TABLES
    ]


def contacts_read_beyond_clients(sql):
    """The plan's reads of the contacts that name no client: a sequential scan, or an index
    condition without ``client_id`` (a range of the whole country's contacts, a month of them
    say), rather than the clients' own contacts."""
    return [
        node.get("Index Name") or node["Node Type"]
        for node in plan_nodes(sql)
        if (node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "contacts_contact")
        or (
            node["Node Type"] in {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}
            and node.get("Index Name", "").startswith(("contacts_contact", "contacts_co_"))
            and "client_id" not in node.get("Index Cond", "")
        )
    ]


def queries_of_one_office(world):
    """Every SQL statement the per-office statistics ask for the largest office."""
    office, today, month = world.largest_office, world.today, world.month
    year_from = month
    for _ in range(11):
        year_from = year_from.previous()
    with (
        time_machine.travel(dt.datetime.combine(today, dt.time(10), tzinfo=JST), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        contact_stats(offices=[office], date_from=year_from.first_day, date_to=today)
        face_to_face_compliance(offices=[office], month=month)
        people_not_met(offices=[office], months=[month])
        office_retention(office=office, fiscal_year=world.fiscal_year)
        queryset = selectors.filter_clients(
            selectors.clients_visible_to(user=world.office_manager),
            today=today,
            status=selectors.Status.ACTIVE,
        ).order_by("family_name_kana", "given_name_kana", "client_code")
        queryset.count()
        list(queryset[:25])
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.postgres
@pytest.mark.django_db
def test_no_per_office_query_scans_a_national_table():
    country = generate(offices=300, quick=True)  # two months of contacts
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    statements = queries_of_one_office(country)
    assert len(statements) >= 8  # the statistics, compliance, retention and the client list
    scanned = {sql[:200]: tables for sql in statements if (tables := sequential_scans(sql))}
    assert scanned == {}
    # The check is not blind: a query that must read the whole table shows its scan.
    assert sequential_scans("SELECT COUNT(*) FROM contacts_contact") == ["contacts_contact"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_corporations_home_reads_only_its_own_peoples_contacts():
    """The corporation home's figures of every office at once (``offices_overview``) read the
    contacts from the corporation's people. PostgreSQL once hashed the whole country's meetings
    of the month (the ``contacted_at`` index) to count a hundred offices' people, and read the
    country's open follow-ups (the ``next_follow_up`` index) to count theirs."""
    country = generate(offices=300, quick=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    offices = list(Office.objects.filter(corporation=country.largest_corporation))
    with (
        time_machine.travel(
            dt.datetime.combine(country.today, dt.time(10), tzinfo=JST), tick=False
        ),
        CaptureQueriesContext(connection) as captured,
    ):
        offices_overview(offices=offices, today=country.today)
    reading_contacts = [
        q["sql"] for q in captured.captured_queries if "contacts_contact" in q["sql"]
    ]
    assert len(reading_contacts) >= 3  # compliance, methods, follow-ups
    beyond = {
        sql[:200]: found for sql in reading_contacts if (found := contacts_read_beyond_clients(sql))
    }
    assert beyond == {}
    # Not blind: the month's contacts of the country are read beyond any client.
    month_start, month_end = (f"'{moment.isoformat()}'" for moment in country.month.bounds())
    assert contacts_read_beyond_clients(
        "SELECT COUNT(*) FROM contacts_contact WHERE contacted_at >= "
        f"{month_start} AND contacted_at < {month_end}"
    )
