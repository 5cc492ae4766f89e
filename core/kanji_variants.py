"""Variant kanji (異体字) folded to one form for person search: data, read by ``core.names``.

Source: pairs collected by hand from the old (旧字体) and variant forms that recur in Japanese
surnames and given names, the kind an office keys in one way and a colleague searches another:
髙 for 高, 﨑 for 崎, 邊 and 邉 for 辺 (the forms Shift_JIS-era systems often could not store, and
the 旧字体 of the 常用漢字 that family registers keep). It is a curated list, **not exhaustive**:
when an office reports a person a search missed because of a variant, add the pair here (and its
test in ``tests/core/test_search_folding.py``); the stored keys are rebuilt by a data migration
that calls ``core.names.search_key_for`` again.

Each standard form maps to the variants folded onto it. The standard form is what search keys
hold; it is never shown to anyone.

斉 and 斎 are distinct characters, not variants, but in the surname さいとう (斎藤, 齋藤, 斉藤,
齊藤) they are confused all the time, and 齊 (the old form of 斉) is written for 齋: search folds
all four to 斎, so 斉藤 finds 斎藤 and the other way round. A search box that lists one person
too many costs a glance; one that misses the person costs a duplicate record.
"""

STANDARD_FORMS = {
    "高": "髙",
    "崎": "﨑嵜",
    "辺": "邊邉",
    "斎": "齋齊斉",
    "浜": "濱濵",
    "沢": "澤",
    "広": "廣",
    "国": "國",
    "桜": "櫻",
    "徳": "德",
    "富": "冨",
    "島": "嶋嶌",
    "槙": "槇",
    "藪": "籔",
    "瀬": "瀨",
    "恵": "惠",
    "真": "眞",
    "栄": "榮",
    "実": "實",
    "黒": "黑",
    "寿": "壽",
    "蔵": "藏",
    "条": "條",
    "増": "增",
    "淵": "渕",
    "桑": "桒",
}

# {variant: standard form}, as ``str.translate`` takes it.
VARIANT_TO_STANDARD = str.maketrans(
    {variant: standard for standard, variants in STANDARD_FORMS.items() for variant in variants}
)
