"""Hand-written SQL for each statistic the benchmark times: the limit the project is measured
against.

Each function returns the same result as the project's function (``bench/run.py`` checks it
equal in the run), reading the rows with plain cursor SQL, one query per figure group and only the
columns needed, and then handing them to the project's plain-data rule (``compute_retention``,
``assemble_contact_stats``, ``assemble_question_reports``…): what is measured is the cost of
reaching the data, the part an ORM can make slower. The SQL runs on PostgreSQL and SQLite.
"""

import datetime as dt
from decimal import Decimal

from django.db import connection

# Who may read an office (offices.scoping: member offices or managed corporations, in use).
SCOPE = """o.uses_system = %s AND (
    o.id IN (SELECT office_id FROM offices_membership WHERE user_id = %s)
    OR o.corporation_id IN (
        SELECT corporation_id FROM offices_corporationmanager WHERE user_id = %s))"""

ORIGIN = """CASE WHEN c.referral_office_id IS NULL THEN 'unknown_origin'
    WHEN r.corporation_id = o.corporation_id THEN 'own_org' ELSE 'other_org' END"""


def _rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _in(values):
    return "(" + ",".join(["%s"] * len(values)) + ")" if values else "(NULL)"


def _at(moment):
    """An aware datetime as the database compares it (SQLite: a UTC text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def _date(value):
    """A date from an aggregate (SQLite gives text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _of_clients(offices_in):
    """``k.client_id`` among the offices' clients: on PostgreSQL the ids first, then the
    contacts' index (``= ANY(ARRAY(…))``), whatever the size of the tables."""
    clients = f"SELECT id FROM clients_client WHERE office_id IN {offices_in}"
    if connection.vendor == "postgresql":
        return f"k.client_id = ANY(ARRAY({clients}))"
    return f"k.client_id IN ({clients})"


def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


# ---------------------------------------------------------------------------------------------
# Retention


def offices_retention(*, offices, fiscal_year, as_of):
    from clients.fees import FeeTableRows, Tier
    from clients.retention import EmploymentSpan, ServicePeriod, compute_retention, window_of
    from core.calendar import fiscal_year_bounds
    from core.names import display_name

    ids = [office.pk for office in offices]
    window_start, reference_date = window_of(fiscal_year)
    window = "c.service_start <= %s AND (c.service_end IS NULL OR c.service_end >= %s)"
    params = [*ids, reference_date, window_start]
    clients, spans = {}, {}
    for pk, office_id, code, family, given, start, end, *employment in _rows(
        "SELECT c.id, c.office_id, c.client_code, c.family_name, c.given_name, c.service_start,"
        " c.service_end, e.start_date, e.end_date, e.supported_job_change,"
        " e.returned_from_leave_on FROM clients_client c"
        " LEFT JOIN clients_employment e ON e.client_id = c.id"
        f" WHERE c.office_id IN {_in(ids)} AND {window} ORDER BY c.id, e.start_date",
        params,
    ):
        clients[pk] = (pk, office_id, code, family, given, start, end)
        if employment[0] is not None:
            e_start, e_end, supported, returned = employment
            spans.setdefault(pk, []).append(
                EmploymentSpan(e_start, e_end, bool(supported), returned)
            )
    clients = list(clients.values())
    first_starts = dict(
        _rows(
            "SELECT office_id, MIN(service_start) FROM clients_client"
            f" WHERE office_id IN {_in(ids)} GROUP BY office_id",
            ids,
        )
    )
    tier_rows = _rows(
        "SELECT t.effective_from, t.verified, r.min_percent, r.units FROM billing_feetier r"
        " JOIN billing_feetable t ON t.id = r.table_id WHERE r.table_id = (SELECT id FROM"
        " billing_feetable WHERE effective_from <= %s ORDER BY effective_from DESC LIMIT 1)"
        " ORDER BY r.min_percent DESC",
        [fiscal_year_bounds(fiscal_year)[0]],
    )
    tiers = None
    if tier_rows:
        tiers = FeeTableRows(
            effective_from=tier_rows[0][0],
            verified=bool(tier_rows[0][1]),
            tiers=tuple(Tier(min_percent=_decimal(m), units=u) for _f, _v, m, u in tier_rows),
        )
    periods = {office_id: [] for office_id in ids}
    for pk, office_id, code, family, given, start, end in clients:
        periods[office_id].append(
            ServicePeriod(
                client_code=code,
                service_start=start,
                service_end=end,
                employments=tuple(spans.get(pk, ())),
                client_pk=pk,
                full_name=display_name(family, given),
            )
        )
    results = []
    for office in offices:
        result = compute_retention(
            office_number=office.office_number,
            fiscal_year=fiscal_year,
            periods=periods[office.pk],
            tiers=tiers,
            as_of=as_of,
            first_service_start=_date(first_starts.get(office.pk)),
        )
        result.office = office
        results.append(result)
    return results


# ---------------------------------------------------------------------------------------------
# Contact statistics


def contact_stats(*, offices, date_from, date_to):
    from contacts.stats import assemble_contact_stats
    from core.calendar import day_range, months_between

    months = months_between(date_from, date_to)
    office_ids = [office.pk for office in offices]
    offices_in = _in(office_ids)
    start, end = map(_at, day_range(date_from, date_to))
    # The offices' people with their groups, by the office index.
    people = {
        row[0]: (row[1], row[2], _date(row[3]), _date(row[4]) if row[4] else None)
        for row in _rows(
            f"SELECT c.id, {ORIGIN}, c.plan_type, c.service_start, c.service_end"
            " FROM clients_client c JOIN offices_office o ON o.id = c.office_id"
            " LEFT JOIN offices_office r ON r.id = c.referral_office_id"
            f" WHERE c.office_id IN {offices_in}",
            office_ids,
        )
    }
    # Each person's contacts counted, from the contacts alone: the people's ids first, then the
    # (client, contacted_at) index. (Counting by the groups in the database instead, joining
    # each contact to its person and office, took 8-9 ms for the largest office against 1.5-2:
    # the planner loops over the contacts.)
    contacts = _rows(
        "SELECT k.client_id, k.method, k.counterpart, k.face_to_face, COUNT(*)"
        f" FROM contacts_contact k WHERE {_of_clients(offices_in)}"
        " AND k.deleted_at IS NULL AND k.contacted_at >= %s AND k.contacted_at < %s"
        " GROUP BY 1, 2, 3, 4",
        [*office_ids, start, end],
    )
    meetings = []
    if months:
        where = (
            f" FROM contacts_contact k WHERE {_of_clients(offices_in)}"
            " AND k.deleted_at IS NULL AND k.face_to_face = %s AND k.counterpart = 'client'"
            " AND k.contacted_at >= %s AND k.contacted_at < %s"
        )
        bounds = [*office_ids, True, _at(months[0].bounds()[0]), _at(months[-1].bounds()[1])]
        if connection.vendor == "postgresql":
            # Each contact's Japanese month, one expression whatever the number of months.
            month = "date_trunc('month', k.contacted_at AT TIME ZONE 'Asia/Tokyo')::date"
            meetings = _rows(f"SELECT DISTINCT {month}, k.client_id{where}", bounds)
        else:
            cases, params = [], []
            for month in months:
                low, high = map(_at, month.bounds())
                cases.append("WHEN k.contacted_at >= %s AND k.contacted_at < %s THEN %s")
                params += [low, high, month.first_day.isoformat()]
            meetings = [
                (_date(day), client_id)
                for day, client_id in _rows(
                    f"SELECT DISTINCT CASE {' '.join(cases)} END, k.client_id{where}",
                    [*params, *bounds],
                )
            ]
    return assemble_contact_stats(
        date_from=date_from, date_to=date_to, months=months, people=people, contacts=contacts,
        meetings=meetings,
    )  # fmt: skip


def face_to_face_compliance(*, office, month):
    from contacts.stats import MonthCompliance

    low, high = map(_at, month.bounds())
    ((active, met),) = _rows(
        "SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM contacts_contact k"
        " WHERE k.client_id = c.id AND k.deleted_at IS NULL AND k.face_to_face = %s"
        " AND k.counterpart = 'client' AND k.contacted_at >= %s AND k.contacted_at < %s)"
        " THEN 1 ELSE 0 END) FROM clients_client c WHERE c.office_id = %s"
        " AND c.service_start <= %s AND (c.service_end IS NULL OR c.service_end >= %s)",
        [True, low, high, office.pk, month.last_day, month.first_day],
    )
    return MonthCompliance(month=month, active_clients=active, met=met or 0)


# ---------------------------------------------------------------------------------------------
# The worklist


def worklist_ids(*, user, today):
    """The worklist's people and follow-ups as ids, section by section: the three sections SQL
    can select by hand-written queries, and the rule-based ones (awaiting re-employment, other
    apps' sections) through the project's own functions, as the page needs them."""
    from clients.models import Client
    from contacts import hooks
    from contacts.worklist import clients_awaiting_reemployment
    from core import calendar
    from core.calendar import Month

    month = Month.of(today)
    low, high = map(_at, month.bounds())
    scope = [True, user.pk, user.pk]
    mine = f"c.staff_in_charge_id = %s AND {SCOPE}"
    no_face_to_face = [
        row[0]
        for row in _rows(
            "SELECT c.id, c.client_code, c.family_name, c.given_name, o.name FROM clients_client c"
            f" JOIN offices_office o ON o.id = c.office_id WHERE {mine}"
            " AND c.service_start <= %s AND (c.service_end IS NULL OR c.service_end >= %s)"
            " AND NOT EXISTS (SELECT 1 FROM contacts_contact k WHERE k.client_id = c.id"
            " AND k.deleted_at IS NULL AND k.face_to_face = %s AND k.counterpart = 'client'"
            " AND k.contacted_at >= %s AND k.contacted_at < %s)"
            " ORDER BY c.service_start, c.client_code",
            [user.pk, *scope, month.last_day, month.first_day, True, low, high],
        )
    ]
    due = (
        "k.deleted_at IS NULL AND k.next_follow_up IS NOT NULL AND k.next_follow_up <= %s"
        " AND NOT EXISTS (SELECT 1 FROM contacts_contact l WHERE l.client_id = k.client_id"
        " AND l.deleted_at IS NULL AND l.contacted_at > k.contacted_at)"
    )
    branch = (
        "SELECT k.id FROM contacts_contact k JOIN clients_client c ON c.id = k.client_id"
        f" JOIN offices_office o ON o.id = c.office_id WHERE {due} AND {SCOPE} AND "
    )
    follow_ups = [
        row[0]
        for row in _rows(
            "SELECT k.id, k.next_follow_up, k.contacted_at, c.client_code, c.family_name,"
            " c.given_name, o.name, s.username, s.last_name, s.first_name"
            " FROM contacts_contact k JOIN clients_client c ON c.id = k.client_id"
            " JOIN offices_office o ON o.id = c.office_id"
            " LEFT JOIN auth_user s ON s.id = k.staff_id"
            f" WHERE k.id IN ({branch} c.staff_in_charge_id = %s UNION {branch} k.staff_id = %s)"
            " ORDER BY k.next_follow_up, k.contacted_at",
            [today, *scope, user.pk, today, *scope, user.pk],
        )
    ]
    horizon = calendar.ending_soon_horizon(today)
    ending = _rows(
        "SELECT c.id, c.client_code, c.service_start, c.service_end, o.name FROM clients_client c"
        f" JOIN offices_office o ON o.id = c.office_id WHERE {mine}"
        " AND c.service_start <= %s AND (c.service_end IS NULL OR c.service_end >= %s)"
        " AND c.service_start > %s AND (c.service_end <= %s OR c.service_start <= %s)",
        [user.pk, *scope, today, today,
         calendar.latest_start_with_limit_by(today - calendar.ONE_DAY), horizon,
         calendar.latest_start_with_limit_by(horizon)],
    )  # fmt: skip
    service_ending = [
        pk
        for _end, _code, pk in sorted(
            (calendar.effective_end(start, end), code, pk) for pk, code, start, end, _o in ending
        )
    ]
    clients = Client.objects.visible_to(user).filter(staff_in_charge=user)
    return (
        no_face_to_face,
        follow_ups,
        service_ending,
        [c.pk for c in clients_awaiting_reemployment(clients, today=today)],
        [
            [item.pk for item in section.items]
            for section in hooks.worklist_sections(user=user, clients=clients, today=today)
        ],
    )


def worklist_ids_of(worklist):
    """The same ids from the project's ``Worklist``."""
    return (
        [c.pk for c in worklist.no_face_to_face],
        [k.pk for k in worklist.follow_ups],
        [c.pk for c in worklist.service_ending],
        [c.pk for c in worklist.awaiting_reemployment],
        [[item.pk for item in section.items] for section in worklist.sections],
    )


# ---------------------------------------------------------------------------------------------
# The survey report


def survey_report(survey):
    from surveys.report import assemble_question_reports

    questions = list(
        survey.questions.prefetch_related("choices", "categories").order_by("order", "pk")
    )
    # Voided responses (surveys/protection.py) count nowhere, as in the project.
    of_survey = (
        " JOIN surveys_response p ON p.id = a.response_id WHERE p.survey_id = %s"
        " AND p.voided_at IS NULL"
    )
    question_ids = [q.pk for q in questions]
    multi_ids = [q.pk for q in questions if q.type == "multi"]
    asked = f" AND a.question_id IN {_in(question_ids)}"
    counts = {"likert": {}, "single": {}, "multi": {}, "text": {}, "multi_n": {}}
    # One pass over the choice answers: a single choice under its code; a multi-choice answer
    # (stored only with a selection, as in the project) counts its respondent.
    for question_id, code, n in _rows(
        "SELECT a.question_id, h.code, COUNT(*) FROM surveys_answer a"
        f" LEFT JOIN surveys_choice h ON h.id = a.choice_id{of_survey}{asked}"
        f" AND (a.choice_id IS NOT NULL OR a.question_id IN {_in(multi_ids)}) GROUP BY 1, 2",
        [survey.pk, *question_ids, *multi_ids],
    ):
        if code is None:
            counts["multi_n"][question_id] = n
        else:
            counts["single"].setdefault(question_id, {})[code] = n
    for kind, sql, ids in (
        ("likert", "SELECT a.question_id, a.likert, COUNT(*) FROM surveys_answer a"
                   f"{of_survey}{asked} AND a.likert IS NOT NULL GROUP BY 1, 2", question_ids),
        ("multi", "SELECT a.question_id, h.code, COUNT(*) FROM surveys_answerchoice s"
                  " JOIN surveys_answer a ON a.id = s.answer_id"
                  " JOIN surveys_choice h ON h.id = s.choice_id"
                  f"{of_survey} AND a.question_id IN {_in(multi_ids)} GROUP BY 1, 2", multi_ids),
        ("text", "SELECT a.question_id, g.code, COUNT(DISTINCT a.id) FROM surveys_coding d"
                 " JOIN surveys_answer a ON a.id = d.answer_id"
                 " JOIN surveys_category g ON g.id = d.category_id"
                 f"{of_survey}{asked} AND a.text <> '' GROUP BY 1, 2", question_ids),
    ):  # fmt: skip
        for question_id, key, n in _rows(sql, [survey.pk, *ids]):
            counts[kind].setdefault(question_id, {})[key] = n
    counts["text_n"] = {
        question_id: (n, coded)
        for question_id, n, coded in _rows(
            "SELECT a.question_id, COUNT(DISTINCT a.id),"
            " COUNT(DISTINCT CASE WHEN d.id IS NOT NULL THEN a.id END) FROM surveys_answer a"
            f" LEFT JOIN surveys_coding d ON d.answer_id = a.id{of_survey}{asked}"
            " AND a.text <> '' GROUP BY 1",
            [survey.pk, *question_ids],
        )
    }
    ((respondents,),) = _rows(
        "SELECT COUNT(*) FROM surveys_response WHERE survey_id = %s AND voided_at IS NULL",
        [survey.pk],
    )
    return {
        "survey": survey.slug,
        "respondents": respondents,
        "questions": assemble_question_reports(questions, counts),
    }


# ---------------------------------------------------------------------------------------------
# The client list


def client_list_active(*, user, today, page_size):
    """Count and first page of the active clients ``user`` may see, as the list shows them."""
    # The clients restricted by their office id (PostgreSQL: the reachable offices computed once,
    # then the office index), not by an OR across the joined office row.
    reachable = f"SELECT o.id FROM offices_office o WHERE {SCOPE}"
    offices = (
        f"= ANY(ARRAY({reachable}))" if connection.vendor == "postgresql" else f"IN ({reachable})"
    )
    where = (
        f"FROM clients_client c JOIN offices_office o ON o.id = c.office_id WHERE c.office_id"
        f" {offices} AND c.service_start <= %s AND (c.service_end IS NULL OR c.service_end >= %s)"
    )
    params = [True, user.pk, user.pk, today, today]
    ((count,),) = _rows(f"SELECT COUNT(*) {where}", params)
    joined = where.replace(
        "WHERE",
        "LEFT JOIN offices_office r ON r.id = c.referral_office_id"
        " LEFT JOIN auth_user s ON s.id = c.staff_in_charge_id WHERE",
        1,
    )
    page = _rows(
        "SELECT c.id, c.client_code, c.family_name, c.given_name, c.family_name_kana,"
        f" c.given_name_kana, c.plan_type, c.service_start, c.service_end, {ORIGIN}, o.name,"
        f" o.office_number, s.username, s.last_name, s.first_name {joined}"
        " ORDER BY c.family_name_kana, c.given_name_kana, c.client_code LIMIT %s",
        [*params, page_size],
    )
    return count, [row[0] for row in page]
