"""Demo contacts: about a year for every demo client, with the method mix of Table 13 of the paper
(phone and workplace visits most common), plus support reports and today's notifications."""

import datetime as dt

from clients.models import Client
from contacts import reminders, reports
from contacts.face_to_face import default_face_to_face, is_met_in_month
from contacts.models import (
    Contact,
    LifeTopic,
    ReportRecipient,
    SharingMethod,
    SupportReport,
    WorkTopic,
)
from core import calendar
from core.audit import Actor
from core.calendar import JST, Month
from core.vocab import ContactMethod as M
from core.vocab import Counterpart as C
from offices.models import Membership

# Table 13 (状態把握の方法), answers out of 493: the weights of the demo's methods.
METHOD_WEIGHTS = {
    M.PHONE: 155, M.WORKPLACE_VISIT: 131, M.EMAIL: 89, M.HOME_VISIT: 44, M.LINE_SNS: 37,
    M.OFFICE_INTERVIEW: 23, M.ONLINE_FORM: 5, M.MEDICAL_ACCOMPANIMENT: 3,
    M.AGENCY_COORDINATION: 3, M.VIDEO_CALL: 2, M.OUTSIDE_MEETING: 1,
}  # fmt: skip

COUNTERPARTS = {
    M.PHONE: {C.CLIENT: 60, C.EMPLOYER: 20, C.FAMILY: 15, C.MEDICAL: 5},
    M.WORKPLACE_VISIT: {C.CLIENT: 70, C.EMPLOYER: 30},
    M.EMAIL: {C.CLIENT: 55, C.EMPLOYER: 40, C.CONSULTATION: 5},
    M.HOME_VISIT: {C.CLIENT: 75, C.FAMILY: 25},
    M.LINE_SNS: {C.CLIENT: 100},
    M.OFFICE_INTERVIEW: {C.CLIENT: 100},
    M.ONLINE_FORM: {C.CLIENT: 100},
    M.MEDICAL_ACCOMPANIMENT: {C.CLIENT: 60, C.MEDICAL: 40},
    M.AGENCY_COORDINATION: {C.CONSULTATION: 60, C.OTHER_AGENCY: 40},
    M.VIDEO_CALL: {C.CLIENT: 100},
    M.OUTSIDE_MEETING: {C.CLIENT: 100},
}

SUMMARIES = {
    C.CLIENT: [
        "体調は安定しており、業務にも慣れてきたとのこと。",
        "残業が続いて疲れがあると話す。休息の取り方を一緒に確認した。",
        "新しい作業を任され、手順書を作って対応していると報告あり。",
        "睡眠リズムが乱れ気味。通院時に主治医へ相談するよう助言した。",
        "職場の人間関係は良好。昼休みに同僚と話せるようになった。",
        "給与の使い方について相談あり。家計簿アプリを紹介した。",
    ],
    C.EMPLOYER: [
        "上司より、遅刻なく勤務できていると報告あり。",
        "業務量の調整について人事担当と相談。週1回の面談を継続する。",
        "作業手順の視覚化を提案し、職場で試行してもらうことになった。",
        "合理的配慮の内容を再確認。休憩の取り方を共有した。",
    ],
    C.FAMILY: [
        "母より、家での様子は落ち着いていると連絡あり。",
        "家族から帰宅後の疲れについて相談。生活リズムを一緒に見直す。",
    ],
    C.MEDICAL: ["主治医と服薬状況を共有。現在の勤務時間で問題ないとの意見。"],
    C.CONSULTATION: ["相談支援専門員とモニタリング結果を共有した。"],
    C.OTHER_AGENCY: ["就業・生活支援センターと今後の役割分担を確認した。"],
}

DURATIONS = {
    M.PHONE: (10, 30), M.WORKPLACE_VISIT: (30, 90), M.EMAIL: (5, 15), M.HOME_VISIT: (45, 90),
    M.LINE_SNS: (5, 10), M.OFFICE_INTERVIEW: (30, 60), M.ONLINE_FORM: (5, 10),
    M.MEDICAL_ACCOMPANIMENT: (90, 180), M.AGENCY_COORDINATION: (20, 45),
    M.VIDEO_CALL: (20, 40), M.OUTSIDE_MEETING: (30, 60),
}  # fmt: skip


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _clients_by_office(ctx):
    given = ctx.extra.get("clients") or {}
    result = {}
    for number, office in sorted(ctx.offices.items()):
        if not office.uses_system:
            continue
        clients = given.get(number)
        if clients is None:
            clients = Client.objects.filter(office=office).order_by("client_code")
        result[number] = list(clients)
    return result


def _staff_of(office):
    return list(
        Membership.objects.filter(office=office).select_related("user").order_by("user__username")
    )


