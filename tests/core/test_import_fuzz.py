"""Property-based fuzzing of every importer (the kinds of ``core.tabular.KINDS`` and the survey
responses): random and hostile files end in a clear refusal or a correct import.

A file is built from a good one by hostile edits: another or a mixed encoding, stray quotes, NUL
and control bytes, huge fields, formula prefixes, random bytes, cells swapped for random text.
Whatever the file, the import must:

- never raise;
- refuse with errors that each name a row (≥ 1) and carry a column and a reason, and then leave
  every table exactly as it was (a refusal writes nothing: no partial write, no audit event);
- or import, with every row counted as created, updated or unchanged.
"""

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import tabular
from surveys.exchange import import_responses
from tests.factories import challenge_survey
from tests.surveys.test_exchange import HEADER as RESPONSES_HEADER
from tests.surveys.test_exchange import _row as response_row

OFFICE_NUMBER = "1310100001"


def good_files():
    """A good file of each kind, against the rows ``world`` sets up."""
    number = OFFICE_NUMBER
    return {
        "offices": (
            "office_number,name,corporation_number,corporation_name,corporation_type,"
            "prefecture_code,municipality,service_types,uses_system\n"
            f"{number},髙橋定着支援センター,1011101000001,社会福祉法人山﨑会,social_welfare,13,"
            "新宿区,retention_support,true\n"
        ),
        "clients": (
            "office_number,client_code,family_name,given_name,family_name_kana,given_name_kana,"
            "birth_date,disability_types,referral_office_number,plan_type,"
            "consultation_office_number,service_start,service_end,service_end_reason\n"
            f"{number},F001,山田,花子,ヤマダ,ハナコ,1990-05-01,mental,,self_plan,,2024-04-01,,\n"
        ),
        "employments": (
            "office_number,client_code,start_date,employer_name,end_date,separation_reason,"
            "supported_job_change\n"
            f"{number},K001,2023-10-01,株式会社テスト,,,\n"
        ),
        "contacts": (
            "office_number,client_code,contacted_at,method,counterpart,duration_minutes,staff,"
            "summary\n"
            f"{number},K001,2024-04-10 10:30,phone,client,30,,電話で確認\n"
        ),
        # Japanese column names, as the downloadable template has them.
        "certificates": (
            "事業所番号,利用者コード,受給者証番号,市町村番号,支給決定開始日,支給決定終了日,"
            "利用者負担上限月額\n"
            f"{number},K001,0000123456,131016,2024-04-01,2025-03-31,9300\n"
        ),
        "support_plans": (
            "office_number,client_code,plan_date,approved_on,consented_on,next_review_by\n"
            f"{number},K001,2024-04-01,2024-04-03,2024-04-05,\n"
        ),
        "support_reports": (
            "office_number,client_code,month,shared_with_client_on,shared_with_employer_on,"
            "summary\n"
            f"{number},K001,2024-04,2024-05-07,2024-05-09,四月の支援\n"
        ),
        "case_meetings": (
            "office_number,client_code,held_on,presenter,agencies,notes\n"
            f"{number},K001,2024-05-10,service_manager,相談支援事業所みらい;主治医,初回\n"
        ),
        "service_codes": (
            "service_code,item,name,effective_from,units\n"
            "471111,base_95+no_plan30,就定Ⅰ１・未計画,2024-04-01,\n"
        ),
        "responses": RESPONSES_HEADER + "\n" + response_row("r1", text="情報", cats="") + "\n",
    }


KIND_NAMES = sorted([*tabular.KINDS, "responses"])


def test_every_import_kind_is_fuzzed():
    assert sorted(set(tabular.KINDS) - set(good_files())) == [], "give the new kind a good file"
    assert sorted(set(good_files()) - set(tabular.KINDS) - {"responses"}) == []


