"""Presentation of the report: rows and chart geometry for the templates (inline SVG, no JS).

Numbers come from ``surveys.report`` already rounded; this module only lays them out.
"""

from surveys.models import LIKERT_LABELS, LIKERT_VALUES, Question

# A diverging palette: blue (not a challenge) through grey (neither) to red (a challenge).
LIKERT_COLOURS = {
    1: "#2166ac",
    2: "#67a9cf",
    3: "#d1e5f0",
    4: "#bdbdbd",
    5: "#fddbc7",
    6: "#ef8a62",
    7: "#b2182b",
}


def likert_bar(block):
    """Segments of a 100-wide stacked bar, one per value with a non-zero share."""
    segments, x = [], 0.0
    for value in LIKERT_VALUES:
        share = block["percent"][str(value)]
        if share:
            segments.append(
                {"value": value, "x": round(x, 3), "width": share,
                 "colour": LIKERT_COLOURS[value], "label": LIKERT_LABELS[value]}
            )  # fmt: skip
        x += share
    return segments


def report_sections(survey, report):
    """One entry per question: its figure label, type, table rows and bar geometry."""
    sections = []
    questions = survey.questions.prefetch_related("choices", "categories").order_by("order", "pk")
    for q in questions:
        block = report["questions"][q.code]
        entry = {"question": q, "block": block, "type": q.type}
        if q.type == Question.Type.LIKERT:
            entry["bar"] = likert_bar(block)
            entry["rows"] = [
                {"code": str(v), "label": LIKERT_LABELS[v], "count": block["counts"][str(v)],
                 "percent": block["percent"][str(v)], "colour": LIKERT_COLOURS[v],
                 "is_mode": v in block["mode"]}
                for v in LIKERT_VALUES
            ]  # fmt: skip
        elif q.type == Question.Type.SINGLE:
            entry["rows"] = [
                {"code": c.code, "label": c.label, "count": block["counts"][c.code],
                 "percent": block["percent"][c.code]}
                for c in q.choices.all()
            ]  # fmt: skip
        elif q.type == Question.Type.MULTI:
            entry["rows"] = [
                {"code": c.code, "label": c.label, "count": block["counts"][c.code],
                 "percent": block["percent_of_respondents"][c.code],
                 "percent_of_mentions": block["percent_of_mentions"][c.code]}
                for c in q.choices.all()
            ]  # fmt: skip
        else:
            entry["rows"] = [
                {"code": c.code, "label": c.label, "count": block["counts"][c.code],
                 "percent": block["percent"][c.code]}
                for c in q.categories.all()
            ]  # fmt: skip
        sections.append(entry)
    return sections
