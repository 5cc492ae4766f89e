"""Writing surveys: status and settings, copies, the national reference, invitations, coding,
response imports and voids.

Each takes keyword arguments only, an ``actor`` (``core.audit.Actor``: page, command or task)
among them, and writes its audit event in the transaction of the change. The respondent's own
answer (anonymous, no account) is stored by ``surveys.responses.submit_response``; importing a
responses file is done by ``surveys.exchange`` and ``surveys.form_files``, called from here.
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from surveys import definitions, exchange, form_files, invitations, status
from surveys import report as reports
from surveys.coding import CodingError
from surveys.models import Category, Coding, Invitation, Response, Survey

# ---------------------------------------------------------------------------------------------
# The survey: status, settings, copy, national reference

SETTINGS_FIELDS = ("title", "description", "opens_on", "closes_on", "allow_open_link")


@transaction.atomic
def survey_status_change(*, survey, action, actor):
    """Apply a coordinator's ``action`` (``surveys.status.TRANSITIONS``) to ``survey``; raises
    ``status.TransitionRefused`` when it is not possible in the survey's state."""
    before = (survey.status, survey.report_published)
    survey.status, survey.report_published = status.after(
        status=survey.status, report_published=survey.report_published, action=action
    )
    survey.save(update_fields=["status", "report_published"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=survey,
        detail=f"status {action}: {before[0]} -> {survey.status}, "
        f"report published {before[1]} -> {survey.report_published}",
    )
    return survey


@transaction.atomic
def survey_settings_update(*, survey, values, actor):
    """Change the settings of ``survey`` (``SETTINGS_FIELDS`` of ``values``, checked by
    ``surveys.forms.SurveySettingsForm``)."""
    # Compared with the stored row: a model form has already set its values on ``survey``.
    stored = Survey.objects.filter(pk=survey.pk).values(*SETTINGS_FIELDS).get()
    changed = [name for name in SETTINGS_FIELDS if name in values and stored[name] != values[name]]
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(survey, name, values[name])
    survey.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=survey,
        detail="settings: " + (", ".join(changed) or "unchanged"),
    )
    return survey


@transaction.atomic
def survey_copy(*, source, slug, year, title=None, actor):
    """A draft copy of ``source`` for another year (``surveys.definitions.survey_copy``)."""
    survey = definitions.survey_copy(source=source, slug=slug, year=year, title=title)
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=survey, detail=f"copy of {source.slug}"
    )
    return survey


@transaction.atomic
def survey_create_from_template(*, slug, template, year, corporation=None, title=None, actor):
    """A draft survey from a template (``surveys.definitions.survey_create_from_template``)."""
    survey = definitions.survey_create_from_template(
        slug=slug, template=template, year=year, corporation=corporation, title=title
    )
    audit.record(
        actor=actor, action=AuditAction.CREATE, obj=survey, detail=f"from template {template}"
    )
    return survey


@transaction.atomic
def national_reference_choose(*, survey, actor):
    """Make ``survey`` the national reference of the contact statistics (``None`` clears it);
    raises ValueError when it may not be one (``surveys.report.choose_national_reference``)."""
    previous = reports.national_reference_survey()
    reports.choose_national_reference(survey=survey, user=actor.user)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=survey or previous,
        detail="national reference chosen" if survey else "national reference cleared",
    )


# ---------------------------------------------------------------------------------------------
# Invitations


@transaction.atomic
def invitations_add(*, survey, addresses, actor):
    """Invite ``addresses`` not yet invited; returns (created, already invited)."""
    existing = {e.lower() for e in survey.invitations.values_list("email", flat=True)}
    new = [a for a in addresses if a.lower() not in existing]
    Invitation.objects.bulk_create(Invitation(survey=survey, email=a) for a in new)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=survey,
        detail=f"invitations: {len(new)} added, {len(addresses) - len(new)} already invited",
    )
    return len(new), len(addresses) - len(new)


@transaction.atomic
def invitation_delete(*, invitation, actor):
    """Remove an invited address (and its unused link) from its survey."""
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=invitation,
        detail=f"invitation removed from {invitation.survey.slug}",
    )
    invitation.delete()


