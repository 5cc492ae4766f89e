"""Landing pages by role, the worklist and notifications."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients import cards
from clients.models import Client
from clients.selectors import admin_start
from clients.services import people_shown
from contacts import exports, overview, selectors, services
from contacts.models import (
    Contact,
    Notification,
)
from contacts.worklist import worklist_for
from core import calendar, tabular
from core.audit import Actor
from core.params import export_format_param, safe_next
from core.templatetags.core_tags import bar_width
from offices.scoping import (
    get_scoped_or_404,
    is_corporation_manager,
    offices_managed_by,
    offices_visible_to,
    scoped,
)


def home(request):
    """Where each role lands: the one place that decides it (corporation manager, office
    manager, support staff, survey coordinator without an office, administrator)."""
    from surveys.access import is_coordinator

    user = request.user
    today = calendar.today()
    if is_corporation_manager(user):
        offices = offices_managed_by(user).select_related("corporation")
        overviews = overview.offices_overview(offices=offices, today=today)
        stats_url = reverse("contact_stats_page")
        retention_url = reverse("retention_office", kwargs={"office_number": _NUMBER_SLOT})
        labels = {}  # the method labels, escaped once per page
        return render(
            request,
            "contacts/home_corporation.html",
            {
                "overviews": overviews,
                "rows": [
                    _corporation_row(
                        ov, stats_url=stats_url, retention_url=retention_url, labels=labels
                    )
                    for ov in overviews
                ],
            },
        )
    managed = list(offices_managed_by(user).select_related("corporation"))
    if managed:
        overviews = overview.offices_overview(offices=managed, today=today)
        for ov in overviews:
            # Each office's retention card, prepared once (clients.cards).
            ov.retention_cards = [cards.retention_card(ov.retention)]
        return render(
            request,
            "contacts/home_manager.html",
            {"overviews": overviews, "card_labels": cards.labels()},
        )
    if offices_visible_to(user).exists():
        worklist_data = worklist_for(user=user, today=today)
        people_shown(actor=Actor.from_request(request), page="home", clients=worklist_data.people)
        return render(request, "contacts/home_staff.html", {"worklist": worklist_data})
    if is_coordinator(user):
        return redirect("survey_list")
    if user.is_staff:
        return render(
            request,
            "contacts/home_admin.html",
            {"start": admin_start(failure_limit=settings.AXES_FAILURE_LIMIT)},
        )
    return render(request, "contacts/home_no_office.html")


def _text(number):
    """A number as the template would show it (no thousands separator, Decimal in full)."""
    return format(number, "f") if isinstance(number, Decimal) else str(number)


# The office retention URL reversed once per page, the office number put in per row.
_NUMBER_SLOT = "0000000000"


def _corporation_row(ov, *, stats_url, retention_url, labels):
    """One office's row of the table and its card's method bars on the corporation home,
    formatted once here as HTML (``_TABLE_ROW``, ``_METHOD_BAR``): a corporation of a hundred
    offices made the template resolve, localise and escape some 5,000 variables, most of the
    page's template time (the cards' bars half of it, the table's rows a third). The names are
    escaped (the office's, its place, the method labels: once per page in ``labels``); every
    other value is a number, a percentage or a class made here."""
    compliance = ov.compliance
    retention = ov.retention
    number = ov.office.office_number
    if retention.users:
        rate = _RATE.format(
            escape(retention_url.replace(_NUMBER_SLOT, number)),
            f"{_text(retention.rate_percent)}%",
            f"({retention.retained}/{retention.users})",
        )
    else:
        rate = "—"
    bars = []
    for row in ov.method_rows:
        if not row.count:
            continue
        if row.code not in labels:
            labels[row.code] = escape(str(row.label))  # (a lazy label would stay lazy)
        bars.append(
            _METHOD_BAR.format(
                labels[row.code],
                labels[row.code],
                _text(row.percent.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
                bar_width(row.percent),
                f"{row.count} ({_text(row.percent)}%)",
            )
        )
    return {
        "office": ov.office,
        # The names are escaped; every other value is made here.
        "table_row": mark_safe(
            _TABLE_ROW.format(
                escape(f"{stats_url}?scope=office:{number}"),
                escape(ov.office.name),
                escape(f"{ov.office.prefecture_name}{ov.office.municipality}"),
                rate,
                intcomma(retention.tier.units) if retention.tier else "—",
                f"{_text(compliance.percent)}%",
                f"({compliance.met}/{compliance.active_clients})",
                ov.contacts_this_month,
                " text-danger fw-bold" if ov.unshared_last_month else "",
                ov.unshared_last_month,
                ov.follow_ups_due,
                ov.service_ending,
            )
        ),
        "method_bars": mark_safe("".join(bars)),
    }


# The markup of contacts/home_corporation.html's repeated parts, filled per office
# (``_corporation_row``). One office's row of the table: the office (its statistics, its
# place), the retention rate (a link to the office's retention page), the fee tier's units, the
# face-to-face compliance, the month's contacts, the reports not shared last month, the
# follow-ups due and the services ending soon.
_TABLE_ROW = (
    "\n  <tr>"
    '\n    <td><a href="{}">{}</a><br><small class="text-muted">{}</small></td>'
    '\n    <td class="text-end">{}</td>'
    '\n    <td class="text-end">{}</td>'
    '\n    <td class="text-end">{} <small class="text-muted">{}</small></td>'
    '\n    <td class="text-end">{}</td>'
    '\n    <td class="text-end{}">{}</td>'
    '\n    <td class="text-end">{}</td>'
    '\n    <td class="text-end">{}</td>'
    "\n  </tr>\n"
)
# The rate's cell: a link to the office's retention page, and the people behind it.
_RATE = '<a href="{}">{}</a> <small class="text-muted">{}</small>'
# One method's bar on an office's card (the card's table).
_METHOD_BAR = (
    "\n        <tr>"
    '\n          <th scope="row" class="fw-normal small text-nowrap">{}</th>'
    '\n          <td class="w-50"><div class="progress" role="progressbar" aria-label="{}"'
    ' aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100">'
    '<div class="progress-bar {}"></div></div></td>'
    '\n          <td class="text-end small text-nowrap">{}</td>'
    "\n        </tr>\n        "
)


def _worklist_of(request, today):
    """The scope ("mine" or "office") and worklist of a worklist request (page and export)."""
    if request.GET.get("scope") == "office":
        return "office", worklist_for(
            user=request.user,
            today=today,
            clients=scoped(Client, request.user),
            contacts=scoped(Contact, request.user),
        )
    return "mine", worklist_for(user=request.user, today=today)


def worklist(request):
    scope, worklist_data = _worklist_of(request, calendar.today())
    people_shown(
        actor=Actor.from_request(request),
        page=f"worklist ({scope})",
        clients=worklist_data.people,
    )
    return render(request, "contacts/worklist.html", {"worklist": worklist_data, "scope": scope})


def worklist_export(request):
    """The worklist as CSV or XLSX: one row per item, section by section."""
    fmt = export_format_param(request.GET)
    today = calendar.today()
    scope, worklist_data = _worklist_of(request, today)
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.worklist_export(
            actor=Actor.from_request(request), worklist=worklist_data, fmt=fmt, scope=scope
        ),
        back_url=f"{reverse('worklist')}?scope={scope}",
        filename_stem=f"worklist_{scope}_{today.isoformat()}",
    )


def notification_list(request):
    notifications = selectors.notifications_of(request.user).select_related("client")
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications.order_by("-day", "kind", "pk"), 30).get_page(
        request.GET.get("page")
    )
    unread = selectors.notifications_of(request.user).filter(read_at__isnull=True).count()
    people_shown(
        actor=Actor.from_request(request),
        page="notifications",
        clients=[n.client for n in page],
    )
    return render(
        request,
        "contacts/notification_list.html",
        {"page": page, "unread": unread, "only_unread": bool(request.GET.get("unread"))},
    )


@require_POST
def notification_read(request, notification_pk):
    notification = get_scoped_or_404(
        Notification.objects.filter(user=request.user), request.user, pk=notification_pk
    )
    services.notification_read(actor=Actor.from_request(request), notification=notification)
    return redirect(safe_next(request, fallback="notification_list"))


@require_POST
def notifications_read_all(request):
    services.notifications_read_all(
        actor=Actor.from_request(request), notifications=selectors.notifications_of(request.user)
    )
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")
