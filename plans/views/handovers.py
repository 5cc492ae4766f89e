"""Hand-overs: from the referring office (written there, or uploaded here from the document a
non-system office sent), shared with one receiving office on the person's consent; and at the end
of the service, to whoever takes over. The office's list (every person's end-of-service hand-over
state, and the referral hand-overs received and not yet linked) and its download. Reads of shared
contents and downloads are audited."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.models import Client
from core import calendar, tabular
from core.audit import Actor
from core.params import export_filters, export_format_param
from offices.models import Office
from offices.scoping import OutOfReach, get_scoped_or_404, offices_visible_to
from plans import documents, exports, rules, selectors, services
from plans.forms import EndHandoverForm, ReferralHandoverForm, WithdrawForm
from plans.models import ReferralHandover

PAGE_SIZE = 25


def _handover_list_request(request, today):
    """The offices, chosen office, state filter and people of a hand-over list request: the page
    and its download read the same filters."""
    offices = offices_visible_to(request.user).order_by("office_number")
    if not offices.exists():
        raise Http404
    params = request.GET
    office = None
    if params.get("office"):
        office = offices.filter(office_number=params["office"]).first()
    state = params.get("state", "")
    if state not in selectors.HANDOVER_STATES:
        state = ""
    clients = selectors.handover_list_clients(
        user=request.user,
        today=today,
        office=office,
        query=params.get("q", "").strip(),
        state=state,
    )
    return offices, office, state, clients


def handover_list(request):
    """The office's hand-overs: every person in service (or ended within the year) with the
    state of their end-of-service hand-over, and the referral hand-overs to link."""
    today = calendar.today()
    params = request.GET
    offices, office, state, clients = _handover_list_request(request, today)
    services.handover_list_read(
        actor=Actor.from_request(request),
        office=office,
        detail=f"handover list {params.urlencode()}",
    )
    return render(
        request,
        "plans/handover_list.html",
        {
            "page": Paginator(clients, PAGE_SIZE).get_page(params.get("page")),
            "offices": offices,
            "params": params,
            "state": state,
            "states": [
                (code, exports.HANDOVER_STATUS_LABELS[code]) for code in selectors.HANDOVER_STATES
            ],
            "unlinked": selectors.unlinked_referrals(user=request.user, office=office),
            "today": today,
        },
    )


def handover_list_export(request):
    """The hand-over list as CSV or XLSX: everyone its office, state and search find."""
    fmt = export_format_param(request.GET)
    today = calendar.today()
    _offices, office, _state, clients = _handover_list_request(request, today)
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.handover_list_export(
            actor=Actor.from_request(request),
            clients=clients,
            fmt=fmt,
            office=office,
            detail=export_filters(request.GET),
        ),
        back_url=f"{reverse('handover_list')}?{export_filters(request.GET)}",
        filename_stem=f"handovers_{today.isoformat()}",
    )


def _client_or_404(request, client_pk):
    return get_scoped_or_404(
        Client.objects.select_related("office", "referral_office"), request.user, pk=client_pk
    )


def _handover_or_404(request, handover_pk):
    """A referral hand-over the user may read (``ReferralHandover.objects.readable_by``): another
    office's, or one whose consent was withdrawn, answers the 404 of a missing one."""
    handovers = ReferralHandover.objects.select_related(
        "referring_office", "receiving_office", "source_client", "client"
    )
    try:
        return handovers.readable_by(request.user).get(pk=handover_pk)
    except (ReferralHandover.DoesNotExist, ValueError) as exc:
        refused = handovers.filter(pk=handover_pk).first() if str(handover_pk).isdigit() else None
        if refused is None:
            raise Http404 from exc
        raise OutOfReach(refused, None) from exc


def _acting_office(user, handover):
    """The office whose staff read or act: the author's when the user belongs to it."""
    mine = offices_visible_to(user)
    if handover.written_by_referrer and mine.filter(pk=handover.referring_office_id).exists():
        return handover.referring_office
    return handover.receiving_office


def _incoming(user, client):
    """Shared hand-overs addressed to the client's office: linked to this person, or not yet
    linked and from the office the person came from."""
    return Q(receiving_office=client.office_id) & (
        Q(client=client) | Q(client__isnull=True, referring_office=client.referral_office_id)
    )


def client_handovers(request, client_pk):
    client = _client_or_404(request, client_pk)
    today = calendar.today()
    services.handovers_read(actor=Actor.from_request(request), client=client)
    end = calendar.effective_end(client.service_start, client.service_end)
    readable = ReferralHandover.objects.readable_by(request.user).select_related(
        "referring_office", "receiving_office"
    )
    referral = client.referral_office
    return render(
        request,
        "plans/client_handovers.html",
        {
            "client": client,
            "today": today,
            "status": rules.handover_status(client, on=today),
            "end": end,
            "window_opens": rules.handover_window_opens(end),
            "end_handovers": client.end_handovers.select_related("created_by"),
            "outgoing": readable.filter(source_client=client),
            "incoming": readable.filter(_incoming(request.user, client)),
            "withdrawn": ReferralHandover.objects.withdrawn_for(request.user).filter(
                _incoming(request.user, client)
            ),
            "can_upload": referral is not None and not referral.uses_system,
        },
    )


