"""The downloads of the survey coordinator's lists: the survey list, the cross-tabulation and the
year-over-year comparison (the report's own tables are ``surveys.report.report_export``).

The scheme of ``clients/exports.py``: the rows the page shows, bytes first
(``core.tabular.table_bytes``), then the ``export`` event. These tables hold numbers, not
people: the event is on the survey (the list's names the surveys by slug)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core import audit, tabular
from core.calendar import JST
from core.models import AuditAction
from surveys.models import LIKERT_VALUES

SURVEY_LIST_HEADER = (
    gettext_lazy("Year"),
    gettext_lazy("Title"),
    gettext_lazy("Slug"),
    gettext_lazy("Organiser"),
    gettext_lazy("Status"),
    gettext_lazy("Report published"),
    gettext_lazy("Responses"),
)


def survey_list_rows(surveys):
    for survey in surveys:
        yield (
            survey.year,
            survey.title,
            survey.slug,
            str(survey.organiser_name),
            survey.get_status_display(),
            _("yes") if survey.report_published else "",
            survey.n_responses,
        )


def survey_list_export(*, actor, surveys, fmt, detail=""):
    """The surveys the user coordinates (``surveys``: the page's search, every page, each with
    ``n_responses``) as ``fmt`` bytes, recorded as one export naming them by slug."""
    surveys = list(surveys)
    header = [str(h) for h in SURVEY_LIST_HEADER]
    body = tabular.table_bytes([(_("Surveys"), header, survey_list_rows(surveys))], fmt=fmt)
    slugs = " ".join(s.slug for s in surveys) or "-"
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        detail="; ".join(p for p in (f"survey list {fmt}", detail, f"surveys: {slugs}") if p),
    )
    return body


def _top_box_heading():
    return _("5–7 (%%)") % {}


def crosstab_sheet(table):
    """The cross-tabulation (``surveys.report.crosstab``) as one table: a row per choice of the
    attribute and the total, each with n, the percentage of each value 1–7, 5–7 and the mean."""
    header = [
        table["by"].short,
        "n",
        *(str(v) for v in LIKERT_VALUES),
        _top_box_heading(),
        _("Mean"),
    ]
    lines = [(row["choice"].label, row) for row in table["rows"]]
    lines.append((_("All"), table["total"]))
    rows = [
        (
            label,
            row["n"],
            *(row["percent"][str(v)] for v in LIKERT_VALUES),
            row["top_box_percent"],
            row["mean"],
        )
        for label, row in lines
    ]
    return (_("Cross-tabulation"), header, rows)


def crosstab_export(*, actor, survey, table, fmt):
    """The page's cross-tabulation as ``fmt`` bytes, recorded as an export of the survey."""
    body = tabular.table_bytes([crosstab_sheet(table)], fmt=fmt)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=survey,
        detail=f"survey crosstab {table['item'].code} by {table['by'].code} {fmt}",
    )
    return body


def compare_sheet(survey, other, rows):
    """The year-over-year comparison (``surveys.report.compare_years``) as one table: a row per
    figure of each question, this year's and the other survey's, and the change in points."""
    header = [
        _("Question code"),
        _("Question"),
        _("Item"),
        f"n（{survey.year}）",
        f"n（{other.year}）",
        str(survey.year),
        str(other.year),
        pgettext("year comparison", "Change"),
    ]
    out = []
    for row in rows:
        for line in row["lines"]:
            if line["label"] == "top_box":
                label = _top_box_heading()
            elif line["label"] == "mean":
                label = _("Mean")
            else:
                label = f"{line['label']} (%)"
            out.append(
                (
                    row["question"].code,
                    row["question"].short,
                    label,
                    row["n"],
                    row["previous_n"],
                    line["current"],
                    line["previous"],
                    line["change"],
                )
            )
    return (_("Year-over-year comparison"), header, out)


def compare_export(*, actor, survey, other, rows, fmt):
    """The page's comparison as ``fmt`` bytes, recorded as an export of both surveys."""
    body = tabular.table_bytes([compare_sheet(survey, other, rows)], fmt=fmt)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=survey,
        detail=f"survey comparison with {other.slug} {fmt}",
    )
    return body


INVITATION_HEADER = (
    gettext_lazy("E-mail address"),
    gettext_lazy("Sent"),
    gettext_lazy("Reminders"),
    gettext_lazy("Answered"),
)


def invitation_rows(invitations):
    for invitation in invitations:
        sent = invitation.sent_at
        yield (
            invitation.email,
            f"{sent.astimezone(JST):%Y-%m-%d %H:%M}" if sent else "",
            invitation.reminders,
            _("yes") if invitation.responded else "",
        )


def invitation_list_export(*, actor, survey, invitations, fmt, detail=""):
    """The survey's invitation list (``invitations``: the page's status and search, every page)
    as ``fmt`` bytes, recorded as an export of the survey with the number of addresses (the
    addresses themselves stay out of the audit trail)."""
    invitations = list(invitations)
    header = [str(h) for h in INVITATION_HEADER]
    body = tabular.table_bytes([(_("Invitations"), header, invitation_rows(invitations))], fmt=fmt)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=survey,
        detail="; ".join(
            p for p in (f"survey invitations {fmt}", detail, f"addresses: {len(invitations)}") if p
        ),
    )
    return body
