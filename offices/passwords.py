"""Password validation: no password made from the product's name or the user's own offices and
corporations, which anyone who knows where the user works would try first.

Names and passwords are compared as person search compares names (``core.names.fold_for_search``:
width, case, spaces, hiragana/katakana and variant kanji ignored): ＴＥＩＣＨＡＫＵ, "Teichaku " and
a corporation's name typed in the other kana are the same guess."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.names import fold_for_search
from offices.models import Corporation, Office

PRODUCT_NAMES = ("teichaku", "定着")
# Legal forms are dropped from a corporation's name: "株式会社みどり" is guessed as "みどり".
LEGAL_FORMS = (
    "社会福祉法人",
    "特定非営利活動法人",
    "npo法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "医療法人",
    "株式会社",
    "有限会社",
    "合同会社",
)
SHORTEST_NAME = 2


def names_for(user):
    """The product's names and, for a saved account, its offices' and corporations' names."""
    names = list(PRODUCT_NAMES)
    if user is not None and user.pk is not None:
        offices = Office.objects.filter(memberships__user=user)
        corporations = Corporation.objects.filter(offices__in=offices) | Corporation.objects.filter(
            managers__user=user
        )
        names += offices.values_list("name", flat=True)
        names += corporations.values_list("name", flat=True)
    folded = set()
    for name in names:
        name = fold_for_search(name)
        for form in LEGAL_FORMS:
            name = name.replace(form, "")
        if len(name) >= SHORTEST_NAME:
            folded.add(name)
    return folded


class NoLocalNamesValidator:
    def validate(self, password, user=None):
        folded = fold_for_search(password)
        if any(name in folded for name in names_for(user)):
            raise ValidationError(
                _(
                    "The password must not contain the name of this system or of your office "
                    "or corporation."
                ),
                code="password_contains_local_name",
            )

    def get_help_text(self):
        return _(
            "Your password must not contain the name of this system or of your office or "
            "corporation."
        )