def referral_create(request, client_pk):
    """The referring office writes the hand-over of its own client for one receiving office."""
    client = _client_or_404(request, client_pk)
    receiving = (
        Office.objects.filter(uses_system=True).exclude(pk=client.office_id).order_by("name")
    )
    form = ReferralHandoverForm(
        request.POST or None,
        receiving_offices=receiving,
        initial={"consented_on": calendar.today()},
    )
    if request.method == "POST" and form.is_valid():
        handover = services.referral_handover_create(
            actor=Actor.from_request(request),
            referring_office=client.office,
            receiving_office=form.cleaned_data["receiving_office"],
            source_client=client,
            **form.handover_values(),
        )
        messages.success(request, _("The hand-over was shared with the receiving office."))
        return redirect("referral_handover_detail", handover_pk=handover.pk)
    return render(
        request, "plans/referral_form.html", {"client": client, "form": form, "upload": False}
    )


def referral_upload(request, client_pk):
    """The receiving office records the document a non-system referring office sent."""
    client = _client_or_404(request, client_pk)
    referral = client.referral_office
    if referral is None or referral.uses_system:
        raise Http404
    form = ReferralHandoverForm(
        request.POST or None,
        request.FILES or None,
        with_document=True,
        initial={"consented_on": calendar.today()},
    )
    if request.method == "POST" and form.is_valid():
        handover = services.referral_handover_create(
            actor=Actor.from_request(request),
            referring_office=referral,
            receiving_office=client.office,
            client=client,
            **form.handover_values(),
        )
        messages.success(request, _("The hand-over document was recorded."))
        return redirect("referral_handover_detail", handover_pk=handover.pk)
    return render(
        request, "plans/referral_form.html", {"client": client, "form": form, "upload": True}
    )


def referral_detail(request, handover_pk):
    handover = _handover_or_404(request, handover_pk)
    office = _acting_office(request.user, handover)
    services.referral_handover_read(
        actor=Actor.from_request(request), handover=handover, office=office
    )
    candidates = None
    if handover.client_id is None and office == handover.receiving_office:
        candidates = (
            Client.objects.visible_to(request.user)
            .filter(office=handover.receiving_office, referral_office=handover.referring_office)
            .order_by("family_name_kana", "client_code")
        )
    return render(
        request,
        "plans/referral_detail.html",
        {
            "handover": handover,
            "is_author": office == handover.author_office,
            "candidates": candidates,
            "withdraw_form": WithdrawForm(initial={"withdrawn_on": calendar.today()}),
        },
    )


def referral_document(request, handover_pk):
    """The received document, as an attachment under a safe name, for those who may read it."""
    handover = _handover_or_404(request, handover_pk)
    if not handover.document:
        raise Http404
    services.referral_document_read(
        actor=Actor.from_request(request),
        handover=handover,
        office=_acting_office(request.user, handover),
    )
    response = FileResponse(
        handover.document.open("rb"),
        as_attachment=True,
        filename=handover.document_name or "handover",
        content_type=documents.CONTENT_TYPES.get(
            handover.document_type, "application/octet-stream"
        ),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def referral_withdraw(request, handover_pk):
    handover = _handover_or_404(request, handover_pk)
    form = WithdrawForm(request.POST)
    if not handover.is_shared:
        messages.info(request, _("Consent was already withdrawn."))
    elif form.is_valid():
        services.referral_handover_withdraw(
            actor=Actor.from_request(request),
            handover=handover,
            withdrawn_on=form.cleaned_data["withdrawn_on"],
            office=_acting_office(request.user, handover),
        )
        messages.success(
            request, _("The withdrawal was recorded: the receiving office no longer sees it.")
        )
    else:
        messages.error(request, _("Give the date consent was withdrawn."))
    person = handover.source_client_id or handover.client_id
    if person and Client.objects.visible_to(request.user).filter(pk=person).exists():
        return redirect("client_handovers", client_pk=person)
    return redirect("home")


@require_POST
def referral_link(request, handover_pk, client_pk):
    handover = _handover_or_404(request, handover_pk)
    client = _client_or_404(request, client_pk)
    if handover.client_id is not None or client.office_id != handover.receiving_office_id:
        raise Http404
    services.referral_handover_link(
        actor=Actor.from_request(request), handover=handover, client=client
    )
    messages.success(request, _("The hand-over was linked to this person."))
    return redirect("client_handovers", client_pk=client.pk)


def end_handover_create(request, client_pk):
    client = _client_or_404(request, client_pk)
    today = calendar.today()
    form = EndHandoverForm(
        request.POST or None, initial={"shared_on": today, "consented_on": today}
    )
    if request.method == "POST" and form.is_valid():
        services.end_handover_create(
            actor=Actor.from_request(request), client=client, **form.cleaned_data
        )
        messages.success(request, _("The hand-over at the end of the service was recorded."))
        return redirect("client_handovers", client_pk=client.pk)
    return render(request, "plans/end_handover_form.html", {"client": client, "form": form})
