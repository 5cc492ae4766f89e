"""Survey responses as CSV (DESIGN 5.2): ``survey_export`` writes and ``survey_import`` reads it.

One row per respondent: ``response_id``, ``submitted_at``, then one column per question code
(likert 1-7, a choice code, ``;``-separated choice codes, or the text), and for a free-text
question ``X`` an optional ``X__categories`` column of ``;``-separated category codes. Blank
means no answer. Reading goes through ``core.tabular`` (encoding detection, spreadsheet row
numbers, RowError); a file is imported whole or not at all, upserting by ``response_id``.

Export neutralises cells a spreadsheet would run as formulas by prefixing an apostrophe; import
removes that apostrophe again, so export → import round-trips free text such as “-特になし”.
"""

import re
from collections import Counter

from django.utils.translation import gettext as _

from core import audit, tabular
from core.audit import Actor
from core.models import AuditAction
from core.tabular import ImportResult, RowError
from surveys.models import Answer, AnswerChoice, Question, Response
from surveys.responses import category_codes_of, load_questions, write_many_answers

FIXED = ("response_id", "submitted_at")
CATEGORIES_SUFFIX = "__categories"
_RESPONSE_ID = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


def header_of(questions):
    header = list(FIXED)
    for q in questions:
        header.append(q.code)
        if q.type == Question.Type.TEXT:
            header.append(q.code + CATEGORIES_SUFFIX)
    return header


def _cells_of(survey, questions, responses):
    """{response pk: {column: cell text}} for ``responses`` (the export format, unneutralised)."""
    by_id = {q.pk: q for q in questions}
    cells = {r.pk: {} for r in responses}
    answers = Answer.objects.filter(response__in=responses).values(
        "pk", "response_id", "question_id", "likert", "choice__code", "text"
    )
    text_answers = {}
    for a in answers:
        q = by_id[a["question_id"]]
        row = cells[a["response_id"]]
        if q.type == Question.Type.LIKERT and a["likert"] is not None:
            row[q.code] = str(a["likert"])
        elif q.type == Question.Type.SINGLE and a["choice__code"]:
            row[q.code] = a["choice__code"]
        elif q.type == Question.Type.TEXT:
            row[q.code] = a["text"]
            text_answers[a["pk"]] = (row, q.code)
    selected = {}
    for response_id, question_id, code in (
        AnswerChoice.objects.filter(answer__response__in=responses)
        .order_by("choice__order", "choice__pk")
        .values_list("answer__response_id", "answer__question_id", "choice__code")
    ):
        selected.setdefault((response_id, question_id), []).append(code)
    for (response_id, question_id), codes in selected.items():
        cells[response_id][by_id[question_id].code] = ";".join(codes)
    for answer_pk, codes in category_codes_of(list(text_answers)).items():
        row, code = text_answers[answer_pk]
        row[code + CATEGORIES_SUFFIX] = ";".join(codes)
    return cells


def export_table(survey):
    """(header, rows) of every response, oldest first."""
    questions = load_questions(survey)
    header = header_of(questions)
    responses = list(Response.objects.filter(survey=survey).order_by("submitted_at", "pk"))
    cells = _cells_of(survey, questions, responses)
    rows = []
    for r in responses:
        values = cells[r.pk]
        rows.append(
            [r.response_id, r.submitted_at, *(values.get(column, "") for column in header[2:])]
        )
    return header, rows


def export_csv(survey):
    header, rows = export_table(survey)
    return tabular.csv_bytes(header, rows)


def export_responses(survey, *, actor, encoding="utf-8"):
    """The responses CSV, recorded as an export: free text may mention people, so who took the
    raw answers is kept on record. Raises ``ExportEncodingError`` (and records nothing) when
    ``encoding`` cannot write a character."""
    header, rows = export_table(survey)
    body = tabular.csv_bytes(header, rows, encoding=encoding)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=survey,
        detail=f"survey responses {survey.slug}: {len(rows)} rows",
    )
    return body


def _header_rules(questions):
    """What ``core.tabular.check_header`` needs to check a responses file's header."""
    codes = {q.code for q in questions}

    def unknown_reason(name):
        if name.endswith(CATEGORIES_SUFFIX) and name[: -len(CATEGORIES_SUFFIX)] in codes:
            return _("Only a free-text question can have a categories column.")
        return _("Unknown column: not a question code of this survey.")

    return {
        "known": set(header_of(questions)),
        "required": (*FIXED, *(q.code for q in questions)),
        "unknown_reason": unknown_reason,
    }


def _parse_codes(cell, known, what):
    codes = [c.strip() for c in cell.split(";") if c.strip()]
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(
            _("Unknown %(what)s code(s) %(unknown)s. Allowed: %(codes)s")
            % {"what": what, "unknown": ", ".join(unknown), "codes": ", ".join(known)}
        )
    order = list(known)
    return sorted(set(codes), key=order.index)