FORMULA_PREFIXES = ["=", "+", "-", "@", "＝", "＋", "－", "＠", '=HYPERLINK("http://x")']
HOSTILE_SNIPPETS = [
    "\x00", "\x01", "\x1b", "\r", "\n", "\r\n", '"', '""', '",', ",", ";", "\t", "\ufeff",
    "\u202e", "\ud7ff", "\U0001f600", "髙", "﨑", "ｱ", "../", "%00", "' OR 1=1 --", "9" * 30,
    "0001-01-01", "9999-12-31", "-1", "1e309", "true", "",
]  # fmt: skip


@st.composite
def hostile_edit(draw, text):
    """One hostile edit of ``text`` (str or bytes out)."""
    kind = draw(
        st.sampled_from(
            ["insert", "formula", "huge", "replace_cell", "truncate", "random_bytes", "same"]
        )
    )
    if kind == "insert":
        position = draw(st.integers(0, len(text)))
        snippet = draw(st.sampled_from(HOSTILE_SNIPPETS))
        return text[:position] + snippet + text[position:]
    if kind == "formula":
        cells = text.split(",")
        index = draw(st.integers(0, len(cells) - 1))
        cells[index] = draw(st.sampled_from(FORMULA_PREFIXES)) + cells[index]
        return ",".join(cells)
    if kind == "huge":
        cells = text.split(",")
        index = draw(st.integers(0, len(cells) - 1))
        cells[index] = draw(st.sampled_from(["x", "髙", '"', "\x00"])) * draw(
            st.sampled_from([300, 5000, 200_000])
        )
        return ",".join(cells)
    if kind == "replace_cell":
        cells = text.split(",")
        index = draw(st.integers(0, len(cells) - 1))
        cells[index] = draw(st.text(max_size=20))
        return ",".join(cells)
    if kind == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if kind == "random_bytes":
        return draw(st.binary(max_size=200))
    return text


ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "utf-16", "latin-1", "mixed"]


def encode(text, encoding):
    if isinstance(text, bytes):
        return text
    if encoding == "mixed":  # a UTF-8 header over CP932 rows, as a copy-paste leaves it
        head, _, rest = text.partition("\n")
        return head.encode("utf-8") + b"\n" + rest.encode("cp932", "replace")
    return text.encode(encoding, "replace")


@st.composite
def hostile_files(draw):
    kind = draw(st.sampled_from(KIND_NAMES))
    text = good_files()[kind]
    for _ in range(draw(st.integers(0, 3))):
        text = draw(hostile_edit(text))
        if isinstance(text, bytes):
            break
    return kind, encode(text, draw(st.sampled_from(ENCODINGS)))


def table_sizes():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def world(cast):
    from tests import factories

    cast.office_a.office_number = OFFICE_NUMBER
    cast.office_a.save()
    client = factories.ClientFactory(office=cast.office_a, client_code="K001")
    factories.EmploymentFactory(client=client)
    return {"survey": challenge_survey(status="closed")}


def run(kind, data, world):
    if kind == "responses":
        return import_responses(world["survey"], data)
    return tabular.run_import(kind, data)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(hostile_files())
def test_every_importer_refuses_clearly_or_imports_correctly(world, file):
    kind, data = file
    before = table_sizes()
    result = run(kind, data, world)  # must not raise
    if result.errors:
        for error in result.errors:
            assert error.row >= 1 and isinstance(error.column, str) and str(error.reason)
        assert table_sizes() == before, f"a refused {kind} file changed the database"
    else:
        assert result.created + result.updated + result.unchanged == result.rows


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KIND_NAMES)
def test_the_good_files_import(world, kind):
    data = good_files()[kind].encode()
    result = run(kind, data, world)
    assert result.errors == []
    assert result.rows == 1


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KIND_NAMES)
def test_a_nul_byte_anywhere_is_refused_naming_its_line(world, kind):
    text = good_files()[kind] * 1
    data = (text + text.split("\n", 1)[1].replace(",", ",\x00", 1) * 200).encode()
    before = table_sizes()
    result = run(kind, data, world)
    assert any("NUL" in str(e) for e in result.errors)
    assert table_sizes() == before
