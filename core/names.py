"""A person's display name: family name first, as Japanese writes it, for clients and staff alike.

Django's ``get_full_name()`` puts the given name first (愛 青木); every page, form, PDF and
export uses these functions instead, so the order is decided here once. Readings (フリガナ) are
stored in full-width katakana; ``katakana`` turns what people type into that form.

Person search folds names here too (``fold_for_search``, ``search_key_for``): a client's folded
names and readings are stored as ``Client.search_key`` and every search box folds its query the
same way, so ひらがな finds カタカナ, ｲﾄｳ finds イトウ, 山崎 finds 山﨑 and spaces do not matter.
"""

import re
import unicodedata

from core.kanji_variants import VARIANT_TO_STANDARD


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


def _halfwidth_table():
    """Full-width katakana → half-width (ｱ…ﾝ, small ｧ…ｯ, ｰ, ﾞ, ﾟ, ｡ ｢ ｣ ､ ･), the inverse of what
    NFKC does to half-width katakana; the kana half-width has no letter for become their nearest
    one (ヮ → ﾜ, ヵ → ｶ, ヶ → ｹ, ヰ → ｲ, ヱ → ｴ)."""
    table = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        table.setdefault(unicodedata.normalize("NFKC", half), half)
    table.update(
        {"ヮ": "ﾜ", "ヵ": "ｶ", "ヶ": "ｹ", "ヰ": "ｲ", "ヱ": "ｴ", "\u3099": "ﾞ", "\u309a": "ﾟ"}
    )
    table.update({"\u309b": "ﾞ", "\u309c": "ﾟ", "\u3000": " "})
    return table


_HALFWIDTH = _halfwidth_table()


def halfwidth_katakana(reading):
    """A reading in half-width katakana, as the 国保連 claim file's 英数 fields hold it: the
    reading is first made full-width katakana (``katakana``), then each kana becomes its
    half-width form, a voiced kana two characters (ガ → ｶﾞ, パ → ﾊﾟ, ヴ → ｳﾞ); ASCII is kept.
    Anything else (kanji, full-width letters) is kept too, for the caller to refuse."""
    decomposed = unicodedata.normalize("NFD", katakana(reading or ""))
    return "".join(_HALFWIDTH.get(ch, ch) for ch in decomposed)


# Whitespace (half- and full-width; NFKC has made U+3000 a plain space already) and the
# variation selectors that pick one glyph of a kanji (U+FE00–FE0F, U+E0100–E01EF): neither
# changes who a name is.
_IGNORED_IN_SEARCH = re.compile(r"[\s\ufe00-\ufe0f\U000e0100-\U000e01ef]+")


def fold_for_search(text):
    """``text`` as person search compares it: NFKC (half-width kana to full-width, full-width
    digits and letters to ASCII), hiragana to katakana, variant kanji to one form
    (``core/kanji_variants.py``), no whitespace, case-folded. 「ｲﾄｳ　ﾀﾞｲｽｹ」 and 「いとう だいすけ」
    are both ``"イトウダイスケ"``; 「髙橋」 is ``"高橋"``."""
    folded = katakana(text or "").translate(VARIANT_TO_STANDARD)
    return _IGNORED_IN_SEARCH.sub("", folded).casefold()


def search_key_for(family_name, given_name, family_name_kana, given_name_kana):
    """The stored search key of a person: family name, given name, family reading and given
    reading, each folded, run together. A query folded the same way finds the person when it is
    a part of the key: 伊藤大輔, 伊藤 大輔 and いとう all find 伊藤 大輔 (イトウ ダイスケ)."""
    return "".join(
        fold_for_search(part)
        for part in (family_name, given_name, family_name_kana, given_name_kana)
    )
