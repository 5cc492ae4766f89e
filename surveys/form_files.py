"""Response files exported from Google Forms or Microsoft Forms, mapped onto a survey.

Such a file has the question wording as its headings, a time column (タイムスタンプ, Timestamp,
開始時刻 …), the answers' labels instead of their codes, and the boxes ticked in a checkbox
question joined by ", " (Google) or ";" (Microsoft). Importing it takes a mapping step:

1. ``read_form_file`` reads the file (CSV under the rules of ``core.tabular``, or an XLSX as
   Microsoft Forms downloads it);
2. ``suggest_mapping`` proposes, for each column, a question and for each answer label a choice
   code: the mapping saved for the survey's template and organiser first (``ResponseMapping``),
   then headings and labels that match the survey's wording once NFKC-normalised;
3. the coordinator confirms or corrects it on a page;
4. ``import_form_file`` saves the confirmed mapping for next year's survey and writes the file
   out in the DESIGN 5.2 format, which ``surveys.exchange.import_responses`` imports whole or
   not at all. Row numbers in its errors are the original file's.

A row's ``response_id`` is a digest of the row itself, so importing the same file again changes
nothing.
"""

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from core.tabular.reading import FileRefused, fold, read_csv, xlsx_rows
from surveys.exchange import CATEGORIES_SUFFIX, FIXED, import_responses
from surveys.models import LIKERT_LABELS, LIKERT_VALUES, Question, ResponseMapping
from surveys.responses import load_questions

# Headings of the time a respondent answered (Google Forms, Microsoft Forms, in both languages).
TIME_HEADINGS = (
    "タイムスタンプ",
    "timestamp",
    "完了時刻",
    "completiontime",
    "開始時刻",
    "starttime",
)
# Columns a form tool adds that are not answers: never suggested as a question.
TOOL_HEADINGS = {
    "id",
    "メール",
    "メールアドレス",
    "email",
    "emailaddress",
    "名前",
    "name",
    "最終変更時刻",
    "lastmodifiedtime",
    "合計点数",
    "totalpoints",
    "score",
}
SKIP = ""  # the mapping of a column that is not imported
TIME = "__time__"  # the saved mapping's mark of the time column


def normalised(text):
    """How headings and labels are compared: NFKC, no spaces, case-folded, no trailing ※/*."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"[\s*※]+", "", text).casefold()


@dataclass
class FormFile:
    headings: list
    rows: list  # (row_number, {heading: cell})


@dataclass
class Mapping:
    time_column: str = ""
    columns: dict = field(default_factory=dict)  # heading → question code or SKIP
    labels: dict = field(default_factory=dict)  # question code → {label: choice code or ""}


def read_form_file(data, *, filename=""):
    """The file's headings and rows. Raises ``FileRefused`` with a reason for the user."""
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        data = _xlsx_as_csv(data)
    table = read_csv(data)
    if not table.rows:
        raise FileRefused(_("The file has a header but no data rows."))
    return FormFile(headings=[h for h in table.header if h], rows=table.rows)


def _xlsx_as_csv(data):
    """The first sheet as CSV bytes, once ``core.tabular.xlsx_rows`` has checked that the
    workbook does not expand out of proportion (a zip bomb) and read it."""
    out = io.StringIO()
    csv.writer(out).writerows(xlsx_rows(data))
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Suggesting a mapping


def mapping_key(survey):
    return survey.template or survey.slug


def saved_mapping(survey):
    return ResponseMapping.objects.filter(
        key=mapping_key(survey), corporation=survey.corporation
    ).first()


def _question_names(question):
    names = {
        question.code,
        question.text_ja,
        question.text_en,
        question.short_ja,
        question.short_en,
    }
    return {normalised(n) for n in names if n}


