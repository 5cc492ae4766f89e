"""Survey aggregation (DESIGN 5.4): the one place every survey figure is computed.

The counting runs in the database (grouped counts over answer rows); this module only turns the
counts into the report's shape. Percentages go through ``core.numbers`` and nowhere else; their
denominators are the valid answers of each question, never all respondents:

- likert: n valid answers, counts and percent for 1..7, the mode (every value tied for the
  highest count), the top-box share (5, 6 or 7) and the mean to two decimals;
- single: n answers, counts and percent per choice;
- multi: n respondents who chose at least one choice, the number of mentions, counts, percent of
  respondents and percent of mentions;
- text: n non-blank descriptions, how many are coded, and per category the number of
  descriptions carrying it (by any coder) as a share of n. A description may carry several
  categories, so the shares can sum past 100%.

Every choice and category appears, zeros included.
"""

from collections import defaultdict
from fractions import Fraction

from django.core.cache import cache
from django.db.models import Count, Q

from core import audit
from core.models import AuditAction
from core.numbers import as_json_number, percent, round_half_up
from surveys.models import (
    LIKERT_VALUES,
    MIN_REFERENCE_RESPONSES,
    TOP_BOX_VALUES,
    Answer,
    AnswerChoice,
    Coding,
    NationalReference,
    Question,
    Survey,
)

TEMPLATE = "retention-challenges"


def counted_answers():
    """Answers that count: those of responses not voided (surveys/protection.py)."""
    return Answer.objects.filter(response__voided_at__isnull=True)


def _pct(part, whole):
    return as_json_number(percent(part, whole))


def likert_summary(counts):
    """The likert block from ``{value: count}`` (values 1..7; missing values count zero)."""
    counts = {v: counts.get(v, 0) for v in LIKERT_VALUES}
    n = sum(counts.values())
    top = max(counts.values()) if n else 0
    total = sum(v * k for v, k in counts.items())
    return {
        "type": "likert",
        "n": n,
        "counts": {str(v): counts[v] for v in LIKERT_VALUES},
        "percent": {str(v): _pct(counts[v], n) for v in LIKERT_VALUES},
        "mode": [v for v in LIKERT_VALUES if n and counts[v] == top],
        "top_box_percent": _pct(sum(counts[v] for v in TOP_BOX_VALUES), n),
        "mean": as_json_number(round_half_up(Fraction(total, n), 2)) if n else None,
    }


def single_summary(codes, counts):
    n = sum(counts.get(c, 0) for c in codes)
    return {
        "type": "single",
        "n": n,
        "counts": {c: counts.get(c, 0) for c in codes},
        "percent": {c: _pct(counts.get(c, 0), n) for c in codes},
    }


def multi_summary(codes, counts, respondents):
    mentions = sum(counts.get(c, 0) for c in codes)
    return {
        "type": "multi",
        "n": respondents,
        "mentions": mentions,
        "counts": {c: counts.get(c, 0) for c in codes},
        "percent_of_respondents": {c: _pct(counts.get(c, 0), respondents) for c in codes},
        "percent_of_mentions": {c: _pct(counts.get(c, 0), mentions) for c in codes},
    }


def text_summary(codes, counts, n, coded):
    return {
        "type": "text",
        "n": n,
        "coded": coded,
        "counts": {c: counts.get(c, 0) for c in codes},
        "percent": {c: _pct(counts.get(c, 0), n) for c in codes},
    }


def _nonblank_text():
    return ~Q(text="")


def _question_reports(questions, survey):
    """Reports of ``questions`` of ``survey`` over its counted answers."""
    questions = list(questions)
    return assemble_question_reports(questions, _answer_counts(survey=survey, questions=questions))


def _counted(prefix, *, survey, question_ids):
    """Counted answers of ``survey``'s ``question_ids``, reached through ``prefix`` (``""`` on
    answers, ``"answer__"`` on selections and codings): one join, no subquery over the answers."""
    return Q(
        **{
            f"{prefix}response__survey": survey,
            f"{prefix}response__voided_at__isnull": True,
            f"{prefix}question_id__in": question_ids,
        }
    )


