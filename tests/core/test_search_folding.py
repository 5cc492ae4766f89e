"""The folding of person search (core.names.fold_for_search, search_key_for) and its table of
variant kanji (core/kanji_variants.py). Expected strings written out by hand."""

import unicodedata

import pytest

from core.kanji_variants import STANDARD_FORMS, VARIANT_TO_STANDARD
from core.names import fold_for_search, search_key_for


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("いとう", "イトウ"),
        ("ｲﾄｳ", "イトウ"),
        ("ﾀﾞｲｽｹ", "ダイスケ"),  # the half-width voiced mark joins its kana
        ("ﾊﾟﾝ", "パン"),
        ("ゔぃ", "ヴィ"),
        ("伊藤 大輔", "伊藤大輔"),
        ("伊藤\u3000大輔", "伊藤大輔"),
        (" 伊藤\t大輔 \n", "伊藤大輔"),
        ("ＡＢＣ－１２３", "abc-123"),
        ("Abc", "abc"),
        ("髙橋", "高橋"),
        ("山﨑", "山崎"),
        ("柳嵜", "柳崎"),
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("齋藤", "斎藤"),
        ("齊藤", "斎藤"),
        ("斉藤", "斎藤"),
        ("濱田", "浜田"),
        ("澤井", "沢井"),
        ("廣瀬", "広瀬"),
        ("國分", "国分"),
        ("櫻井", "桜井"),
        ("德永", "徳永"),
        ("冨田", "富田"),
        ("嶋田", "島田"),
        ("大嶌", "大島"),
        ("槇原", "槙原"),
        ("籔内", "藪内"),
        ("葛\U000e0100城", "葛城"),  # an ideographic variation selector is dropped
        ("", ""),
        (None, ""),
    ],
)
def test_fold_for_search(typed, folded):
    assert fold_for_search(typed) == folded


def test_standard_forms_are_left_as_they_are():
    for standard in ("高", "崎", "辺", "斎", "浜", "沢", "広", "国", "桜", "徳", "富", "島"):
        assert fold_for_search(standard) == standard


def test_every_variant_of_the_table_folds_to_its_standard_form():
    for standard, variants in STANDARD_FORMS.items():
        for variant in variants:
            assert fold_for_search(variant) == standard, variant


def test_the_table_maps_no_character_twice_and_no_form_onto_itself():
    variants = [variant for group in STANDARD_FORMS.values() for variant in group]
    assert len(variants) == len(set(variants))
    assert not set(variants) & set(STANDARD_FORMS)
    assert len(VARIANT_TO_STANDARD) == len(variants)


def test_the_table_holds_no_character_nfkc_already_changes():
    """A compatibility ideograph NFKC rewrites (塚 U+FA10 → 塚) needs no row: the row would
    never be reached, since folding applies NFKC first."""
    for standard, variants in STANDARD_FORMS.items():
        for character in (standard, *variants):
            assert unicodedata.normalize("NFKC", character) == character


def test_search_key_runs_the_folded_names_and_readings_together():
    assert search_key_for("伊藤", "大輔", "イトウ", "ダイスケ") == "伊藤大輔イトウダイスケ"
    assert search_key_for("髙橋", "一郎", "ﾀｶﾊｼ", "いちろう") == "高橋一郎タカハシイチロウ"
    assert search_key_for("渡邊", "", "", "") == "渡辺"