def _match_question(heading, questions):
    key = normalised(heading)
    # A grid question's rows come out as "wording [row label]": the row label names the item.
    bracket = re.search(r"[\[［]([^\]］]+)[\]］]\s*$", heading)
    candidates = [key] + ([normalised(bracket.group(1))] if bracket else [])
    for candidate in candidates:
        for q in questions:
            if candidate in _question_names(q):
                return q.code
    for q in questions:  # a heading that starts with the full wording (a note added after it)
        if normalised(q.text_ja) and key.startswith(normalised(q.text_ja)):
            return q.code
    return SKIP


def option_labels(question):
    """{normalised label: code} of the answers a question takes (likert: "1".."7")."""
    if question.type == Question.Type.LIKERT:
        found = {}
        for value in LIKERT_VALUES:
            label = LIKERT_LABELS[value]
            found[normalised(value)] = str(value)
            for text in {str(label), _likert_in("ja", label), _likert_in("en", label)}:
                found[normalised(text)] = str(value)
                found[normalised(f"{value}{text}")] = str(value)
                found[normalised(f"{value}:{text}")] = str(value)
        return found
    found = {}
    for choice in question.choices.all():
        for text in (choice.code, choice.label_ja, choice.label_en):
            if text:
                found[normalised(text)] = choice.code
    return found


def _likert_in(language, label):
    from django.utils import translation

    with translation.override(language):
        return str(label)


def split_answer(cell, labels):
    """The labels ticked in a checkbox cell: the whole cell when it is one known label, else the
    parts between ";" (Microsoft Forms) or ", " (Google Forms)."""
    cell = cell.strip()
    if not cell:
        return []
    if normalised(cell) in labels:
        return [cell]
    separator = ";" if ";" in cell else ", " if ", " in cell else "、" if "、" in cell else None
    parts = cell.split(separator) if separator else [cell]
    return [p.strip() for p in parts if p.strip()]


def suggest_mapping(survey, form_file):
    """A ``Mapping`` for ``form_file``: the saved mapping where it knows a heading or label, an
    NFKC match on the survey's wording otherwise."""
    questions = load_questions(survey)
    by_code = {q.code: q for q in questions}
    saved = saved_mapping(survey)
    saved_columns = {normalised(k): v for k, v in (saved.columns if saved else {}).items()}
    mapping = Mapping()
    for heading in form_file.headings:
        key = normalised(heading)
        is_time = saved_columns.get(key) == TIME or (
            key not in saved_columns and key in {normalised(h) for h in TIME_HEADINGS}
        )
        if not mapping.time_column and is_time:
            mapping.time_column = heading
            continue
        if key in saved_columns and (saved_columns[key] in by_code or saved_columns[key] == SKIP):
            mapping.columns[heading] = saved_columns[key]
        elif key in TOOL_HEADINGS:
            mapping.columns[heading] = SKIP
        else:
            mapping.columns[heading] = _match_question(heading, questions)
    mapping.labels = suggest_labels(survey, form_file, mapping.columns)
    return mapping


def suggest_labels(survey, form_file, columns):
    """{question code: {label as written: choice code, or "" when nothing matches}} of the
    labels found in the columns mapped (``columns``: heading → question code) to a choice or
    likert question: the saved mapping's choice first, then an NFKC match on the survey's."""
    by_code = {q.code: q for q in load_questions(survey)}
    saved = saved_mapping(survey)
    saved_labels = saved.labels if saved else {}
    labels_of = {}
    for heading, code in columns.items():
        question = by_code.get(code)
        if question is None or question.type == Question.Type.TEXT:
            continue
        known = option_labels(question)
        remembered = {normalised(k): v for k, v in saved_labels.get(code, {}).items()}
        labels = labels_of.setdefault(code, {})
        for _row_number, row in form_file.rows:
            for label in split_answer(row.get(heading, ""), known):
                key = normalised(label)
                labels.setdefault(label, remembered.get(key) or known.get(key, ""))
    return labels_of


# ---------------------------------------------------------------------------------------------
# Applying a confirmed mapping


