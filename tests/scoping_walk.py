"""Walk every URL pattern of a URLconf and look for office data reaching the wrong user.

For every view that is not public (``@login_not_required``):
- an anonymous visitor must be sent to the login page (an API view, which authenticates each
  call by a Bearer token, must answer 401 instead);
- Charlie, staff of another corporation's office, asks for it with the URL keyword arguments
  pointing at office A's objects and with office A named in the query string. A view that names
  an office-A object in its URL must answer 403, 404, 405 or a redirect; any answer must not
  contain office A's marker strings (client names and other personal data);
- Charlie also POSTs to it, and office A's rows must be unchanged afterwards.

API views (``token_authenticated``) are asked with Charlie's API token instead of his session,
and POSTed a JSON contact for office A's client.

A new URL keyword argument needs an entry in SAMPLES (and, if it names a new kind of object, a
row in ``build_world``): the walk fails loudly on a keyword it does not know, so no view escapes.
"""

import io
from dataclasses import dataclass, field

from django.contrib.auth.views import redirect_to_login
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import AuditEvent, ImportJob
from offices.scoping import OfficeScopedQuerySet
from tests import factories

MARKERS = ("秘匿田", "機密子", "極秘商事", "ﾋﾄｸﾀﾞ")


@dataclass
class World:
    cast: object
    client: object
    employer: object
    employment: object
    import_job: object
    extra: dict = field(default_factory=dict)


def build_world(cast):
    """Office A's data, carrying the marker strings that nobody outside office A may see."""
    client = factories.ClientFactory(
        office=cast.office_a,
        family_name="秘匿田",
        given_name="機密子",
        family_name_kana="ﾋﾄｸﾀﾞ",
        staff_in_charge=cast.alice,
    )
    employer = factories.EmployerFactory(office=cast.office_a, name="極秘商事")
    employment = factories.EmploymentFactory(client=client, employer=employer)
    import_job = ImportJob.objects.create(
        user=cast.bob,
        kind="offices",
        filename="秘匿田.csv",
        status=ImportJob.Status.REFUSED,
        result={"errors": [{"row": 2, "column": "name", "value": "機密子", "reason": "x"}]},
    )
    # Alice's API token: nobody else may revoke it.
    from api.services import token_create
    from core.audit import Actor

    alice_token, _secret = token_create(actor=Actor.command(), user=cast.alice, name="秘匿田 BI")
    # Office A's audit trail names its people: only office A's managers may read it.
    AuditEvent.objects.create(
        user=cast.alice,
        action="view",
        office=cast.office_a,
        object_type="clients.client",
        object_id=str(client.pk),
        object_repr=str(client),
        detail="client list; 秘匿",
    )
    world = World(cast, client, employer, employment, import_job)
    world.extra["api_token"] = alice_token
    _build_survey_world(world)
    _build_contacts_world(world)
    _build_plans_world(world)
    _build_billing_world(world)
    _build_voice_world(world)
    return world


def _build_survey_world(world):
    """A survey organised by corporation A, its report published to A's staff, with a free-text
    answer carrying a marker; only A's survey coordinator (and A's staff, for the aggregate
    report) may reach it."""
    from tests.factories import SurveyCoordinatorFactory, UserFactory, challenge_survey, respond

    survey = challenge_survey(slug="aoba-staff-2024", corporation=world.cast.corporation_a)
    survey.report_published = True
    survey.save(update_fields=["report_published"])
    respond(
        survey,
        {
            "C01": 6,
            "role": "support_staff",
            "other_org_challenges": "秘匿田さんの件で機密子が困った",
        },
        categories={"other_org_challenges": ["lack_of_info"]},
    )
    coordinator = UserFactory(username="aoba-coordinator")
    SurveyCoordinatorFactory(user=coordinator, corporation=world.cast.corporation_a)
    invitation = survey.invitations.create(email="hitokuta@example.jp")
    world.extra.update(survey=survey, survey_coordinator=coordinator, invitation=invitation)


