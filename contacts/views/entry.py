"""Logging a contact: today's list, quick entry on a phone, detail, edit and delete."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clients.models import Client
from clients.services import client_read, people_shown
from contacts import hooks, services
from contacts.face_to_face import default_face_to_face
from contacts.forms import (
    ContactDeleteForm,
    ContactEditForm,
    QuickEntryForm,
)
from contacts.models import (
    Contact,
    LifeTopic,
    WorkTopic,
)
from contacts.reports import employer_contacts_for
from core import calendar
from core.audit import Actor
from core.calendar import day_range
from core.fields import choice_labels
from core.vocab import ContactMethod
from offices.scoping import (
    get_scoped_or_404,
    scoped,
    staff_of,
)


def contacts_today(request):
    today = calendar.today()
    query = request.GET.get("q", "").strip()
    visible = scoped(Client, request.user).select_related("office")
    if query:
        clients = visible.search(query).in_service_between(today - dt.timedelta(days=365), today)
    else:
        clients = visible.filter(staff_in_charge=request.user).in_service_between(today, today)
    page = Paginator(clients.order_by("family_name_kana", "client_code"), 30).get_page(
        request.GET.get("page")
    )
    day_start, day_end = day_range(today, today)
    todays = (
        scoped(Contact.objects.live(), request.user)
        .filter(staff=request.user, contacted_at__gte=day_start, contacted_at__lt=day_end)
        .select_related("client")
        .order_by("-contacted_at")
    )
    todays = list(todays)
    people_shown(
        actor=Actor.from_request(request),
        page="today",
        clients=[*page, *(contact.client for contact in todays)],
        detail=request.GET.urlencode(),
    )
    return render(
        request,
        "contacts/today.html",
        {"page": page, "query": query, "todays": todays, "today": today},
    )


def contact_quick_entry(request, client_pk):
    client = get_scoped_or_404(Client.objects.select_related("office"), request.user, pk=client_pk)
    form = QuickEntryForm(request.POST or None, employer_contacts=employer_contacts_for(client))
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                client=client,
                staff=request.user,
                face_to_face=form.face_to_face_value(),
                actor=Actor.from_request(request),
                **form.contact_values(),
            )
        except IntegrityError:
            form.add_error(
                None,
                _("This contact (same time, method and counterpart) has already been recorded."),
            )
        else:
            messages.success(
                request,
                _("Saved: %(method)s with %(counterpart)s, %(client)s.")
                % {
                    "method": contact.get_method_display(),
                    "counterpart": contact.get_counterpart_display(),
                    "client": client.full_name,
                },
            )
            return redirect("contact_detail", contact_pk=contact.pk)
    recent = list(Contact.objects.live().filter(client=client).select_related("staff")[:5])
    client_read(
        actor=Actor.from_request(request),
        client=client,
        detail="quick entry; recent contacts: " + " ".join(str(c.pk) for c in recent),
    )
    return render(
        request,
        "contacts/quick_entry.html",
        {
            "client": client,
            "form": form,
            "recent": recent,
            "video_call_counts": client.office.video_call_counts_as_face_to_face,
            "face_to_face_methods": _face_to_face_methods(client.office),
            "panels": hooks.entry_panels(),
        },
    )


def _face_to_face_methods(office):
    return [m for m in ContactMethod.values if default_face_to_face(method=m, office=office)]


def _contact_or_404(request, contact_pk):
    return get_scoped_or_404(
        Contact.objects.select_related("client", "client__office", "staff", "deleted_by"),
        request.user,
        pk=contact_pk,
    )


def contact_detail(request, contact_pk):
    contact = _contact_or_404(request, contact_pk)
    services.contact_read(actor=Actor.from_request(request), contact=contact)
    return render(
        request,
        "contacts/contact_detail.html",
        {
            "contact": contact,
            "revisions": contact.revisions.select_related("changed_by"),
            "work_topics": choice_labels(WorkTopic, contact.work_topics),
            "life_topics": choice_labels(LifeTopic, contact.life_topics),
        },
    )


def _office_staff(office):
    return staff_of([office]).order_by("last_name", "first_name", "username")


def contact_edit(request, contact_pk):
    contact = _contact_or_404(request, contact_pk)
    if contact.is_deleted:
        raise Http404
    initial = {
        **{
            name: getattr(contact, name)
            for name in (
                "method",
                "counterpart",
                "contacted_at",
                "summary",
                "duration_minutes",
                "work_topics",
                "life_topics",
                "next_follow_up",
                "staff",
                "employer_contact",
            )
        },
        "face_to_face": "yes" if contact.face_to_face else "no",
    }
    form = ContactEditForm(
        request.POST or None,
        initial=initial,
        staff_choices=_office_staff(contact.client.office),
        employer_contacts=employer_contacts_for(contact.client),
    )
    if request.method == "POST" and form.is_valid():
        values = form.contact_values()
        try:
            updated = services.contact_update(
                contact=contact,
                actor=Actor.from_request(request),
                reason=form.cleaned_data["reason"],
                staff=form.cleaned_data["staff"],
                face_to_face=form.face_to_face_value(),
                **values,
            )
        except IntegrityError:
            form.add_error(
                None,
                _("Another contact with the same time, method and counterpart already exists."),
            )
        else:
            if updated is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(
                    request, _("The contact was updated; the previous version is kept.")
                )
            return redirect("contact_detail", contact_pk=contact.pk)
    services.contact_read(actor=Actor.from_request(request), contact=contact, detail="edit form")
    return render(request, "contacts/contact_edit.html", {"contact": contact, "form": form})


def contact_delete(request, contact_pk):
    contact = _contact_or_404(request, contact_pk)
    if contact.is_deleted:
        raise Http404
    form = ContactDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_delete(
            contact=contact, actor=Actor.from_request(request), reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The contact was deleted. Its record and reason are kept."))
        return redirect("contact_list")
    services.contact_read(actor=Actor.from_request(request), contact=contact, detail="delete form")
    return render(request, "contacts/contact_delete.html", {"contact": contact, "form": form})
