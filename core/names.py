"""A person's display name: family name first, as Japanese writes it, for clients and staff alike.

Django's ``get_full_name()`` puts the given name first (愛 青木); every page, form, PDF and
export uses these functions instead, so the order is decided here once. Readings (フリガナ) are
stored in full-width katakana; ``katakana`` turns what people type into that form.
"""

import unicodedata


def display_name(family, given):
    """ "青木 愛": family name, a space, given name; either part may be blank."""
    return " ".join(part for part in ((family or "").strip(), (given or "").strip()) if part)


def staff_display_name(user):
    """A staff member's name family name first, or their login name without one; "" for nobody."""
    if user is None:
        return ""
    return display_name(user.last_name, user.first_name) or user.get_username()


def katakana(reading):
    """A reading in full-width katakana, as it is stored: hiragana (やまだ) and half-width
    katakana (ﾔﾏﾀﾞ) become ヤマダ; anything else is kept. NFKC joins a half-width voiced mark to
    its kana and makes full-width spaces plain."""
    folded = unicodedata.normalize("NFKC", reading)
    return "".join(
        chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" or ch in "ゝゞ" else ch for ch in folded
    )