def _parse_row(row_number, raw, questions):
    """(values, categories, submitted_at, response_id, errors) of one data row."""
    errors = []
    values, categories = {}, {}

    def problem(column, value, reason):
        errors.append(RowError(row_number, column, value, reason))

    if None in raw:
        problem("", ";".join(raw[None]), _("More cells than header columns."))
    response_id = raw.get("response_id", "")
    if not response_id:
        problem("response_id", "", _("A value is required."))
    elif not _RESPONSE_ID.fullmatch(response_id):
        problem(
            "response_id",
            response_id,
            _("Use at most 64 letters, digits, “-”, “_” or “.”."),
        )
    submitted_at = None
    cell = raw.get("submitted_at", "")
    if not cell:
        problem("submitted_at", "", _("A value is required."))
    else:
        try:
            submitted_at = tabular.parse_datetime(cell)
        except ValueError as exc:
            problem("submitted_at", cell, str(exc))
    for q in questions:
        cell = raw.get(q.code, "")
        categories_column = q.code + CATEGORIES_SUFFIX
        category_cell = raw.get(categories_column, "")
        if q.type == Question.Type.TEXT:
            text = tabular.restore_neutralised(cell)
            values[q.code] = text
            if category_cell:
                try:
                    categories[q.code] = _parse_codes(
                        category_cell, list(q.category_by_code), _("category")
                    )
                except ValueError as exc:
                    problem(categories_column, category_cell, str(exc))
                if not text:
                    problem(
                        categories_column,
                        category_cell,
                        _("Categories are given but the description is blank."),
                    )
            continue
        if not cell:
            continue
        try:
            if q.type == Question.Type.LIKERT:
                if not re.fullmatch(r"[+-]?\d+", cell) or not 1 <= int(cell) <= 7:
                    raise ValueError(_("Out of scale: write a whole number from 1 to 7."))
                values[q.code] = int(cell)
            elif q.type == Question.Type.SINGLE:
                if cell not in q.choice_by_code:
                    raise ValueError(
                        _("Unknown choice code. Allowed: %(codes)s")
                        % {"codes": ", ".join(q.choice_by_code)}
                    )
                values[q.code] = cell
            else:
                values[q.code] = _parse_codes(cell, list(q.choice_by_code), _("choice"))
        except ValueError as exc:
            problem(q.code, cell, str(exc))
    return values, categories, submitted_at, response_id, errors


def _as_cells(values, categories, questions):
    cells = {}
    for q in questions:
        value = values.get(q.code)
        if value in (None, "", []):
            continue
        if q.type == Question.Type.MULTI:
            cells[q.code] = ";".join(value)
        else:
            cells[q.code] = str(value).strip() if q.type == Question.Type.TEXT else str(value)
            if q.type == Question.Type.TEXT and categories.get(q.code):
                cells[q.code + CATEGORIES_SUFFIX] = ";".join(categories[q.code])
    return {k: v for k, v in cells.items() if v != ""}


def import_responses(survey, data, *, dry_run=False, actor=None, filename=""):
    """Import a responses CSV (bytes, or a binary file object read as a stream) whole or not at
    all; returns a ``core.tabular.ImportResult``.

    Rows are read, checked and written in batches (``core.tabular.batches``) inside one
    transaction: after the first problem nothing more is written, the rest is still checked.
    The import's audit event (``actor``, default the command line) is written in its
    transaction: a dry run or a refused file leaves none.
    """
    actor = actor or Actor.command()
    result = ImportResult(kind="survey_responses", dry_run=dry_run)
    questions = load_questions(survey)
    stream = tabular.open_checked(data, result, **_header_rules(questions))
    if stream is None:
        return result
    seen = {}
    with tabular.whole_or_nothing(result, actor=actor, filename=filename, obj=survey):
        for batch in tabular.batches(stream, result):
            parsed, errors = [], []
            for row_number, raw in batch:
                values, categories, submitted_at, response_id, row_errors = _parse_row(
                    row_number, raw, questions
                )
                errors.extend(row_errors)
                if response_id:
                    errors.extend(
                        tabular.duplicate_key_errors(
                            [(row_number, (response_id,))], seen, "response_id"
                        )
                    )
                parsed.append((response_id, submitted_at, values, categories))
            result.add_errors(errors)
            if not result.errors:
                result.count(_write_batch(survey, questions, parsed))
    return result


def _write_batch(survey, questions, parsed):
    """Upsert a batch of parsed rows by ``response_id`` in a few statements; the outcomes."""
    outcomes = Counter()
    existing = {
        r.response_id: r
        for r in Response.objects.filter(survey=survey, response_id__in=[p[0] for p in parsed])
    }
    existing_cells = _cells_of(survey, questions, list(existing.values()))
    new, replaced, items = [], [], []
    for response_id, submitted_at, values, categories in parsed:
        response = existing.get(response_id)
        if response is None:
            response = Response(survey=survey, response_id=response_id, submitted_at=submitted_at)
            new.append(response)
        elif (
            existing_cells[response.pk] == _as_cells(values, categories, questions)
            and response.submitted_at == submitted_at
        ):
            outcomes["unchanged"] += 1
            continue
        else:
            response.submitted_at = submitted_at
            replaced.append(response)
        items.append((response, values, categories))
    Response.objects.bulk_create(new)
    if replaced:
        Answer.objects.filter(response__in=replaced).delete()
        Response.objects.bulk_update(replaced, ["submitted_at"])
    write_many_answers(items, questions=questions, stage=True)
    outcomes["created"] += len(new)
    outcomes["updated"] += len(replaced)
    return outcomes
