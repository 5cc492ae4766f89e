"""Files as Japanese offices have them (DESIGN 5.1): strict encodings, era dates, labels for codes,
kana and full-width digits, read by core.tabular and core.calendar."""

import datetime as dt

import pytest

from core import calendar, tabular
from core.vocab import ContactMethod, Counterpart, DisabilityType, PlanType

HEADER = "事業所番号,利用者コード,姓,名\r\n"


class TestStrictEncodings:
    def test_cp932_with_half_width_kana_and_crlf_is_read(self):
        data = (HEADER + "1300000001,K1,山田,ﾀﾛｳ\r\n").encode("cp932")
        assert tabular.decode(data) == HEADER + "1300000001,K1,山田,ﾀﾛｳ\r\n"

    def test_utf8_with_bom_is_read(self):
        assert tabular.decode(b"\xef\xbb\xbf" + HEADER.encode()) == HEADER

    def test_an_euc_jp_file_is_refused_at_its_first_japanese_row(self):
        text = "office_number,client_code,family_name,given_name\n1300000001,K1,あ,い\n"
        data = text.encode("euc_jp")
        # As CP932 these bytes are half-width-katakana mojibake, never an error by themselves.
        assert data.decode("cp932")
        with pytest.raises(tabular.FileRefused, match="2 行目が UTF-8 でも Shift_JIS"):
            tabular.decode(data)

    def test_an_euc_jp_file_with_japanese_headers_is_refused_at_row_1(self):
        data = "事業所番号,利用者コード,姓（フリガナ）\n1300000001,K1,ヤマダ\n".encode("euc_jp")
        with pytest.raises(tabular.FileRefused, match="1 行目が UTF-8 でも Shift_JIS"):
            tabular.decode(data)

    def test_a_cp932_file_with_a_utf8_row_is_refused_at_that_row(self):
        data = (
            HEADER.encode("cp932")
            + "1300000001,K1,山田,太郎\r\n".encode("cp932")
            + "1300000001,K2,山田,ヤマダ\r\n".encode()
        )
        # As CP932 the UTF-8 row decodes without error, into mojibake.
        assert data.decode("cp932")
        with pytest.raises(tabular.FileRefused, match="文字コードが混在しています: 3 行目"):
            tabular.decode(data)

    def test_a_utf8_file_with_a_cp932_row_is_refused_at_that_row(self):
        data = (
            HEADER.encode("utf-8")
            + "1300000001,K1,山田,太郎\r\n".encode()
            + "1300000001,K2,佐藤,花子\r\n".encode("cp932")
        )
        with pytest.raises(tabular.FileRefused, match="文字コードが混在しています: 3 行目"):
            tabular.decode(data)

    def test_a_bom_file_with_a_cp932_row_is_refused_at_that_row(self):
        data = (
            b"\xef\xbb\xbf"
            + b"office_number,client_code\r\n"
            + "1300000001,髙橋\r\n".encode("cp932")
        )
        with pytest.raises(tabular.FileRefused, match="2 行目"):
            tabular.decode(data)


class TestEraDates:
    @pytest.mark.parametrize(
        ("text", "date"),
        [
            ("令和6年4月1日", dt.date(2024, 4, 1)),
            ("令和元年5月1日", dt.date(2019, 5, 1)),
            ("R6.4.1", dt.date(2024, 4, 1)),
            ("r6.4.1", dt.date(2024, 4, 1)),
            ("H31.4.30", dt.date(2019, 4, 30)),
            ("平成31年4月30日", dt.date(2019, 4, 30)),
            ("平成7年7月9日", dt.date(1995, 7, 9)),
            ("S64.1.7", dt.date(1989, 1, 7)),
            ("昭和50年1月1日", dt.date(1975, 1, 1)),
            ("T15.12.24", dt.date(1926, 12, 24)),
            ("大正元年8月1日", dt.date(1912, 8, 1)),
            ("M45.7.29", dt.date(1912, 7, 29)),
            ("明治45年7月29日", dt.date(1912, 7, 29)),
        ],
    )
    def test_era_dates_are_read(self, text, date):
        assert calendar.parse_wareki(text) == date
        assert tabular.parse_date(text) == date

    def test_era_dates_round_trip_with_wareki(self):
        day = dt.date(2019, 5, 1)
        assert calendar.parse_wareki(calendar.wareki(day)) == day

    def test_a_date_after_its_era_ended_is_refused_with_the_era_span(self):
        with pytest.raises(ValueError, match="平成は平成元年1月8日から平成31年4月30日まで"):
            calendar.parse_wareki("平成32年1月1日")
        with pytest.raises(ValueError, match="平成31年4月30日まで"):
            tabular.parse_date("H31.5.1")

    def test_a_date_before_its_era_began_is_refused(self):
        with pytest.raises(ValueError, match="令和は令和元年5月1日に始まりました"):
            calendar.parse_wareki("令和元年4月30日")

    def test_a_date_that_does_not_exist_is_refused(self):
        with pytest.raises(ValueError, match="存在しない日付"):
            tabular.parse_date("令和6年2月30日")

    def test_full_width_digits_are_folded(self):
        assert tabular.parse_date("令和６年４月１日") == dt.date(2024, 4, 1)
        assert tabular.parse_date("２０２４／４／１") == dt.date(2024, 4, 1)

    def test_other_text_is_refused_naming_the_forms(self):
        with pytest.raises(ValueError, match="YYYY/M/D"):
            tabular.parse_date("4月1日")


