from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import ChoiceListField
from core.vocab import PREFECTURE_CHOICES, PREFECTURES, CorporationType, ServiceType

corporation_number_validator = RegexValidator(
    r"^\d{13}$", _("A corporation number has exactly 13 digits.")
)
office_number_validator = RegexValidator(r"^\d{10}$", _("An office number has exactly 10 digits."))


class Corporation(models.Model):
    name = models.CharField(_("corporation name"), max_length=200)
    corporation_number = models.CharField(
        _("corporation number"),
        max_length=13,
        blank=True,
        validators=[corporation_number_validator],
        help_text=_("The 13-digit number issued by the National Tax Agency, if any."),
    )
    corporation_type = models.CharField(
        _("corporation type"), max_length=32, choices=CorporationType.choices
    )

    class Meta:
        verbose_name = _("corporation")
        verbose_name_plural = _("corporations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporation_number"],
                condition=~models.Q(corporation_number=""),
                name="unique_corporation_number",
            ),
        ]

    def __str__(self):
        return self.name


class RegionalGrade(models.TextChoices):
    """地域区分: the grade of the office's municipality, which sets the yen per unit."""

    GRADE_1 = "1", pgettext_lazy("regional grade", "Grade 1")
    GRADE_2 = "2", pgettext_lazy("regional grade", "Grade 2")
    GRADE_3 = "3", pgettext_lazy("regional grade", "Grade 3")
    GRADE_4 = "4", pgettext_lazy("regional grade", "Grade 4")
    GRADE_5 = "5", pgettext_lazy("regional grade", "Grade 5")
    GRADE_6 = "6", pgettext_lazy("regional grade", "Grade 6")
    GRADE_7 = "7", pgettext_lazy("regional grade", "Grade 7")
    OTHER = "other", pgettext_lazy("regional grade", "Other")


class Office(models.Model):
    office_number = models.CharField(
        _("office number"), max_length=10, unique=True, validators=[office_number_validator]
    )
    name = models.CharField(_("office name"), max_length=200)
    corporation = models.ForeignKey(
        Corporation,
        on_delete=models.PROTECT,
        related_name="offices",
        verbose_name=_("corporation"),
    )
    prefecture_code = models.CharField(_("prefecture"), max_length=2, choices=PREFECTURE_CHOICES)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    service_types = ChoiceListField(_("service types"), choices_enum=ServiceType)
    uses_system = models.BooleanField(
        _("uses this system"),
        default=True,
        help_text=_(
            "Off for a referral or consultation office known only by name: it has no staff "
            "and no clients here."
        ),
    )
    video_call_counts_as_face_to_face = models.BooleanField(
        _("video calls count as face-to-face"), default=False
    )
    regional_grade = models.CharField(
        _("regional grade"),
        max_length=8,
        choices=RegionalGrade.choices,
        default=RegionalGrade.OTHER,
        help_text=_("The regional grade of the office's municipality: it sets the yen per unit."),
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["office_number"]

    def __str__(self):
        return f"{self.name} ({self.office_number})"

    @property
    def prefecture_name(self):
        return PREFECTURES.get(self.prefecture_code, "")


class Role(models.TextChoices):
    SUPPORT_STAFF = "support_staff", pgettext_lazy("role", "Support staff")
    SERVICE_MANAGER = "service_manager", pgettext_lazy("role", "Service manager")
    OFFICE_MANAGER = "office_manager", pgettext_lazy("role", "Office manager")


MANAGER_ROLES = frozenset({Role.SERVICE_MANAGER, Role.OFFICE_MANAGER})


class Membership(models.Model):
    """A staff account's place in one office, with its role there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("office")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("office membership")
        verbose_name_plural = _("office memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.office} ({self.get_role_display()})"

    @property
    def is_manager(self):
        return self.role in MANAGER_ROLES


class CorporationManager(models.Model):
    """Head-office staff who see every office of their corporation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="corporation_roles",
        verbose_name=_("user"),
    )
    corporation = models.ForeignKey(
        Corporation,
        on_delete=models.CASCADE,
        related_name="managers",
        verbose_name=_("corporation"),
    )

    class Meta:
        verbose_name = _("corporation manager")
        verbose_name_plural = _("corporation managers")
        constraints = [
            models.UniqueConstraint(fields=["user", "corporation"], name="unique_corp_manager"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.corporation}"


# Imported here, after the models it reads: ``offices.scoping`` imports this module.
from offices.scoping import OfficeScopedQuerySet  # noqa: E402

# ---------------------------------------------------------------------------------------------
# The monthly close's lock: an office's month closed for billing (billing closes it; contacts,
# reports and meetings below billing check it)


class MonthClose(models.Model):
    """An office's month, closed (its figures kept as they were) or reopened with a reason.

    While closed, the month's contacts, support reports and case meetings cannot be changed
    (``offices.month_lock.ensure_month_open``). Billing closes and reopens it; its table keeps
    the name it was created with in billing."""

    office_path = "office"

    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.CASCADE,
        related_name="month_closes",
        verbose_name=_("office"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    is_closed = models.BooleanField(_("closed"), default=False)
    figures = models.JSONField(_("figures at closing"), default=dict, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        db_table = "billing_monthclose"
        verbose_name = _("monthly close")
        verbose_name_plural = _("monthly closes")
        ordering = ["office", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="one_close_per_office_month"),
        ]

    def __str__(self):
        return f"{self.office} {self.month:%Y-%m}"