def invitations_send(*, survey_id, base_url, actor):
    """Send the invitation to every address not yet sent one; returns how many were sent. Each
    sent e-mail is marked (and recorded) on its own, so a retry sends the rest only."""
    survey = Survey.objects.get(pk=survey_id)
    sent = 0
    for invitation in survey.invitations.filter(sent_at__isnull=True).select_related("survey"):
        invitations.send_mail_to(invitation, base_url=base_url, reminder=False)
        with transaction.atomic():
            Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
            audit.record(
                actor=actor, action=AuditAction.UPDATE, obj=invitation, detail="invitation sent"
            )
        sent += 1
    return sent


def reminders_send(*, survey_id, base_url, actor):
    """Remind every invited address that has not answered; returns how many were sent."""
    survey = Survey.objects.get(pk=survey_id)
    sent = 0
    pending = survey.invitations.filter(sent_at__isnull=False, responded=False)
    for invitation in pending.select_related("survey"):
        invitations.send_mail_to(invitation, base_url=base_url, reminder=True)
        with transaction.atomic():
            Invitation.objects.filter(pk=invitation.pk).update(
                reminded_at=timezone.now(), reminders=invitation.reminders + 1
            )
            audit.record(
                actor=actor, action=AuditAction.UPDATE, obj=invitation, detail="reminder sent"
            )
        sent += 1
    return sent


# ---------------------------------------------------------------------------------------------
# Free-text coding


@transaction.atomic
def codes_set(*, answer, categories, verified, actor):
    """Make the actor's categories of ``answer`` exactly ``categories``, verified or not."""
    coder = actor.user
    wanted = {c.pk for c in categories}
    if any(c.question_id != answer.question_id for c in categories):
        raise CodingError(_("A category of another question was given."))
    Coding.objects.filter(answer=answer, coder=coder).exclude(category_id__in=wanted).delete()
    for category in categories:
        Coding.objects.update_or_create(
            answer=answer, category=category, coder=coder, defaults={"verified": verified}
        )
    if verified:
        # Verifying a description confirms every code it carries, imported ones included.
        Coding.objects.filter(answer=answer).update(verified=True)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=answer,
        detail="codes: "
        + (" ".join(sorted(c.code for c in categories)) or "-")
        + ("; verified" if verified else ""),
    )


@transaction.atomic
def category_add(*, question, code, label_ja, label_en="", actor):
    """A new category at the end of the codebook of a free-text ``question``; raises
    ``CodingError`` for a code that is malformed or already in the codebook."""
    code = code.strip()
    if not re.fullmatch(r"[a-z0-9_]+", code):
        raise CodingError(_("Use lower-case letters, digits and “_” for a category code."))
    if question.categories.filter(code=code).exists():
        raise CodingError(_("The codebook already has the code “%(code)s”.") % {"code": code})
    order = question.categories.order_by("-order").values_list("order", flat=True).first() or 0
    category = Category.objects.create(
        question=question, code=code, label_ja=label_ja.strip(), label_en=label_en.strip(),
        order=order + 1,
    )  # fmt: skip
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=category,
        detail=f"codebook of {question.survey.slug} {question.code}",
    )
    return category


# ---------------------------------------------------------------------------------------------
# Responses: import and void


def responses_import(*, survey, data, actor, filename="", dry_run=False):
    """This system's responses file (DESIGN 5.2), whole or not at all, audited by
    ``surveys.exchange.import_responses``."""
    return exchange.import_responses(survey, data, actor=actor, filename=filename, dry_run=dry_run)


def form_file_import(*, survey, form_file, mapping, actor, filename="", dry_run=False):
    """A Google Forms / Microsoft Forms file with its confirmed mapping (kept for next year's
    survey), whole or not at all (``surveys.form_files.import_form_file``)."""
    return form_files.import_form_file(
        survey, form_file, mapping, actor=actor, filename=filename, dry_run=dry_run
    )


def responses_void(*, survey, response_ids, actor, reason=""):
    """Void the survey's responses ``response_ids`` (left out of reports from now on), audited
    in the same transaction. Returns how many were voided now."""
    with transaction.atomic():
        count = (
            Response.objects.filter(survey=survey, pk__in=response_ids, voided_at__isnull=True)
            .update(voided_at=timezone.now(), voided_by=actor.user)
        )  # fmt: skip
        if count:
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=survey,
                detail=f"voided {count} response(s) of a burst from one address. {reason}".strip(),
            )
    return count
