"""Passwords and the names they must not contain are folded by person search's one function
(``core.names.fold_for_search``), not by a second folding of their own."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from core.names import fold_for_search
from offices import passwords


@pytest.mark.django_db
def test_the_guessed_names_are_folded_as_person_search_folds(cast):
    names = passwords.names_for(cast.alice)
    assert fold_for_search("ＴＥＩＣＨＡＫＵ") in names
    # 社会福祉法人あおば会 is guessed without its legal form, folded: アオバ会.
    assert fold_for_search("あおば会") in names


@pytest.mark.django_db
def test_a_name_in_the_other_kana_or_a_variant_kanji_is_the_same_guess(cast):
    with pytest.raises(ValidationError):
        validate_password("アオバ会2024!xyz", user=cast.alice)  # 社会福祉法人あおば会
    cast.corporation_a.name = "髙橋会"
    cast.corporation_a.save()
    with pytest.raises(ValidationError):
        validate_password("高橋会-2024!xyz", user=cast.alice)
