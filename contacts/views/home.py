"""Landing pages by role, the worklist and notifications."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.models import Client
from contacts import overview
from contacts.models import (
    Contact,
    Notification,
)
from contacts.worklist import worklist_for
from core import calendar
from core.params import safe_next
from offices.scoping import (
    get_scoped_or_404,
    is_corporation_manager,
    offices_managed_by,
    offices_visible_to,
    scoped,
)


def home(request):
    user = request.user
    today = calendar.today()
    if is_corporation_manager(user):
        offices = offices_managed_by(user).select_related("corporation")
        return render(
            request,
            "contacts/home_corporation.html",
            {"overviews": overview.offices_overview(offices=offices, today=today)},
        )
    managed = offices_managed_by(user).select_related("corporation")
    if managed.exists():
        return render(
            request,
            "contacts/home_manager.html",
            {"overviews": overview.offices_overview(offices=managed, today=today)},
        )
    if offices_visible_to(user).exists():
        return render(
            request,
            "contacts/home_staff.html",
            {"worklist": worklist_for(user=user, today=today)},
        )
    return render(request, "contacts/home_no_office.html")


def worklist(request):
    today = calendar.today()
    scope = request.GET.get("scope", "mine")
    if scope == "office":
        worklist_data = worklist_for(
            user=request.user,
            today=today,
            clients=scoped(Client, request.user),
            contacts=scoped(Contact, request.user),
        )
    else:
        scope = "mine"
        worklist_data = worklist_for(user=request.user, today=today)
    return render(request, "contacts/worklist.html", {"worklist": worklist_data, "scope": scope})


def _my_notifications(user):
    return scoped(Notification.objects.filter(user=user), user)


def notification_list(request):
    notifications = _my_notifications(request.user).select_related("client")
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications.order_by("-day", "kind", "pk"), 30).get_page(
        request.GET.get("page")
    )
    unread = _my_notifications(request.user).filter(read_at__isnull=True).count()
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
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(safe_next(request, fallback="notification_list"))


@require_POST
def notifications_read_all(request):
    _my_notifications(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")