def _build_contacts_world(world):
    """Contacts of office A: a contact, a report, a notification and a report job."""
    from contacts.models import ReportBatchJob

    cast, client = world.cast, world.client
    world.extra["contact"] = factories.ContactFactory(
        client=client, staff=cast.alice, summary="秘匿田さんと面談、機密子の件", next_follow_up=None
    )
    world.extra["report"] = factories.SupportReportFactory(
        client=client, summary="秘匿田 機密子 様の支援", work_side="極秘商事で面談"
    )
    # Alice's notification: Charlie must not reach it even by its number.
    world.extra["notification"] = factories.NotificationFactory(user=cast.alice, client=client)
    world.extra["report_job"] = ReportBatchJob.objects.create(
        office=cast.office_a, month=world.extra["report"].month, user=cast.bob
    )


def _build_plans_world(world):
    """Office A's support plan (agreed, with goals and a monitoring note naming the person) and
    a case meeting."""
    import datetime as dt

    from core import calendar
    from core.audit import Actor
    from plans import services

    actor = Actor.command(world.cast.bob)
    plan = services.plan_create(
        client=world.client,
        actor=actor,
        plan_date=dt.date(2024, 4, 1),
        short_term_goals="秘匿田さんは極秘商事で働き続ける",
        long_term_goal="機密子",
    )
    services.plan_approve(plan=plan, actor=actor, approved_on=dt.date(2024, 4, 2))
    services.monitoring_note_create(
        plan=plan, actor=actor, noted_on=dt.date(2024, 5, 1), note="秘匿田 機密子 面談"
    )
    world.extra["plan"] = plan
    world.extra["meeting"] = services.meeting_create(
        client=world.client, actor=actor, held_on=dt.date(2024, 5, 10),
        presenter="other_staff", agencies=["極秘商事"], notes="機密子",
    )  # fmt: skip
    # A hand-over office A wrote for its client, shared with office A2 (same corporation, not
    # Charlie's), with an uploaded document; and an end-of-service hand-over.
    from django.core.files.uploadedfile import SimpleUploadedFile

    world.extra["handover"] = services.referral_handover_create(
        actor=actor, referring_office=world.cast.office_a, receiving_office=world.cast.office_a2,
        source_client=world.client, consented_on=dt.date(2024, 3, 1), consent_method="signature",
        own_words="秘匿田 機密子", document=SimpleUploadedFile("秘匿田.pdf", b"%PDF-1.4 x"),
        document_type="pdf",
    )  # fmt: skip
    services.end_handover_create(
        actor=actor, client=world.client, successor="employer", successor_name="極秘商事",
        shared_on=dt.date(2024, 5, 1), shared_what="機密子", consented_on=dt.date(2024, 5, 1),
    )  # fmt: skip
    # A hand-over office A2 wrote for its own person, received by office A and not yet linked
    # to one of office A's people (what referral_handover_link does).
    a2_person = factories.ClientFactory(office=world.cast.office_a2, family_name="秘匿田")
    world.extra["received_handover"] = services.referral_handover_create(
        actor=Actor.command(world.cast.diana), referring_office=world.cast.office_a2,
        receiving_office=world.cast.office_a, source_client=a2_person,
        consented_on=dt.date(2024, 3, 1), consent_method="signature", own_words="機密子",
    )  # fmt: skip
    # A person of office A referred by an office that does not use the system: office A records
    # the paper that office sent (referral_handover_upload). In service whatever the day the walk
    # runs, so that office A's hand-over list always names a marked person.
    paper_office = factories.OfficeFactory(name="紙の送り出し元", uses_system=False)
    world.extra["paper_referred_client"] = factories.ClientFactory(
        office=world.cast.office_a, referral_office=paper_office, family_name="秘匿田",
        service_start=calendar.today() - dt.timedelta(days=200),
    )  # fmt: skip


def _build_billing_world(world):
    """Office A's recipient certificate, a closed month and its closing job."""
    import datetime as dt

    from billing.models import MonthCloseJob, RecipientCertificate
    from offices.models import MonthClose

    certificate = RecipientCertificate.objects.create(
        client=world.client, recipient_number="0000123456", municipality_number="131016"
    )
    certificate.periods.create(start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31))
    MonthClose.objects.create(office=world.cast.office_a, month=dt.date(2024, 3, 1), is_closed=True)
    world.extra["close_job"] = MonthCloseJob.objects.create(
        office=world.cast.office_a, month=dt.date(2024, 4, 1), user=world.cast.bob
    )


