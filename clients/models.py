from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import ChoiceListField
from core.names import display_name, fold_for_search, search_key_for
from core.vocab import DisabilityType, PlanType, SeparationReason
from offices.models import RegionalGrade
from offices.scoping import OfficeScopedQuerySet


class Origin(models.TextChoices):
    """Derived from corporations, never typed in (DESIGN 5.1)."""

    OWN_ORG = "own_org", pgettext_lazy("origin", "Own organisation")
    OTHER_ORG = "other_org", pgettext_lazy("origin", "Other organisation")
    UNKNOWN = "unknown_origin", pgettext_lazy("origin", "Unknown origin")


def origin_of(prefix=""):
    """The origin (own_org, other_org or unknown_origin) of the client reached through ``prefix``
    (``""`` on clients, ``"client__"`` on contacts), as an expression to annotate or group by."""
    return Case(
        When(**{f"{prefix}referral_office__isnull": True}, then=Value(Origin.UNKNOWN.value)),
        When(
            **{f"{prefix}referral_office__corporation_id": F(f"{prefix}office__corporation_id")},
            then=Value(Origin.OWN_ORG.value),
        ),
        default=Value(Origin.OTHER_ORG.value),
        output_field=models.CharField(),
    )


def in_service_q(start, end, prefix=""):
    """The client (reached through ``prefix``) is in service at some day of [start, end] (dates,
    both included): its service period overlaps them. A ``Q`` to filter or count with."""
    return Q(**{f"{prefix}service_start__lte": end}) & (
        Q(**{f"{prefix}service_end__isnull": True}) | Q(**{f"{prefix}service_end__gte": start})
    )


def in_service_during(service_start, service_end, start, end):
    """Python form of ``in_service_q``: a service period (its end ``None`` while in service)
    overlaps [start, end] (dates, both included)."""
    return service_start <= end and (service_end is None or service_end >= start)


def person_search_q(query, prefix=""):
    """Person search on the client reached through ``prefix`` (``""`` on clients, ``"client__"``
    on contacts), as a ``Q``: each whitespace-separated term of ``query``, folded as the
    stored key is (``core.names.fold_for_search``), must be a part of the client's
    ``search_key`` (names and readings) or of the client code. 伊藤 大輔, 伊藤大輔, いとう
    and ｲﾄｳ all find 伊藤 大輔 (イトウ ダイスケ); 髙橋 and 高橋 find each other. An empty
    query matches everyone."""
    condition = Q()
    for term in (query or "").split():
        folded = fold_for_search(term)
        if folded:
            condition &= Q(**{f"{prefix}search_key__contains": folded}) | Q(
                **{f"{prefix}client_code__icontains": folded}
            )
    return condition


class ClientQuerySet(OfficeScopedQuerySet):
    def with_origin(self):
        """Annotate ``origin``: own_org, other_org or unknown_origin."""
        return self.annotate(origin=origin_of())

    def search(self, query):
        """Person search, the one rule every search box uses (``person_search_q``)."""
        return self.filter(person_search_q(query))

    def bulk_create(self, objs, *args, **kwargs):
        """Imports and generators write clients in bulk, without ``save()``: each gets its
        search key here, so no path can store a client without one."""
        objs = list(objs)
        for client in objs:
            client.refresh_search_key()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        """A bulk update that writes a name or a reading writes the search key with it."""
        if set(fields) & set(Client.SEARCHED_FIELDS):
            objs = list(objs)
            for client in objs:
                client.refresh_search_key()
            fields = [*fields, "search_key"] if "search_key" not in fields else fields
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        """``update()`` cannot fold a name in SQL: a name or a reading is changed through
        ``save()`` or ``bulk_update()``, which write the search key with it."""
        searched = set(kwargs) & set(Client.SEARCHED_FIELDS)
        if searched and "search_key" not in kwargs:
            raise ValueError(
                f"Client names are changed through save() or bulk_update() so that the search "
                f"key follows them; update() was given {', '.join(sorted(searched))}."
            )
        return super().update(**kwargs)

    def in_service_between(self, start, end):
        """Clients whose service period overlaps [start, end] (dates, both included)."""
        return self.filter(in_service_q(start, end))


