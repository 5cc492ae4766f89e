"""The aggregate report (coordinators, and office staff once published): the report and its
download, figures, the cross-tabulation and the comparison with another year."""

from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from core import tabular
from core.audit import Actor
from core.params import export_filters, export_format_param
from surveys import access, charts, exports, selectors
from surveys.report import figure_export, report_export, survey_report, top_box_ranking


def report(request, survey_slug):
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    data = survey_report(survey)
    sections = charts.report_sections(survey, data)
    likert, attributes = selectors.likert_and_attributes(survey)
    return render(
        request,
        "surveys/report.html",
        {
            "survey": survey,
            "report": data,
            "sections": sections,
            "ranking": top_box_ranking(data, survey),
            "likert_questions": likert,
            "attributes": attributes,
            "others": selectors.comparable(user=request.user, survey=survey),
            "hide_tabs": not access.may_coordinate(request.user, survey),
        },
    )


def report_download(request, survey_slug):
    """The report's tables as CSV (UTF-8 or CP932) or XLSX (``core.params.export_format_param``)."""
    fmt = export_format_param(request.GET)
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    return tabular.list_download(
        request,
        fmt,
        lambda: report_export(survey, actor=Actor.from_request(request), fmt=fmt),
        back_url=reverse("survey_report", args=[survey.slug]),
        filename_stem=f"{survey.slug}-report",
    )


FIGURE_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def report_figure(request, survey_slug, question_code):
    """One chart of the report as an image for publication: ``?format=svg`` (default) or
    ``png``; anything else is 400."""
    image_format = request.GET.get("format") or "svg"
    if image_format not in FIGURE_TYPES:
        raise BadRequest("unknown figure format")
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    question = get_object_or_404(survey.questions, code=question_code)
    body = figure_export(
        survey, actor=Actor.from_request(request), question=question, image_format=image_format
    )
    response = HttpResponse(body, content_type=FIGURE_TYPES[image_format])
    response["Content-Disposition"] = tabular.content_disposition(
        f"{survey.slug}-{question.code}.{image_format}"
    )
    return response


def _crosstab_of(request, survey):
    return selectors.crosstab_of(
        survey=survey, item_code=request.GET.get("item", ""), by_code=request.GET.get("by", "")
    )


def report_crosstab(request, survey_slug):
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    likert, attributes, item_code, by_code, table = _crosstab_of(request, survey)
    if table is not None:
        for row in [*table["rows"], table["total"]]:
            row["bar"] = charts.likert_bar(row)
    return render(
        request,
        "surveys/crosstab.html",
        {"survey": survey, "likert": likert, "attributes": attributes, "item_code": item_code,
         "by_code": by_code, "table": table,
         "hide_tabs": not access.may_coordinate(request.user, survey)},
    )  # fmt: skip


def report_crosstab_export(request, survey_slug):
    """The cross-tabulation the page shows (``item``, ``by``) as CSV or XLSX; 404 when the
    survey has no likert item or no attribute to break it down by."""
    fmt = export_format_param(request.GET)
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    _likert, _attributes, item_code, by_code, table = _crosstab_of(request, survey)
    if table is None:
        raise Http404
    back = reverse("survey_crosstab", args=[survey.slug])
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.crosstab_export(
            actor=Actor.from_request(request), survey=survey, table=table, fmt=fmt
        ),
        back_url=f"{back}?{export_filters(request.GET)}",
        filename_stem=f"{survey.slug}-crosstab-{item_code}-{by_code}",
    )


def _comparison_of(request, survey):
    return selectors.comparison_of(
        user=request.user, survey=survey, other_slug=request.GET.get("other", "")
    )


def report_compare(request, survey_slug):
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    others, other, rows = _comparison_of(request, survey)
    return render(
        request,
        "surveys/compare.html",
        {
            "survey": survey,
            "other": other,
            "others": others,
            "rows": rows,
            "hide_tabs": not access.may_coordinate(request.user, survey),
        },
    )


def report_compare_export(request, survey_slug):
    """The comparison the page shows as CSV or XLSX; 404 without a survey to compare with."""
    fmt = export_format_param(request.GET)
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    _others, other, rows = _comparison_of(request, survey)
    if other is None:
        raise Http404
    back = reverse("survey_compare", args=[survey.slug])
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.compare_export(
            actor=Actor.from_request(request), survey=survey, other=other, rows=rows, fmt=fmt
        ),
        back_url=f"{back}?{export_filters(request.GET)}",
        filename_stem=f"{survey.slug}-compare-{other.slug}",
    )