def _build_voice_world(world):
    """Office A's LINE account, the person linked with a message sent to them, their check-in
    (with a comment naming them), an open warning, a web check-in link and a trend shared with
    a person at the employer."""
    import datetime as dt

    from django.utils import timezone

    from core.audit import Actor
    from voice import services
    from voice.models import CheckInWarning, LineLink, OutgoingMessage

    actor = Actor.command(world.cast.bob)
    channel = services.channel_set(
        office=world.cast.office_a, secret="walk-secret", token="walk-token", actor=actor
    )
    LineLink.objects.create(client=world.client, channel=channel, line_user_id="U-hitokuta")
    OutgoingMessage.objects.create(client=world.client, text="秘匿田さん、明日はどうですか")
    services.check_in_plan_set(
        client=world.client, items=["sleep", "workload", "機密子の通院"], rhythm_days=7,
        ruby=False, actor=actor,
    )  # fmt: skip
    services.check_in_record(
        client=world.client, ratings={"sleep": 2, "workload": 1, "own3": 2},
        comment="秘匿田です、極秘商事がつらい", via="web", answered_at=timezone.now(), actor=actor,
    )  # fmt: skip
    CheckInWarning.objects.create(
        client=world.client, reason="drop", detail="3.00 → 1.67", raised_on=dt.date.today()
    )
    services.check_in_link_issue(client=world.client, actor=actor)
    boss = factories.EmployerContactFactory(employer=world.employer, family_name="秘匿田")
    services.employer_share_create(
        client=world.client, employer_contact=boss, items=["sleep"],
        consented_on=dt.date(2024, 5, 1), consent_note="署名", actor=actor,
    )  # fmt: skip


# URL keyword argument → the office-A value Charlie tries.
SAMPLES = {
    "office_number": lambda w: w.cast.office_a.office_number,
    "client_pk": lambda w: w.client.pk,
    "employer_pk": lambda w: w.employer.pk,
    "employment_pk": lambda w: w.employment.pk,
    "job_pk": lambda w: w.import_job.pk,
    "survey_slug": lambda w: w.extra["survey"].slug,
    "question_code": lambda w: "other_org_challenges",
    "invitation_pk": lambda w: w.extra["invitation"].pk,
    "contact_pk": lambda w: w.extra["contact"].pk,
    "report_pk": lambda w: w.extra["report"].pk,
    "notification_pk": lambda w: w.extra["notification"].pk,
    "report_job_pk": lambda w: w.extra["report_job"].pk,
    "year": lambda w: w.extra["report"].month.year,
    "month": lambda w: w.extra["report"].month.month,
    "corporation_pk": lambda w: w.cast.office_a.corporation_id,
    "import_kind": lambda w: "clients",
    "template_encoding": lambda w: "cp932",
    "plan_pk": lambda w: w.extra["plan"].pk,
    "meeting_pk": lambda w: w.extra["meeting"].pk,
    "handover_pk": lambda w: w.extra["handover"].pk,
    "billing_month": lambda w: "2024-04",
    "export_format": lambda w: "csv",
    "client_code": lambda w: w.client.client_code,
    "close_job_pk": lambda w: w.extra["close_job"].pk,
    "token_pk": lambda w: w.extra["api_token"].pk,
}


# A view whose sample object must be of another kind than SAMPLES gives: view name → keyword →
# the office-A value to use instead.
VIEW_SAMPLES = {
    "referral_handover_link": {"handover_pk": lambda w: w.extra["received_handover"].pk},
    "referral_handover_upload": {"client_pk": lambda w: w.extra["paper_referred_client"].pk},
    # The API answers a closed month only: office A's closed March.
    "api_billing_month": {"billing_month": lambda w: "2024-03"},
}


def url_kwargs(endpoint, world, samples=SAMPLES):
    """The keyword arguments that point ``endpoint`` at office A's objects."""
    chosen = {**samples, **VIEW_SAMPLES.get(endpoint.name, {})}
    return {k: chosen[k](world) for k in endpoint.kwargs}


# Query-string parameters a list view might trust to pick an office or an object.
def _probe_query(world):
    return {
        "office": world.cast.office_a.office_number,
        "office_number": world.cast.office_a.office_number,
        "client": world.client.pk,
        "q": "秘匿",
        # The retention pages' fee month and what-if date.
        "month": "2024-04",
        "separation_date": "2024-01-31",
    }


@dataclass(frozen=True)
class Endpoint:
    name: str
    route: str
    view: object
    kwargs: tuple

    @property
    def token_authenticated(self):
        """An API view: it authenticates every call by a Bearer token (401 without one)."""
        return getattr(self.view, "token_authenticated", False) is True

    @property
    def public(self):
        return getattr(self.view, "login_required", True) is False and not self.token_authenticated


