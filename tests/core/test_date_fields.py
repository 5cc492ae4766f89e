"""Every form's date fields refuse a year outside 1900–2100 with a Japanese field error
(``core.params.SaneDateField``), and the plans pages answer such a date with the form again,
never a 500."""

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests import factories

PROJECT_APPS = ["core", "offices", "clients", "contacts", "plans", "surveys", "billing"]
OUT_OF_RANGE_YEARS = [1, 1899, 2101]
JAPANESE_ERROR = "1900-01-01 から 2100-12-31 までの日付を入力してください。"


def _project_form_classes():
    """Every form class defined in the project's apps (all their modules imported first)."""
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)
    seen, stack = set(), [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted(
        (cls for cls in seen if cls.__module__.split(".")[0] in PROJECT_APPS),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def _date_fields():
    found = []
    for form_class in _project_form_classes():
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                found.append((f"{form_class.__module__}.{form_class.__qualname__}.{name}", field))
    return found


DATE_FIELDS = _date_fields()


def _typed(field, year):
    day = dt.date(year, 4, 1)
    if isinstance(field, forms.DateTimeField):
        return f"{day.isoformat()}T10:00"
    return day.isoformat()


def test_the_walk_finds_the_plans_forms_date_fields():
    names = {name for name, _field in DATE_FIELDS}
    for expected in [
        "plans.forms.PlanForm.plan_date",
        "plans.forms.PlanForm.next_review_by",
        "plans.forms.MeetingForm.held_on",
        "plans.forms.MeetingForm.reported_back_on",
        "plans.forms.ReportBackForm.reported_back_on",
        "plans.forms.EndHandoverForm.shared_on",
        "billing.forms.CertificateForm.start",
        "contacts.forms.ContactForm.contacted_at",
    ]:
        assert expected in names


@pytest.mark.parametrize("year", OUT_OF_RANGE_YEARS)
@pytest.mark.parametrize(("name", "field"), DATE_FIELDS, ids=[name for name, _f in DATE_FIELDS])
def test_every_date_field_refuses_a_year_outside_1900_to_2100_in_japanese(name, field, year):
    with translation.override("ja"), pytest.raises(forms.ValidationError) as refused:
        field.clean(_typed(field, year))
    assert JAPANESE_ERROR in refused.value.messages


@pytest.mark.parametrize(("name", "field"), DATE_FIELDS, ids=[name for name, _f in DATE_FIELDS])
def test_every_date_field_accepts_the_edges_of_the_range(name, field):
    with translation.override("ja"):
        assert field.clean(_typed(field, 1900)) is not None
        assert field.clean(_typed(field, 2100)) is not None


# The plans pages: a year outside the range comes back as the form with the message, never a 500.


@pytest.fixture
def plans_of(cast):
    """A person with a draft plan, an approved one not yet agreed, and a meeting whose report
    back is due."""
    from core.audit import Actor
    from plans import services

    actor = Actor.command(cast.bob)
    person = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 4, 1))
    approved = services.plan_create(client=person, actor=actor, plan_date=dt.date(2025, 4, 1))
    services.plan_approve(plan=approved, actor=actor, approved_on=dt.date(2025, 4, 2))
    draft = services.plan_create(client=person, actor=actor, plan_date=dt.date(2025, 5, 1))
    meeting = services.meeting_create(
        client=person,
        actor=actor,
        held_on=dt.date(2025, 5, 1),
        presenter="other_staff",
        agencies=["ハローワーク"],
    )
    return person, draft, approved, meeting


def _plans_posts(plans_of):
    person, draft, approved, meeting = plans_of
    client_pk = person.pk
    return [
        (
            reverse("plan_create", args=[client_pk]),
            {"reason": "review", "plan_date": "{d}"},
        ),
        (reverse("plan_approve", args=[draft.pk]), {"approved_on": "{d}"}),
        (
            reverse("plan_consent", args=[approved.pk]),
            {"consented_on": "{d}", "consent_method": "signature"},
        ),
        (
            reverse("monitoring_create", args=[approved.pk]),
            {"noted_on": "{d}", "note": "様子を確認"},
        ),
        (reverse("meeting_report_back", args=[meeting.pk]), {"reported_back_on": "{d}"}),
        (
            reverse("meeting_create", args=[client_pk]),
            {
                "held_on": "{d}",
                "presenter": "service_manager",
                "agencies": "ハローワーク",
                "confirm_over_cap": "1",
            },
        ),
        (
            reverse("meeting_create", args=[client_pk]),
            {
                "held_on": "2025-05-01",
                "presenter": "other_staff",
                "agencies": "ハローワーク",
                "reported_back_on": "{d}",
                "confirm_over_cap": "1",
            },
        ),
        (
            reverse("end_handover_create", args=[client_pk]),
            {
                "successor": "employer",
                "successor_name": "株式会社テスト",
                "shared_on": "{d}",
                "shared_what": "支援の経過",
                "consented_on": "{d}",
                "consent_method": "signature",
            },
        ),
        (
            reverse("referral_handover_create", args=[client_pk]),
            {"consented_on": "{d}", "consent_method": "signature"},
        ),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("year", OUT_OF_RANGE_YEARS)
def test_plans_pages_answer_an_out_of_range_year_with_the_form_not_a_500(
    client, cast, plans_of, year
):
    client.force_login(cast.bob)
    day = dt.date(year, 4, 1).isoformat()
    for url, data in _plans_posts(plans_of):
        posted = {key: value.replace("{d}", day) for key, value in data.items()}
        response = client.post(url, posted, HTTP_ACCEPT_LANGUAGE="ja")
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code == 200:
            assert JAPANESE_ERROR in response.content.decode(), url
        else:  # a page that refuses the post for another reason saves nothing
            assert response.status_code in (302, 400, 403, 404), url
    assert settings.LANGUAGE_CODE == "ja"


@pytest.mark.parametrize("text", ["0001-04-01", "1899/12/31", "2101-01-01", "2101/1/1 10:00"])
def test_imported_dates_outside_the_range_are_refused_in_japanese(text):
    from core.tabular.reading import parse_date, parse_datetime

    parse = parse_datetime if ":" in text else parse_date
    with translation.override("ja"), pytest.raises(ValueError, match=JAPANESE_ERROR):
        parse(text)