def _answer_counts(*, survey, questions):
    """The grouped counts every question type needs, over the counted answers of ``survey``'s
    ``question_ids``: {"likert": {question pk: {value: n}}, "single"/"multi": {question pk:
    {choice code: n}}, "multi_n": {question pk: respondents}, "text_n": {question pk: (n,
    coded)}, "text": {question pk: {category code: descriptions}}}.

    Five grouped queries, each reading the rows it counts once (the multi-choice respondents
    are counted in the pass over the choice answers, the mentions in the one over the
    selections)."""
    question_ids = [q.pk for q in questions]
    multi_ids = [q.pk for q in questions if q.type == Question.Type.MULTI]
    answers = Answer.objects.filter(_counted("", survey=survey, question_ids=question_ids))
    likert = defaultdict(dict)
    for question_id, value, k in (
        answers.filter(likert__isnull=False)
        .order_by()
        .values_list("question_id", "likert")
        .annotate(k=Count("id"))
    ):
        likert[question_id][value] = k

    # One pass over the choice answers: a single choice counts under its code; a multi-choice
    # answer (stored only with at least one selection: surveys.responses.write_many_answers)
    # counts its respondent.
    single = defaultdict(dict)
    multi_n = {}
    for question_id, code, k in (
        answers.filter(Q(choice__isnull=False) | Q(question_id__in=multi_ids))
        .order_by()
        .values_list("question_id", "choice__code")
        .annotate(k=Count("id"))
    ):
        if code is None:
            multi_n[question_id] = k
        else:
            single[question_id][code] = k

    multi = defaultdict(dict)
    for question_id, code, k in (
        AnswerChoice.objects.filter(_counted("answer__", survey=survey, question_ids=multi_ids))
        .order_by()
        .values_list("answer__question_id", "choice__code")
        .annotate(k=Count("id"))
    ):
        multi[question_id][code] = k

    text_n = {
        question_id: (n, coded)
        for question_id, n, coded in answers.filter(_nonblank_text())
        .order_by()
        .values_list("question_id")
        .annotate(
            n=Count("id", distinct=True),
            coded=Count("id", distinct=True, filter=Q(codings__isnull=False)),
        )
    }
    text = defaultdict(dict)
    for question_id, code, k in (
        Coding.objects.filter(_counted("answer__", survey=survey, question_ids=question_ids))
        .exclude(answer__text="")
        .order_by()
        .values_list("answer__question_id", "category__code")
        .annotate(k=Count("answer", distinct=True))
    ):
        text[question_id][code] = k

    return {
        "likert": likert,
        "single": single,
        "multi": multi,
        "multi_n": multi_n,
        "text_n": text_n,
        "text": text,
    }


def assemble_question_reports(questions, counts):
    """{question code: block} from ``_answer_counts`` (plain dicts; hand-written SQL can give
    them too)."""
    likert, single, multi = counts["likert"], counts["single"], counts["multi"]
    multi_n, text_n, text = counts["multi_n"], counts["text_n"], counts["text"]
    reports = {}
    for q in questions:
        if q.type == Question.Type.LIKERT:
            reports[q.code] = likert_summary(likert.get(q.pk, {}))
        elif q.type == Question.Type.SINGLE:
            reports[q.code] = single_summary(
                [c.code for c in q.choices.all()], single.get(q.pk, {})
            )
        elif q.type == Question.Type.MULTI:
            reports[q.code] = multi_summary(
                [c.code for c in q.choices.all()], multi.get(q.pk, {}), multi_n.get(q.pk, 0)
            )
        else:
            n, coded = text_n.get(q.pk, (0, 0))
            reports[q.code] = text_summary(
                [c.code for c in q.categories.all()], text.get(q.pk, {}), n, coded
            )
    return reports


def report_key(survey):
    """The cache key of ``survey``'s report: its ``answers_version``, which every change of the
    report's inputs bumps (``surveys.services.report_inputs_changed``: a submission, an import,
    a void, a coding, a new category, an edit of the survey), read from the database so that a
    survey object loaded before a change never finds the report of before."""
    version = Survey.objects.filter(pk=survey.pk).values_list("answers_version", flat=True).get()
    return f"surveys:report:{survey.pk}:{version}"


def survey_report(survey):
    """The DESIGN 5.4 document for ``survey``, cached per ``report_key``."""
    key = report_key(survey)
    report = cache.get(key)
    if report is None:
        report = compute_survey_report(survey)
        cache.set(key, report, timeout=None)
    return report


def compute_survey_report(survey):
    """The report computed from the answers, uncached (the benchmark times this)."""
    questions = survey.questions.prefetch_related("choices", "categories").order_by("order", "pk")
    return {
        "survey": survey.slug,
        "respondents": survey.responses.filter(voided_at__isnull=True).count(),
        "questions": _question_reports(questions, survey),
    }