def _time_cell(text):
    """A form tool's time as ``core.tabular.parse_datetime`` reads it (M/D/YYYY made ISO)."""
    text = fold(text)
    match = re.match(r"(\d{1,2})/(\d{1,2})/(\d{2,4})(.*)", text)
    if match:
        month, day, year, rest = match.groups()
        year = f"20{year}" if len(year) == 2 else year
        return f"{year}-{int(month):02d}-{int(day):02d}{rest}"
    return text


def as_responses_csv(survey, form_file, mapping):
    """The file in the DESIGN 5.2 format (UTF-8 CSV), one row per row of the file, in order.
    A label left unmapped stays as written, so the import names the row and the cell."""
    questions = load_questions(survey)
    header = [*FIXED]
    for q in questions:
        header.append(q.code)
        if q.type == Question.Type.TEXT:
            header.append(q.code + CATEGORIES_SUFFIX)
    columns_of = {}
    for heading, code in mapping.columns.items():
        if code:
            columns_of.setdefault(code, []).append(heading)
    by_code = {q.code: q for q in questions}
    known_of = {
        code: option_labels(by_code[code]) if by_code[code].type != Question.Type.TEXT else {}
        for code in columns_of
    }
    labels_of = {
        code: {normalised(k): v for k, v in mapping.labels.get(code, {}).items()}
        for code in columns_of
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for _row_number, row in form_file.rows:
        cells = {}
        for code, headings in columns_of.items():
            q = by_code[code]
            raw = [row.get(h, "") for h in headings]
            cells[code] = _answer_cell(q, raw, labels_of[code], known_of[code])
        digest = hashlib.sha256(
            "\x1f".join(
                [row.get(mapping.time_column, "")] + [row.get(h, "") for h in form_file.headings]
            ).encode()
        ).hexdigest()[:20]
        writer.writerow(
            [f"form-{digest}", _time_cell(row.get(mapping.time_column, ""))]
            + [cells.get(name, "") for name in header[2:]]
        )
    return out.getvalue().encode("utf-8")


def _answer_cell(question, raw, labels, known):
    """The 5.2 cell of one question from the file's cells (``labels``: the confirmed
    {normalised label: code}; ``known``: ``option_labels`` of the question)."""

    def code_of(label):
        return labels.get(normalised(label)) or label

    texts = [r for r in raw if r.strip()]
    if question.type == Question.Type.TEXT:
        return "\n".join(texts)
    if question.type == Question.Type.MULTI:
        codes = [code_of(label) for r in texts for label in split_answer(r, known | labels)]
        return ";".join(dict.fromkeys(codes))
    return code_of(texts[0]) if texts else ""


def save_mapping(survey, mapping):
    """Keep the confirmed mapping for the survey's template and organiser (next year's copy)."""
    ResponseMapping.objects.update_or_create(
        key=mapping_key(survey),
        corporation=survey.corporation,
        defaults={
            "columns": {mapping.time_column: TIME, **mapping.columns}
            if mapping.time_column
            else dict(mapping.columns),
            "labels": mapping.labels,
        },
    )


def import_form_file(survey, form_file, mapping, *, actor, filename="", dry_run=False):
    """Save ``mapping`` and import the mapped file whole or not at all (``import_responses``)."""
    if not dry_run:
        save_mapping(survey, mapping)
    mapped = as_responses_csv(survey, form_file, mapping)
    result = import_responses(survey, mapped, actor=actor, filename=filename, dry_run=dry_run)
    # Name the rows and columns as the coordinator's file has them.
    rows = dict(
        zip(
            [n for n, _row in read_csv(mapped).rows],
            [n for n, _row in form_file.rows],
            strict=True,
        )
    )
    label_of = {"submitted_at": mapping.time_column}
    for heading, code in mapping.columns.items():
        if code:
            label_of.setdefault(code, heading)
    result.errors = [
        replace(error, row=rows.get(error.row, error.row), label=label_of.get(error.column, ""))
        for error in result.errors
    ]
    return result
