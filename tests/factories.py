import datetime as dt

import factory
from django.contrib.auth import get_user_model

from clients.models import Client, Employer, Employment
from core.vocab import CorporationType
from offices.models import Corporation, CorporationManager, Membership, Office, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.jp")
    password = factory.django.Password("pass-for-tests-1")


class CorporationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Corporation

    name = factory.Sequence(lambda n: f"株式会社テスト{n}")
    corporation_number = factory.Sequence(lambda n: f"{n:013d}")
    corporation_type = CorporationType.FOR_PROFIT


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    office_number = factory.Sequence(lambda n: f"13{n:08d}")
    name = factory.Sequence(lambda n: f"テスト事業所{n}")
    corporation = factory.SubFactory(CorporationFactory)
    prefecture_code = "13"
    municipality = "新宿区"
    service_types = factory.LazyFunction(lambda: ["retention_support"])
    uses_system = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = Role.SUPPORT_STAFF


class CorporationManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorporationManager

    user = factory.SubFactory(UserFactory)
    corporation = factory.SubFactory(CorporationFactory)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    office = factory.SubFactory(OfficeFactory)
    client_code = factory.Sequence(lambda n: f"C{n:04d}")
    family_name = "山田"
    given_name = factory.Sequence(lambda n: f"太郎{n}")
    family_name_kana = "ヤマダ"
    given_name_kana = "タロウ"
    birth_date = dt.date(1995, 5, 1)
    disability_types = factory.LazyFunction(lambda: ["mental"])
    plan_type = "self_plan"
    service_start = dt.date(2023, 4, 1)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer
        django_get_or_create = ("office", "name")

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"株式会社雇用{n}")


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    client = factory.SubFactory(ClientFactory)
    employer = factory.SubFactory(EmployerFactory, office=factory.SelfAttribute("..client.office"))
    start_date = dt.date(2022, 10, 1)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Survey"

    slug = factory.Sequence(lambda n: f"survey-{n}")
    year = 2024
    title = factory.Sequence(lambda n: f"テスト調査{n}")
    status = "open"


class SurveyCoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.SurveyCoordinator"

    user = factory.SubFactory(UserFactory)
    corporation = None


def challenge_survey(*, slug="challenges-2024", year=2024, corporation=None, status="open"):
    """A survey of the ``retention-challenges`` template (DESIGN 5.3)."""
    from surveys.definitions import survey_create_from_template

    survey = survey_create_from_template(
        slug=slug, template="retention-challenges", year=year, corporation=corporation
    )
    survey.status = status
    survey.save(update_fields=["status"])
    return survey


def respond(
    survey, values, *, categories=None, response_id=None, submitted_at=None, questions=None
):
    """One stored response with ``values`` ({code: value}) and imported ``categories``."""
    import datetime as dt

    from surveys.models import Response
    from surveys.responses import load_questions, write_answers

    kwargs = {"response_id": response_id} if response_id else {}
    response = Response.objects.create(
        survey=survey,
        submitted_at=submitted_at or dt.datetime(2024, 1, 15, 10, 0, tzinfo=dt.UTC),
        **kwargs,
    )
    write_answers(
        response=response,
        questions=questions or load_questions(survey),
        values=values,
        categories=categories or {},
    )
    return response


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contacts.Contact"

    client = factory.SubFactory(ClientFactory)
    staff = None
    contacted_at = factory.Sequence(
        lambda n: (
            dt.datetime(2024, 4, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
            + dt.timedelta(minutes=n)
        )
    )
    method = "phone"
    counterpart = "client"
    face_to_face = factory.LazyAttribute(
        lambda c: c.method
        in {"workplace_visit", "home_visit", "office_interview", "medical_accompaniment",
            "outside_meeting"}
    )  # fmt: skip
    summary = ""


class SupportReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contacts.SupportReport"
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    month = dt.date(2024, 4, 1)

    # The former date fields, kept as a shortcut: a sharing row with the person / the employer.
    @factory.post_generation
    def shared_with_client_on(report, create, extracted, **kwargs):
        if extracted:
            report.sharings.create(recipient="person", shared_on=extracted, method="hand_delivered")

    @factory.post_generation
    def shared_with_employer_on(report, create, extracted, **kwargs):
        if extracted:
            report.sharings.create(recipient="employer", shared_on=extracted, method="email")


class EmployerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "clients.EmployerContact"

    employer = factory.SubFactory(EmployerFactory)
    family_name = "上司"
    given_name = "一郎"
    role = "supervisor"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contacts.Notification"

    user = factory.SubFactory(UserFactory)
    client = factory.SubFactory(ClientFactory)
    day = dt.date(2024, 4, 1)
    kind = "no_face_to_face"
    item_key = factory.LazyAttribute(lambda n: f"client:{n.client.pk}")


def entered_unit_price(grade="1", yen_per_unit="11.20", effective_from=dt.date(2024, 4, 1)):
    """A regional unit price as an administrator enters it from 告示第539号 (the project ships
    only その他 = 10.00: docs/domain.md 4.3). The tests' value for 1級地 is a test value."""
    from clients.models import RegionalUnitPrice

    return RegionalUnitPrice.objects.update_or_create(
        grade=grade,
        effective_from=effective_from,
        defaults={"yen_per_unit": yen_per_unit, "source": "test value", "verified": True},
    )[0]
