"""What the API answers (and the query parameters it reads), as REST framework serializers: they
shape the JSON and describe it in the OpenAPI schema. No serializer writes a model: the contact
form (``contacts.forms.QuickEntryForm``) validates a new contact and ``contacts.services``
writes it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clients.models import Origin
from contacts.models import LifeTopic, WorkTopic
from core.params import validate_sane_date
from core.vocab import ContactMethod, Counterpart, DisabilityType, PlanType

MAX_QUERY_LENGTH = 200


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every error: a Japanese message, the field it is about (null for the whole request)."""

    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    errors = ErrorItemSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# Answers


class OfficeSerializer(serializers.Serializer):
    office_number = serializers.CharField()
    name = serializers.CharField()
    corporation = serializers.CharField(source="corporation.name")
    prefecture_code = serializers.CharField()
    municipality = serializers.CharField()


def _username_or_none(user):
    return user.get_username() if user is not None else None


class ClientSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    client_code = serializers.CharField()
    office_number = serializers.CharField(source="office.office_number")
    family_name = serializers.CharField()
    given_name = serializers.CharField()
    family_name_kana = serializers.CharField()
    given_name_kana = serializers.CharField()
    full_name = serializers.CharField()
    origin = serializers.ChoiceField(choices=Origin.choices)
    plan_type = serializers.CharField()
    service_start = serializers.DateField()
    service_end = serializers.DateField(allow_null=True)
    staff_in_charge = serializers.SerializerMethodField()

    def get_staff_in_charge(self, client) -> str | None:
        """The username of the staff member in charge."""
        return _username_or_none(client.staff_in_charge)


class EmploymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    client = serializers.IntegerField(source="client_id")
    client_code = serializers.CharField(source="client.client_code")
    office_number = serializers.CharField(source="client.office.office_number")
    employer = serializers.CharField(source="employer.name")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    separation_reason = serializers.CharField()
    supported_job_change = serializers.BooleanField()
    returned_from_leave_on = serializers.DateField(allow_null=True)
    weekly_hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, coerce_to_string=False
    )
    job_title = serializers.CharField()


class ClientDetailSerializer(ClientSerializer):
    birth_date = serializers.DateField(allow_null=True)
    disability_types = serializers.ListField(
        child=serializers.ChoiceField(choices=DisabilityType.choices)
    )
    service_end_reason = serializers.CharField()
    employments = EmploymentSerializer(many=True, source="employments_shown")


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    client = serializers.IntegerField(source="client_id")
    client_code = serializers.CharField(source="client.client_code")
    office_number = serializers.CharField(source="client.office.office_number")
    contacted_at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    counterpart = serializers.ChoiceField(choices=Counterpart.choices)
    employer_contact = serializers.IntegerField(source="employer_contact_id", allow_null=True)
    face_to_face = serializers.BooleanField()
    duration_minutes = serializers.IntegerField(allow_null=True)
    work_topics = serializers.ListField(child=serializers.ChoiceField(choices=WorkTopic.choices))
    life_topics = serializers.ListField(child=serializers.ChoiceField(choices=LifeTopic.choices))
    summary = serializers.CharField()
    next_follow_up = serializers.DateField(allow_null=True)
    staff = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_staff(self, contact) -> str | None:
        """The username of the staff member who had the contact."""
        return _username_or_none(contact.staff)


class ContactCreateSerializer(serializers.Serializer):
    """The body of a new contact: the fields of the quick-entry form, validated by that form
    (same rules, same messages). Times without an offset are Japan time."""

    client = serializers.IntegerField(min_value=1, help_text=_("The client's id."))
    contacted_at = serializers.CharField(
        help_text=_("YYYY-MM-DDTHH:MM in Japan time, or ISO 8601 with an offset.")
    )
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    counterpart = serializers.ChoiceField(choices=Counterpart.choices)
    face_to_face = serializers.BooleanField(
        required=False,
        allow_null=True,
        help_text=_("Omit or null to follow the method (and the office's setting)."),
    )
    duration_minutes = serializers.IntegerField(required=False, allow_null=True)
    work_topics = serializers.ListField(
        child=serializers.ChoiceField(choices=WorkTopic.choices), required=False
    )
    life_topics = serializers.ListField(
        child=serializers.ChoiceField(choices=LifeTopic.choices), required=False
    )
    summary = serializers.CharField(required=False, allow_blank=True)
    next_follow_up = serializers.DateField(required=False, allow_null=True)
    employer_contact = serializers.IntegerField(required=False, allow_null=True)


class ClosedMonthSerializer(serializers.Serializer):
    office_number = serializers.CharField()
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM")


def page_of(item_serializer):
    """The schema of a page of ``item_serializer`` (``api.pagination.Pages``' envelope)."""
    name = item_serializer.__name__.removesuffix("Serializer")
    return type(
        f"{name}PageSerializer",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item_serializer(many=True),
            "__doc__": f"A page of {name.lower()} records.",
        },
    )


OfficePageSerializer = page_of(OfficeSerializer)
ClientPageSerializer = page_of(ClientSerializer)
EmploymentPageSerializer = page_of(EmploymentSerializer)
ContactPageSerializer = page_of(ContactSerializer)


# ---------------------------------------------------------------------------------------------
# Query parameters


def _date(**kwargs):
    return serializers.DateField(required=False, validators=[validate_sane_date], **kwargs)


class OfficeFilterSerializer(serializers.Serializer):
    office = serializers.CharField(
        required=False, max_length=20, help_text=_("Only this office (its office number).")
    )


class OfficeListQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH)


class ClientListQuerySerializer(OfficeFilterSerializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Name or reading, folded as on the client list (kana, width, old forms)."),
    )
    status = serializers.ChoiceField(
        required=False, choices=["active", "upcoming", "ended"], help_text=_("On today's date.")
    )
    plan_type = serializers.ChoiceField(required=False, choices=[*PlanType.values, "none"])
    origin = serializers.ChoiceField(required=False, choices=Origin.choices)


class ClientFilterSerializer(OfficeFilterSerializer):
    client = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class _Period:
    """``from`` and ``to`` (Japan dates, both included; Python cannot name a field ``from``)."""

    from_help = _("From this Japan date (included).")
    to_help = _("To this Japan date (included).")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = _date(source="date_from", help_text=self.from_help)
        fields["to"] = _date(source="date_to", help_text=self.to_help)
        return fields

    def validate(self, data):
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise serializers.ValidationError({"from": _("The start is after the end.")})
        return data


class ContactListQuerySerializer(_Period, ClientFilterSerializer):
    pass


class RetentionQuerySerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Remuneration fiscal year F (default: the one whose window includes today)."),
    )
    as_of = _date(help_text=_("The day the figure is computed (default: today in Japan)."))


class ContactStatsQuerySerializer(_Period, serializers.Serializer):
    from_help = _("From this Japan date (default: the first day of the month 11 months ago).")
    to_help = _("To this Japan date (default: today in Japan).")