class TestDatetimes:
    def test_excel_datetimes_are_japan_time(self):
        value = tabular.parse_datetime("2024/4/1 9:05")
        assert value == dt.datetime(2024, 4, 1, 9, 5, tzinfo=calendar.JST)

    def test_era_date_with_time(self):
        assert tabular.parse_datetime("令和6年4月1日 10:30") == dt.datetime(
            2024, 4, 1, 10, 30, tzinfo=calendar.JST
        )

    def test_iso_with_offset_keeps_it(self):
        assert tabular.parse_datetime("2024-03-31T14:30:00+00:00").utcoffset() == dt.timedelta(0)


class TestLabelsForCodes:
    @pytest.mark.parametrize(
        ("choices", "text", "code"),
        [
            (PlanType, "セルフプラン", "self_plan"),
            (PlanType, "self_plan", "self_plan"),
            (ContactMethod, "電話連絡", "phone"),
            (ContactMethod, "職場訪問", "workplace_visit"),
            (Counterpart, "本人", "client"),
            (DisabilityType, "知的", "intellectual"),
        ],
    )
    def test_a_japanese_label_is_its_code(self, choices, text, code):
        assert tabular.code_of(choices)(text) == code

    def test_a_label_is_compared_after_nfkc(self):
        # 半角カナ and a full-width space: the same label after NFKC with spaces removed.
        assert tabular.code_of(PlanType)("ｾﾙﾌﾌﾟﾗﾝ") == "self_plan"

    def test_multi_valued_cells_take_both_separators_and_labels(self):
        parse = tabular.codes_of(DisabilityType)
        assert parse("知的、精神;physical") == ["intellectual", "mental", "physical"]

    def test_an_unknown_label_names_the_allowed_labels_and_codes(self):
        with pytest.raises(ValueError, match=r"セルフプラン \(self_plan\)"):
            tabular.code_of(PlanType)("自己計画")

    @pytest.mark.parametrize("text", ["はい", "○", "〇", "ＹＥＳ", "１"])
    def test_yes_in_japanese(self, text):
        assert tabular.parse_bool(text) is True

    @pytest.mark.parametrize("text", ["いいえ", "×", "０"])
    def test_no_in_japanese(self, text):
        assert tabular.parse_bool(text) is False


class TestKanaAndDigits:
    @pytest.mark.parametrize("text", ["やまだ", "ﾔﾏﾀﾞ", "ヤマダ"])
    def test_readings_are_stored_in_full_width_katakana(self, text):
        assert tabular.kana(50)(text) == "ヤマダ"

    def test_full_width_digits_in_numbers(self):
        assert tabular.digits(10)("１３０００００００１") == "1300000001"
        assert tabular.parse_int("３０") == 30


def test_japanese_column_names_are_compared_after_nfkc_without_spaces():
    table = tabular.read_csv(
        "姓(フリガナ), 名 （フリガナ）,Office_Number\nヤマダ,タロウ,1\n".encode("cp932"),
        aliases=tabular.get_kind("clients").aliases(),
    )
    assert table.header == ["family_name_kana", "given_name_kana", "office_number"]


class TestMonths:
    """A month cell as offices write it (support_reports' ``month``)."""

    @pytest.mark.parametrize(
        "text",
        [
            "2024-04",
            "2024/4",
            "2024/04",
            "２０２４／４",
            "2024年4月",
            "令和6年4月",
            "R6.4",
            "2024/4/1",
        ],
    )
    def test_each_way_of_writing_april_2024_reads_as_april_2024(self, text):
        assert tabular.parse_month(text) == calendar.Month(2024, 4)

    def test_reiwa_gannen_may_is_may_2019(self):
        assert tabular.parse_month("令和元年5月") == calendar.Month(2019, 5)

    @pytest.mark.parametrize("text", ["2024-13", "2024/0", "2024/4/15", "四月", "2024"])
    def test_a_month_that_does_not_exist_or_a_day_inside_one_is_refused(self, text):
        with pytest.raises(ValueError):
            tabular.parse_month(text)
