"""Writing and reading support plans, monitoring notes, case meetings and hand-overs.

Each takes an ``actor`` (``core.audit.Actor``) and writes its audit event in the transaction of the
change; reads of a person's plan are recorded too.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from core import audit
from core.models import AuditAction
from offices.month_lock import ensure_month_open
from offices.scoping import offices_managed_by
from plans import rules
from plans.models import (
    CaseMeeting,
    MonitoringNote,
    ReferralHandover,
    ServiceEndHandover,
    SupportPlan,
)


def can_approve(*, user, office):
    """Approval is the service manager's: a manager of the office (or its corporation)."""
    return offices_managed_by(user).filter(pk=office.pk).exists()


def plan_read(*, actor, client, plan=None):
    """Record that the person's plan (one version, or the overview) was shown."""
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=plan or client,
        detail="support plan" if plan is None else f"support plan v{plan.version}",
    )


def plan_list_read(*, actor, office=None, detail=""):
    audit.record(actor=actor, action=AuditAction.VIEW, office=office, detail=detail)


def _next_version(client):
    return (SupportPlan.objects.filter(client=client).aggregate(n=Max("version"))["n"] or 0) + 1


@transaction.atomic
def plan_create(*, client, actor, plan_date, next_review_by=None, **fields):
    """A new version (a draft until approved and agreed); earlier versions stay as they were.
    ``next_review_by`` defaults to the plan date plus the office's review interval."""
    plan = SupportPlan.objects.create(
        client=client,
        version=_next_version(client),
        plan_date=plan_date,
        next_review_by=rules.next_review_by(
            plan_date,
            interval_months=rules.review_interval_months(client.office),
            given=next_review_by,
        ),
        drafted_by=actor.user,
        **fields,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=plan, detail=f"v{plan.version}")
    return plan


@transaction.atomic
def plan_approve(*, plan, actor, approved_on):
    if actor.user is not None and not can_approve(user=actor.user, office=plan.client.office):
        raise PermissionDenied
    plan.approved_on = approved_on
    plan.approved_by = actor.user
    plan.save(update_fields=["approved_on", "approved_by"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=plan, detail="approved")
    return plan


@transaction.atomic
def plan_consent(*, plan, actor, consented_on, consent_method):
    plan.consented_on = consented_on
    plan.consent_method = consent_method
    plan.save(update_fields=["consented_on", "consent_method"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=plan, detail="agreed")
    return plan


@transaction.atomic
def monitoring_note_create(*, plan, actor, noted_on, note):
    monitoring = MonitoringNote.objects.create(
        plan=plan, noted_on=noted_on, note=note, author=actor.user
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=monitoring)
    return monitoring


@transaction.atomic
def meeting_create(*, client, actor, held_on, presenter, agencies=(), **fields):
    """A case meeting, linked to the plan version current on its day."""
    ensure_month_open(client.office, held_on)
    meeting = CaseMeeting.objects.create(
        client=client,
        plan=rules.current_plan(client, on=held_on),
        held_on=held_on,
        presenter=presenter,
        agencies=list(agencies),
        created_by=actor.user,
        **fields,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=meeting)
    return meeting


@transaction.atomic
def meeting_report_back(*, meeting, actor, reported_back_on):
    ensure_month_open(meeting.client.office, meeting.held_on)
    meeting.reported_back_on = reported_back_on
    meeting.save(update_fields=["reported_back_on"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=meeting, detail="reported back")
    return meeting


# ---------------------------------------------------------------------------------------------
# Hand-overs. A referral hand-over belongs to two offices: each event names the office whose
# staff acted (``office``), so both offices' trails show who read what.

HANDOVER_FIELDS = (
    "disability_traits",
    "what_worked",
    "job_search",
    "employer_contacts",
    "medical_contacts",
    "life_support_contacts",
    "own_words",
)


@transaction.atomic
def referral_handover_create(
    *, actor, referring_office, receiving_office, consented_on, consent_method,
    source_client=None, client=None, document=None, document_type="", **fields,
):  # fmt: skip
    """A hand-over written by the referring office for its own client (``source_client``), or
    recorded by the receiving office for its client (``client``) from a received document."""
    if (source_client is None) == (client is None):
        raise ValueError("a hand-over is written either by the referring or the receiving office")
    handover = ReferralHandover(
        referring_office=referring_office,
        receiving_office=receiving_office,
        source_client=source_client,
        client=client,
        consented_on=consented_on,
        consent_method=consent_method,
        created_by=actor.user,
        **{name: fields.get(name, "") for name in HANDOVER_FIELDS},
    )
    if document is not None:
        from plans import documents

        handover.document_name = documents.safe_filename(document.name, document_type)
        handover.document_type = document_type
        handover.document.save(documents.upload_to(handover, document.name), document, save=False)
    handover.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=handover,
        office=handover.author_office,
        detail="referral hand-over" + (" with document" if document is not None else ""),
    )
    return handover


def referral_handover_read(*, actor, handover, office, detail="referral hand-over"):
    """Record that ``handover`` was shown to staff of ``office``."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=handover, office=office, detail=detail)


def referral_document_read(*, actor, handover, office):
    """Record the download of the received document (an export of personal data)."""
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=handover,
        office=office,
        detail=f"hand-over document {handover.document_name}",
    )


@transaction.atomic
def referral_handover_withdraw(*, actor, handover, withdrawn_on, office):
    """The person withdrew consent: from now on the receiving office no longer reads it."""
    handover.consent_withdrawn_on = withdrawn_on
    handover.save(update_fields=["consent_withdrawn_on"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, obj=handover, office=office, detail="withdrawn"
    )
    return handover


@transaction.atomic
def referral_handover_link(*, actor, handover, client):
    """The receiving office names the person it is about among its own clients."""
    if client.office_id != handover.receiving_office_id:
        raise PermissionDenied
    handover.client = client
    handover.save(update_fields=["client"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, obj=handover, office=client.office, detail="linked"
    )
    return handover


def handover_list_read(*, actor, office=None, detail=""):
    """Record that the office's hand-over list was shown (``detail``: its filters)."""
    audit.record(actor=actor, action=AuditAction.VIEW, office=office, detail=detail)


def handovers_read(*, actor, client):
    """Record that the person's hand-over page was shown."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=client, detail="hand-overs")


@transaction.atomic
def end_handover_create(*, actor, client, **fields):
    handover = ServiceEndHandover.objects.create(client=client, created_by=actor.user, **fields)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=handover)
    return handover