class Client(models.Model):
    office_path = "office"

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="clients", verbose_name=_("office")
    )
    client_code = models.CharField(_("client code"), max_length=32)
    family_name = models.CharField(_("family name"), max_length=50)
    given_name = models.CharField(_("given name"), max_length=50)
    family_name_kana = models.CharField(_("family name (kana)"), max_length=50, blank=True)
    given_name_kana = models.CharField(_("given name (kana)"), max_length=50, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    disability_types = ChoiceListField(_("disability types"), choices_enum=DisabilityType)
    staff_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients_in_charge",
        verbose_name=_("staff in charge"),
    )
    referral_office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_clients",
        verbose_name=_("referral office"),
        help_text=_("The office the person moved to employment from."),
    )
    plan_type = models.CharField(
        _("plan type"), max_length=32, choices=PlanType.choices, blank=True
    )
    consultation_office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_clients",
        verbose_name=_("consultation support office"),
    )
    consultation_specialist = models.CharField(
        _("consultation specialist"), max_length=100, blank=True
    )
    service_start = models.DateField(_("service start"))
    service_end = models.DateField(_("service end"), null=True, blank=True)
    service_end_reason = models.CharField(_("service end reason"), max_length=200, blank=True)
    # A service may start from 6 months after hire; an earlier start needs a manager's
    # confirmation with a reason (e.g. a return from leave).
    early_start_reason = models.TextField(_("reason for the early start"), blank=True)
    early_start_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("early start confirmed by"),
    )
    early_start_confirmed_at = models.DateTimeField(
        _("early start confirmed at"), null=True, blank=True
    )
    # The names and readings folded for search (``core.names.search_key_for``), kept by save(),
    # bulk_create() and bulk_update(); on PostgreSQL a trigram index serves substring search.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)

    SEARCHED_FIELDS = ("family_name", "given_name", "family_name_kana", "given_name_kana")

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["office", "family_name_kana", "given_name_kana", "client_code"]
        constraints = [
            models.UniqueConstraint(fields=["office", "client_code"], name="unique_client_code"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.client_code})"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.refresh_search_key()
        elif set(update_fields) & set(self.SEARCHED_FIELDS):
            self.refresh_search_key()
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def refresh_search_key(self):
        self.search_key = search_key_for(*(getattr(self, name) for name in self.SEARCHED_FIELDS))

    @property
    def full_name(self):
        return display_name(self.family_name, self.given_name)

    @property
    def full_name_kana(self):
        return display_name(self.family_name_kana, self.given_name_kana)

    @property
    def origin(self):
        annotated = self.__dict__.get("_origin")
        if annotated is not None:  # from ClientQuerySet.with_origin()
            return Origin(annotated)
        if self.referral_office_id is None:
            return Origin.UNKNOWN
        if self.referral_office.corporation_id == self.office.corporation_id:
            return Origin.OWN_ORG
        return Origin.OTHER_ORG

    @origin.setter
    def origin(self, value):
        # The ORM sets the ``origin`` annotation of with_origin() through this setter.
        self.__dict__["_origin"] = value