def top_box_ranking(report, survey):
    """Likert questions ranked by top-box share (then mean), highest first."""
    rows = []
    for q in survey.questions.filter(type=Question.Type.LIKERT).order_by("order"):
        block = report["questions"][q.code]
        rows.append({"question": q, **block})
    rows.sort(key=lambda r: (-r["top_box_percent"], -(r["mean"] or 0), r["question"].order))
    return rows


def crosstab(survey, *, item_code, by_code):
    """A likert item broken down by each choice of a single- or multi-choice attribute.

    One row per choice of the attribute (respondents who chose it), plus a total row; each row is
    a likert block over those respondents' answers to the item.
    """
    item = survey.questions.get(code=item_code, type=Question.Type.LIKERT)
    attribute = survey.questions.get(
        code=by_code, type__in=[Question.Type.SINGLE, Question.Type.MULTI]
    )
    rows = []
    for choice in attribute.choices.all():
        if attribute.type == Question.Type.SINGLE:
            responses = counted_answers().filter(question=attribute, choice=choice)
        else:
            responses = counted_answers().filter(question=attribute, selected__choice=choice)
        counts = dict(
            counted_answers()
            .filter(question=item, likert__isnull=False, response__in=responses.values("response"))
            .values_list("likert")
            .annotate(k=Count("id"))
        )
        rows.append({"choice": choice, **likert_summary(counts)})
    total = dict(
        counted_answers()
        .filter(question=item, likert__isnull=False)
        .values_list("likert")
        .annotate(k=Count("id"))
    )
    return {"item": item, "by": attribute, "rows": rows, "total": likert_summary(total)}


def compare_years(current, previous):
    """Per question present in both surveys (same code and type): the two blocks side by side.

    Differences are of the rounded figures shown, in percentage points.
    """
    now = survey_report(current)["questions"]
    then = survey_report(previous)["questions"]
    rows = []
    for q in current.questions.order_by("order"):
        old = then.get(q.code)
        if old is None or old["type"] != q.type or q.type == Question.Type.TEXT:
            continue
        new = now[q.code]
        if not old["n"]:
            # Nobody answered it then: there is nothing to compare with, not a rise from zero.
            old = _unanswered(old)
        if not new["n"]:
            new = _unanswered(new)
        if q.type == Question.Type.LIKERT:
            lines = [("top_box", new["top_box_percent"], old["top_box_percent"])]
            lines.append(("mean", new["mean"], old["mean"]))
        else:
            key = "percent" if q.type == Question.Type.SINGLE else "percent_of_respondents"
            labels = {c.code: c.label for c in q.choices.all()}
            lines = [
                (labels.get(code, code), value, old[key].get(code))
                for code, value in new[key].items()
            ]
        rows.append(
            {
                "question": q,
                "n": new["n"],
                "previous_n": old["n"],
                "lines": [
                    {
                        "label": label,
                        "current": value,
                        "previous": before,
                        "change": _difference(value, before),
                    }
                    for label, value, before in lines
                ],
            }
        )
    return rows


def _unanswered(block):
    """A block whose figures are all None: no answers give no percentages to compare."""
    keys = ("percent", "percent_of_respondents")
    return {
        **block,
        "top_box_percent": None,
        "mean": None,
        **{key: dict.fromkeys(block[key]) for key in keys if key in block},
    }


def _difference(current, previous):
    if current is None or previous is None:
        return None
    from decimal import Decimal

    return as_json_number(Decimal(str(current)) - Decimal(str(previous)))


def reference_candidates():
    """Surveys a coordinator may choose as the national reference: installation-wide
    ``retention-challenges`` surveys whose report is published, with at least
    ``MIN_REFERENCE_RESPONSES`` responses."""
    return (
        Survey.objects.filter(template=TEMPLATE, corporation__isnull=True, report_published=True)
        .annotate(n_responses=Count("responses", distinct=True))
        .filter(n_responses__gte=MIN_REFERENCE_RESPONSES)
        .order_by("-year", "slug")
    )


def national_reference_survey():
    """The survey a coordinator chose as the national reference, or None.

    Nothing but ``choose_national_reference`` changes it: closing or publishing another survey
    leaves the comparison on the contact statistics page as it was.
    """
    reference = NationalReference.objects.select_related("survey").first()
    return reference.survey if reference else None