def endpoints(urlconf=None, *, skip_namespaces=("admin",)):
    """Every URL pattern with its full name, route, view and keyword arguments."""
    found = []

    def walk(patterns, namespace, route):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in skip_namespaces:
                    continue
                ns = pattern.namespace
                full_ns = ":".join(filter(None, [namespace, ns])) if ns else namespace
                walk(pattern.url_patterns, full_ns, route + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (
                    f"{namespace}:{pattern.name}" if namespace else pattern.name
                )
                found.append(
                    Endpoint(
                        name=name,
                        route=route + str(pattern.pattern),
                        view=pattern.callback,
                        kwargs=tuple(pattern.pattern.regex.groupindex),
                    )
                )

    walk(get_resolver(urlconf).url_patterns, "", "/")
    return found


def office_a_snapshot(world):
    """Every office-scoped row of office A, as plain values, to prove POSTs changed nothing."""
    from django.apps import apps

    snapshot = {}
    for model in apps.get_models():
        manager = model._default_manager
        if not isinstance(manager.all(), OfficeScopedQuerySet):
            continue
        rows = manager.filter(**{model.office_path: world.cast.office_a}).order_by("pk").values()
        snapshot[model._meta.label] = [dict(r) for r in rows]
    return snapshot


def _body_text(response):
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    for encoding in ("utf-8", "cp932"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return body.decode("latin-1")


def api_token_header(user):
    """Test-client keyword arguments carrying a new API token of ``user``."""
    from api.services import token_create
    from core.audit import Actor

    _token, secret = token_create(actor=Actor.command(), user=user, name="walk")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def api_probe_body(world):
    """A JSON contact for office A's client: what another office must not be able to write."""
    return {
        "client": world.client.pk,
        "contacted_at": "2024-05-01T10:00",
        "method": "phone",
        "counterpart": "client",
        "summary": "秘匿田",
    }


def find_leaks(world, *, urlconf=None, markers=MARKERS):
    """Problems found walking ``urlconf``; an empty list means every view is scoped."""
    problems = []
    http = HttpClient()
    charlie_token = api_token_header(world.cast.charlie)
    login_url = redirect_to_login("/").url.split("?")[0]
    before = office_a_snapshot(world)
    for endpoint in endpoints(urlconf):
        if endpoint.public:
            continue
        if not endpoint.name:
            problems.append(f"{endpoint.route}: every URL pattern needs a name")
            continue
        unknown = [k for k in endpoint.kwargs if k not in SAMPLES]
        if unknown:
            problems.append(
                f"{endpoint.name}: no sample for URL keyword(s) {unknown}; add them to SAMPLES"
            )
            continue
        url = reverse(endpoint.name, kwargs=url_kwargs(endpoint, world), urlconf=urlconf)

        http.logout()
        response = http.get(url)
        if endpoint.token_authenticated:
            if response.status_code != 401:
                problems.append(
                    f"{endpoint.name}: GET without a token answered {response.status_code}"
                )
        elif not (response.status_code == 302 and response["Location"].startswith(login_url)):
            problems.append(f"{endpoint.name}: anonymous GET answered {response.status_code}")

        http.force_login(world.cast.charlie)
        for method in ("get", "post"):
            if endpoint.token_authenticated and method == "get":
                response = http.get(url, _probe_query(world), **charlie_token)
            elif endpoint.token_authenticated:
                response = http.post(
                    url, api_probe_body(world), content_type="application/json", **charlie_token
                )
            else:
                response = getattr(http, method)(
                    url, _probe_query(world) if method == "get" else {}
                )
            status = response.status_code
            names_office_a_object = bool(endpoint.kwargs)
            if names_office_a_object and status not in (302, 403, 404, 405):
                problems.append(
                    f"{endpoint.name}: {method.upper()} by another office's staff answered {status}"
                )
            if status == 200:
                text = _body_text(response)
                leaked = [m for m in markers if m in text]
                if leaked:
                    problems.append(
                        f"{endpoint.name}: {method.upper()} showed office A data {leaked} "
                        "to another office's staff"
                    )
    if office_a_snapshot(world) != before:
        problems.append("POSTs by another office's staff changed office A's data")
    return problems