class Employer(models.Model):
    office_path = "office"

    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="employers",
        verbose_name=_("office"),
    )
    name = models.CharField(_("employer name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    contact_people = models.TextField(_("contact people"), blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="unique_employer_name"),
        ]

    def __str__(self):
        return self.name


class EmployerContactRole(models.TextChoices):
    SUPERVISOR = "supervisor", pgettext_lazy("employer contact role", "Supervisor")
    HR = "hr", pgettext_lazy("employer contact role", "HR")
    COLLEAGUE = "colleague", pgettext_lazy("employer contact role", "Colleague")
    OTHER = "other", pgettext_lazy("employer contact role", "Other")


class EmployerContact(models.Model):
    """A named person at the employer (上司, 人事担当…): whom a contact was with, and to whom the
    support report was given."""

    office_path = "employer__office"

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="people", verbose_name=_("employer")
    )
    family_name = models.CharField(_("family name"), max_length=50)
    given_name = models.CharField(_("given name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=EmployerContactRole.choices)
    department = models.CharField(_("department"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer contact person")
        verbose_name_plural = _("employer contact people")
        ordering = ["employer", "-active", "family_name", "given_name", "pk"]

    def __str__(self):
        return f"{self.full_name}（{self.get_role_display()}）"

    @property
    def full_name(self):
        return display_name(self.family_name, self.given_name)


class Employment(models.Model):
    office_path = "client__office"

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="employments", verbose_name=_("client")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="employments", verbose_name=_("employer")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("The last working day; blank if employed."),
    )
    separation_reason = models.CharField(
        _("separation reason"), max_length=32, choices=SeparationReason.choices, blank=True
    )
    supported_job_change = models.BooleanField(
        _("supported job change"),
        default=False,
        help_text=_("A job change the office supported to improve working conditions."),
    )
    returned_from_leave_on = models.DateField(
        _("returned from leave on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the person came back to work from leave (休職), if they did. The service "
            "may start 6 months after it."
        ),
    )
    weekly_hours = models.DecimalField(
        _("weekly hours"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    job_title = models.CharField(_("job"), max_length=100, blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["client", "start_date"]
        constraints = [
            # The employments CSV's natural key: office_number + client_code + start_date.
            models.UniqueConstraint(
                fields=["client", "start_date"], name="unique_employment_start"
            ),
        ]

    def __str__(self):
        return f"{self.employer} {self.start_date}–{self.end_date or ''}"


# ---------------------------------------------------------------------------------------------
# Fee tables and regional unit prices (docs/domain.md 4.3): what the retention rate's tier is worth.
# The rules are in ``clients/fees.py``; the tables keep the names they were created with in
# billing.


class FeeTable(models.Model):
    """One fee table (報酬告示): in force from ``effective_from`` until a later table takes effect.
    Revisions take effect by month (April 2024, June 2024, June 2026 …), not by fiscal year."""

    effective_from = models.DateField(_("effective from"), unique=True)
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Where the values come from: the notice and its table."),
    )
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("On only when every value has been checked against the cited source."),
    )

    class Meta:
        db_table = "billing_feetable"
        verbose_name = _("fee table")
        verbose_name_plural = _("fee tables")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.effective_from:%Y-%m-%d}"


class FeeTier(models.Model):
    """One row of a fee table: from ``min_percent`` upwards (以上), ``units`` per person-month."""

    table = models.ForeignKey(
        FeeTable, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("fee table")
    )
    min_percent = models.DecimalField(
        _("minimum retention rate (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_(
            "The tier applies from this rate upwards (the bound included). 0 for the lowest tier."
        ),
    )
    units = models.PositiveIntegerField(_("units per month"))

    class Meta:
        db_table = "billing_feetier"
        verbose_name = _("fee tier")
        verbose_name_plural = _("fee tiers")
        ordering = ["table", "-min_percent"]
        constraints = [
            models.UniqueConstraint(fields=["table", "min_percent"], name="unique_fee_table_tier"),
        ]

    def __str__(self):
        return f"≥{self.min_percent}%: {self.units}"


class RegionalUnitPrice(models.Model):
    """Yen per unit for this service in one regional grade (地域区分), from a date."""

    grade = models.CharField(_("regional grade"), max_length=8, choices=RegionalGrade.choices)
    effective_from = models.DateField(_("effective from"))
    yen_per_unit = models.DecimalField(_("yen per unit"), max_digits=5, decimal_places=2)
    source = models.TextField(_("source"), blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("On only when the value has been checked against the cited source."),
    )

    class Meta:
        db_table = "billing_regionalunitprice"
        verbose_name = _("regional unit price")
        verbose_name_plural = _("regional unit prices")
        ordering = ["-effective_from", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["grade", "effective_from"], name="unique_regional_unit_price"
            ),
        ]

    def __str__(self):
        return f"{self.get_grade_display()} {self.effective_from:%Y-%m-%d}: {self.yen_per_unit}"