def choose_national_reference(*, survey, user):
    """Make ``survey`` the national reference (``None`` clears it). Raises ValueError when the
    survey is not one of ``reference_candidates``."""
    if survey is None:
        NationalReference.objects.all().delete()
        return None
    if not reference_candidates().filter(pk=survey.pk).exists():
        raise ValueError(survey.slug)
    reference = NationalReference.objects.first() or NationalReference()
    reference.survey, reference.chosen_by = survey, user
    reference.save()
    return reference


def national_method_mix(survey):
    """{contact method code: percent of mentions} of ``survey`` (the national reference).

    None when nobody answered the question. Shares of mentions, as Table 13 of the paper gives
    them: they sum to 100% and compare with an office's share of contacts by method.
    """
    # The mix changes only with the survey's answers: cached per survey and answers version
    # (bumped by every submission and import), so a statistics page reads no answers at all.
    key = f"surveys:national-method-mix:{survey.pk}:{survey.answers_version}"
    found = cache.get(key)
    if found is None:
        found = {"mix": _method_mix_of(survey)}
        cache.set(key, found, timeout=None)
    return found["mix"]


def _method_mix_of(survey):
    question = survey.questions.filter(code="status_methods", type=Question.Type.MULTI).first()
    if question is None:
        return None
    block = _question_reports(
        Question.objects.filter(pk=question.pk).prefetch_related("choices"), survey
    )[question.code]
    if not block["n"]:
        return None
    return dict(block["percent_of_mentions"])


def report_sheets(survey, report):
    """The report as tables for CSV and XLSX: [(title, header, rows)], one flat table first."""
    from django.utils.translation import gettext as _

    from surveys.models import LIKERT_LABELS

    header = [
        _("Question code"), _("question"), _("Question type"), "n", _("Item code"), _("label"),
        _("count"), _("percent"), _("percent of mentions"),
    ]  # fmt: skip
    rows = []
    for q in survey.questions.prefetch_related("choices", "categories").order_by("order", "pk"):
        block = report["questions"][q.code]
        base = [q.code, q.short, q.get_type_display(), block["n"]]
        if q.type == Question.Type.LIKERT:
            for v in LIKERT_VALUES:
                key = str(v)
                rows.append([*base, key, str(LIKERT_LABELS[v]), block["counts"][key],
                             block["percent"][key], ""])  # fmt: skip
            rows.append([*base, "top_box", _("Top box (5-7)"), "", block["top_box_percent"], ""])
            rows.append([*base, "mean", _("Mean"), "", block["mean"], ""])
        elif q.type == Question.Type.SINGLE:
            for c in q.choices.all():
                rows.append([*base, c.code, c.label, block["counts"][c.code],
                             block["percent"][c.code], ""])  # fmt: skip
        elif q.type == Question.Type.MULTI:
            for c in q.choices.all():
                rows.append([*base, c.code, c.label, block["counts"][c.code],
                             block["percent_of_respondents"][c.code],
                             block["percent_of_mentions"][c.code]])  # fmt: skip
        else:
            for c in q.categories.all():
                rows.append([*base, c.code, c.label, block["counts"][c.code],
                             block["percent"][c.code], ""])  # fmt: skip
    ranking = [
        [i, r["question"].code, r["question"].short, r["n"], r["top_box_percent"], r["mean"]]
        for i, r in enumerate(top_box_ranking(report, survey), start=1)
    ]
    return [
        (_("Summary"), header, rows),
        (
            _("Ranking"),
            [_("rank"), _("Question code"), _("question"), "n", _("top box %"), _("mean")],
            ranking,
        ),
    ]


def report_export(survey, *, actor, fmt):
    """The report's tables (``report_sheets``) as ``fmt`` bytes (a key of
    ``core.tabular.CONTENT_TYPES``: the flat table alone in CSV, every sheet in XLSX), recorded
    as an export once written (a refused CP932 file records nothing)."""
    from core import tabular

    body = tabular.table_bytes(report_sheets(survey, survey_report(survey)), fmt=fmt)
    audit.record(actor=actor, action=AuditAction.EXPORT, obj=survey, detail=f"survey report {fmt}")
    return body


def figure_export(survey, *, actor, question, image_format):
    """One chart of the report (``surveys.charts.question_figure``) as SVG or PNG bytes for
    publication, recorded as an export."""
    from surveys import charts

    figure = charts.question_figure(question, survey_report(survey)["questions"][question.code])
    body = charts.figure_svg(figure) if image_format == "svg" else charts.figure_png(figure)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=survey,
        detail=f"survey figure {question.code} {image_format}",
    )
    return body
