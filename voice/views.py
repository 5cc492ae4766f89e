"""Thin views of the person's channel: parse, call one service or selector, render.

Staff views reach the person through ``get_scoped_or_404`` (another office's person is a 404,
recorded as refused). Three views are public by design, each says so with
``login_not_required``: the LINE webhook (its signature is the key), the person's check-in page
and the employer's trend page (a signed, expiring, revocable token is the key).
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse, HttpResponseBadRequest, RawPostDataException
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from clients.models import Client
from clients.services import client_read
from contacts.reports import employer_contacts_for
from core import calendar
from core.audit import Actor, client_address
from offices.scoping import (
    get_office_or_404,
    get_scoped_or_404,
    offices_in_use,
    offices_managed_by,
)
from voice import line_api, secretbox, selectors, services
from voice.forms import (
    ChannelForm,
    CheckInForm,
    CheckInPlanForm,
    EmployerShareForm,
    ReplyForm,
)
from voice.models import CheckInLink, CheckInWarning, EmployerShare, OutgoingMessage

logger = logging.getLogger(__name__)


def _client(request, client_pk):
    return get_scoped_or_404(Client.objects.select_related("office"), request.user, pk=client_pk)


def _back(client):
    return redirect(reverse("client_detail", kwargs={"client_pk": client.pk}) + "#client-voice")


def _posted_pk(request, name):
    value = request.POST.get(name, "")
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


# --- the webhook (public: LINE signs it) ------------------------------------------------------


@csrf_exempt
@login_not_required
@require_POST
def line_webhook(request, office_number):
    office = offices_in_use().filter(office_number=office_number[:32]).first()
    channel = selectors.channel_of(office) if office else None
    if channel is None:
        raise Http404
    try:
        body = request.body.decode("utf-8")
        services.webhook_receive(
            channel=channel,
            body=body,
            signature=request.headers.get("X-Line-Signature", ""),
            address=client_address(request),
        )
    except (UnicodeDecodeError, RawPostDataException, line_api.BadSignature):
        # LINE posts JSON; a form body (read as a form by the middleware) is not a webhook.
        return HttpResponseBadRequest("bad signature")
    except (secretbox.SecretUnreadable, ImproperlyConfigured):
        # The key changed or is missing (production without TEICHAKU_SECRETS_KEY).
        logger.error("LINE channel of office %s cannot be decrypted", office.office_number)
        return HttpResponseBadRequest("channel not readable")
    return HttpResponse("OK")


# --- the office's channel (managers) -----------------------------------------------------------


def line_channel_index(request):
    """The offices the user manages, each with its LINE account set or not."""
    offices = offices_managed_by(request.user).select_related("line_channel")
    return render(
        request, "voice/channel_index.html", {"offices": offices.order_by("office_number")}
    )


def line_channel_settings(request, office_number):
    office = get_office_or_404(request.user, office_number, manage=True)
    form = ChannelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.channel_set(
            office=office,
            secret=form.cleaned_data["channel_secret"],
            token=form.cleaned_data["access_token"],
            bot_id=form.cleaned_data["bot_id"],
            actor=Actor.from_request(request),
        )
        messages.success(
            request, _("The LINE channel is saved. Its secret and token are not shown again.")
        )
        return redirect("line_channel_settings", office_number=office.office_number)
    webhook_url = request.build_absolute_uri(
        reverse("line_webhook", kwargs={"office_number": office.office_number})
    )
    return render(
        request,
        "voice/channel_settings.html",
        {
            "office": office,
            "form": form,
            "channel": selectors.channel_of(office),
            "webhook_url": webhook_url,
        },
        status=400 if form.errors else 200,
    )


# --- the person's page: LINE --------------------------------------------------------------------


@require_POST
def line_code_issue(request, client_pk):
    client = _client(request, client_pk)
    services.link_code_issue(client=client, actor=Actor.from_request(request))
    return _back(client)


@require_POST
def line_unlink(request, client_pk):
    client = _client(request, client_pk)
    link = services.live_link_of(client)
    if link is not None:
        services.link_unlink(link=link, actor=Actor.from_request(request))
        messages.success(request, _("The LINE link has ended."))
    return _back(client)


@require_POST
def line_reply(request, client_pk):
    client = _client(request, client_pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message to send."))
        return _back(client)
    try:
        message = services.reply_send(
            client=client, text=form.cleaned_data["text"], actor=Actor.from_request(request)
        )
    except services.NotLinked:
        messages.error(request, _("The person is not linked to LINE."))
        return _back(client)
    message.refresh_from_db()
    if message.status == OutgoingMessage.Status.FAILED:
        messages.error(
            request, _("The message could not be delivered on LINE. It is kept; try again.")
        )
    else:
        messages.success(request, _("The message is recorded and sent on LINE."))
    return _back(client)


@require_POST
def line_resend(request, client_pk):
    client = _client(request, client_pk)
    message = OutgoingMessage.objects.filter(
        client=client, pk=_posted_pk(request, "message")
    ).first()
    if message is None:
        raise Http404
    services.message_resend(message=message, actor=Actor.from_request(request))
    return _back(client)


# --- the person's page: check-in ----------------------------------------------------------------


def check_in_plan(request, client_pk):
    client = _client(request, client_pk)
    plan = selectors.check_in_plan_of(client)
    initial = {}
    if plan is not None:
        initial = {
            "items": [i["key"] for i in plan.items if not i["key"].startswith("own")],
            "own_words": "\n".join(i["label"] for i in plan.items if i["key"].startswith("own")),
            "rhythm_days": plan.rhythm_days,
            "ruby": plan.ruby,
        }
    form = CheckInPlanForm(request.POST if request.method == "POST" else None, initial=initial)
    actor = Actor.from_request(request)
    if request.method == "POST" and form.is_valid():
        services.check_in_plan_set(
            client=client,
            items=form.cleaned_data["chosen"],
            rhythm_days=form.cleaned_data["rhythm_days"],
            ruby=form.cleaned_data["ruby"],
            actor=actor,
        )
        messages.success(request, _("The check-in is saved."))
        return _back(client)
    client_read(actor=actor, client=client, detail="check-in plan")
    return render(
        request,
        "voice/check_in_plan.html",
        {"client": client, "form": form, "plan": plan},
        status=400 if form.errors else 200,
    )


@require_POST
def check_in_ask(request, client_pk):
    client = _client(request, client_pk)
    try:
        services.check_in_question(client=client, actor=Actor.from_request(request))
        messages.success(request, _("The check-in question is sent on LINE."))
    except services.NotLinked:
        messages.error(request, _("Set the check-in and link the person to LINE first."))
    return _back(client)


@require_POST
def check_in_link_issue(request, client_pk):
    client = _client(request, client_pk)
    if selectors.check_in_plan_of(client, active_only=True) is not None:
        services.check_in_link_issue(client=client, actor=Actor.from_request(request))
    else:
        messages.error(request, _("Set the check-in first."))
    return _back(client)


@require_POST
def check_in_link_revoke(request, client_pk):
    client = _client(request, client_pk)
    link = CheckInLink.objects.filter(client=client, pk=_posted_pk(request, "link")).first()
    if link is None:
        raise Http404
    services.check_in_link_revoke(link=link, actor=Actor.from_request(request))
    messages.success(request, _("The check-in link no longer works."))
    return _back(client)


@require_POST
def warning_close(request, client_pk):
    client = _client(request, client_pk)
    item = CheckInWarning.objects.filter(client=client, pk=_posted_pk(request, "warning")).first()
    if item is None:
        raise Http404
    services.warning_close(item=item, actor=Actor.from_request(request))
    return _back(client)


# --- the person's page: sharing with the employer -------------------------------------------


def employer_share(request, client_pk):
    client = _client(request, client_pk)
    plan = selectors.check_in_plan_of(client)
    form = EmployerShareForm(
        request.POST if request.method == "POST" else None,
        employer_contacts=employer_contacts_for(client),
        items=selectors.plan_items(plan),
    )
    actor = Actor.from_request(request)
    if request.method == "POST" and form.is_valid():
        services.employer_share_create(
            client=client,
            employer_contact=form.cleaned_data["employer_contact"],
            items=form.cleaned_data["items"],
            consented_on=form.cleaned_data["consented_on"],
            consent_note=form.cleaned_data["consent_note"],
            actor=actor,
        )
        messages.success(request, _("The trend is shared. Give the link to the person named."))
        return _back(client)
    client_read(actor=actor, client=client, detail="sharing the check-in trend")
    return render(
        request,
        "voice/employer_share.html",
        {"client": client, "form": form, "plan": plan},
        status=400 if form.errors else 200,
    )


@require_POST
def employer_share_revoke(request, client_pk):
    client = _client(request, client_pk)
    share = EmployerShare.objects.filter(client=client, pk=_posted_pk(request, "share")).first()
    if share is None:
        raise Http404
    services.employer_share_revoke(share=share, actor=Actor.from_request(request))
    messages.success(request, _("The employer's link no longer works."))
    return _back(client)


# --- public by design: the person's check-in and the employer's view ---------------------------


def _refused(request):
    return render(request, "voice/link_refused.html", status=404)


@login_not_required
def check_in_form(request, token):
    link = selectors.check_in_link_for(token)
    plan = selectors.check_in_plan_of(link.client, active_only=True) if link else None
    if plan is None:
        return _refused(request)
    actor = Actor.from_request(request)
    items = selectors.plan_items(plan)
    form = CheckInForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST" and form.is_valid():
        services.check_in_record(
            client=link.client,
            ratings=form.ratings(),
            comment=form.cleaned_data["comment"],
            via="web",
            answered_at=timezone.now(),
            actor=actor,
        )
        return render(request, "voice/check_in_thanks.html", {"plan": plan})
    services.check_in_form_read(link=link, actor=actor)
    return render(
        request,
        "voice/check_in_form.html",
        {"form": form, "plan": plan, "ruby": plan.ruby},
        status=400 if form.errors else 200,
    )


@login_not_required
def employer_view(request, token):
    share = selectors.employer_share_for(token)
    if share is None:
        return _refused(request)
    actor = Actor.from_request(request)
    services.employer_share_read(share=share, actor=actor)
    plan = selectors.check_in_plan_of(share.client)
    chart = selectors.trend_of(client=share.client, plan=plan, keys=set(share.items))
    return render(
        request,
        "voice/employer_view.html",
        {"share": share, "chart": chart, "today": calendar.today()},
    )