def _contacts_for(ctx, client, office, staff, month):
    rng = ctx.rng
    first, last = month.first_day, min(month.last_day, ctx.today)
    if client.service_start > last or (client.service_end and client.service_end < first):
        return []
    first = max(first, client.service_start)
    if client.service_end:
        last = min(last, client.service_end)
    days = (last - first).days + 1
    rows = []
    for _i in range(rng.randint(3, 7)):
        method = _weighted(rng, METHOD_WEIGHTS)
        counterpart = _weighted(rng, COUNTERPARTS[method])
        day = first + dt.timedelta(days=rng.randrange(days))
        if day.weekday() >= 5:
            day -= dt.timedelta(days=day.weekday() - 4)
            day = max(day, first)
        at = dt.datetime.combine(day, dt.time(rng.randint(9, 18), rng.choice((0, 15, 30, 45))))
        low, high = DURATIONS[method]
        member = client.staff_in_charge or (rng.choice(staff).user if staff else None)
        work = [] if counterpart in {C.FAMILY, C.MEDICAL} else rng.sample(WorkTopic.values, 1)
        life = rng.sample(LifeTopic.values, 1) if counterpart != C.EMPLOYER else []
        rows.append(
            Contact(
                client=client,
                staff=member,
                created_by=member,
                contacted_at=at.replace(tzinfo=JST),
                method=method,
                counterpart=counterpart,
                face_to_face=default_face_to_face(method=method, office=office),
                duration_minutes=rng.randint(low, high),
                work_topics=work if rng.random() < 0.8 else [],
                life_topics=life if rng.random() < 0.6 else [],
                summary=rng.choice(SUMMARIES[counterpart]),
                next_follow_up=(
                    day + dt.timedelta(days=rng.randint(3, 14)) if rng.random() < 0.12 else None
                ),
            )
        )
    # Offices meet nearly everyone face to face every month (billing needs it); a few slip.
    met = is_met_in_month(rows, month)
    if not met and rng.random() < 0.9:
        day = first + dt.timedelta(days=rng.randrange(days))
        visit = rng.choice((M.WORKPLACE_VISIT, M.WORKPLACE_VISIT, M.OFFICE_INTERVIEW, M.HOME_VISIT))
        rows.append(
            Contact(
                client=client,
                staff=client.staff_in_charge or (staff[0].user if staff else None),
                contacted_at=dt.datetime.combine(day, dt.time(14, 0), tzinfo=JST),
                method=visit,
                counterpart=C.CLIENT,
                face_to_face=True,
                duration_minutes=45,
                work_topics=[rng.choice(WorkTopic.values)],
                summary=rng.choice(SUMMARIES[C.CLIENT]),
            )
        )
    # Keep the (client, time, method, counterpart) key unique.
    unique = {}
    for row in rows:
        unique.setdefault((row.contacted_at, row.method, row.counterpart), row)
    return list(unique.values())


def seed(ctx):
    this_month = Month.of(ctx.today)
    months = [this_month]
    while len(months) < 12:
        months.append(months[-1].previous())
    months.reverse()
    total = 0
    for number, clients in _clients_by_office(ctx).items():
        office = ctx.offices[number]
        staff = _staff_of(office)
        rows = []
        for client in clients:
            for month in months:
                rows.extend(_contacts_for(ctx, client, office, staff, month))
        Contact.objects.bulk_create(rows, batch_size=500)
        total += len(rows)
        _seed_reports(ctx, office, clients, this_month)
    ctx.log(f"  {total} contacts")
    created = sum(
        reminders.notify_user(user=user, day=ctx.today) for user in reminders.staff_to_remind()
    )
    ctx.log(f"  {created} notifications for {ctx.today}")


def _seed_reports(ctx, office, clients, this_month):
    """Reports for the last three closed months: shared, except a few of last month's."""
    rng = ctx.rng
    closed = [this_month.previous().previous().previous(), this_month.previous().previous()]
    last = this_month.previous()
    for client in clients:
        for month in [*closed, last]:
            if client.service_start > month.last_day or (
                client.service_end and client.service_end < month.first_day
            ):
                continue
            report, _created = reports.report_create(
                client=client, month=month, actor=Actor.command()
            )
            shared = month != last or rng.random() < 0.6
            if shared:
                shared_on = month.next().first_day + dt.timedelta(days=rng.randint(2, 9))
                shared_on = min(shared_on, calendar.today())
                to_employer = rng.random() < 0.8
                SupportReport.objects.filter(pk=report.pk).update(
                    next_goals="体調管理を続け、困ったときは早めに相談する。"
                )
                report.refresh_from_db()
                reports.report_share(
                    report=report,
                    actor=Actor.command(),
                    recipient=ReportRecipient.PERSON,
                    shared_on=shared_on,
                    method=SharingMethod.EXPLAINED_IN_MEETING,
                )
                if to_employer:
                    reports.report_share(
                        report=report,
                        actor=Actor.command(),
                        recipient=ReportRecipient.EMPLOYER,
                        shared_on=shared_on,
                        method=SharingMethod.HAND_DELIVERED,
                    )
