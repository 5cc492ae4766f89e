"""Presentation of the report: rows and chart geometry for the templates (inline SVG, no JS).

Numbers come from ``surveys.report`` already rounded; this module only lays them out.

The figures for publication (one per question) have one layout, ``question_figure``: boxes and
texts in pixel coordinates. ``figure_svg`` writes it through ``surveys/figure.svg`` (a
standalone SVG); ``figure_png`` draws the very same boxes and texts with matplotlib in
IPAexGothic (the font the PDFs embed, ``core.pdf.japanese_font_path``), so Japanese renders
without tofu and no system library is needed. A Likert figure's bar is ``likert_bar``, the
geometry of the report page's inline bar, scaled.
"""

import io
import unicodedata

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

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
    questions = survey.questions.prefetch_related("choices", "categories").order_by("order", "pk")
    return [section_of(q, report["questions"][q.code]) for q in questions]


def section_of(q, block):
    """A question's entry of the report: its table rows and, for a Likert item, its bar."""
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
    return entry


# ---------------------------------------------------------------------------------------------
# Figures for publication: one layout, drawn as SVG and as PNG

FIGURE_WIDTH = 720
FIGURE_MARGIN = 20
TITLE_Y = 28
SUBTITLE_Y = 50
BODY_TOP = 66
LIKERT_BAR_HEIGHT = 40
LEGEND_ROW = 22
BAR_ROW = 28
BAR_HEIGHT = 18
LABEL_WIDTH = 280  # the label column of a choice chart, in pixels
LABEL_MAX_COLUMNS = 38  # half-width columns a label may take before it is cut with "…"
BAR_COLOUR = "#4e79a7"
TEXT_COLOUR = "#212529"
MUTED_COLOUR = "#6c757d"
FONT_SIZE = 13
TITLE_SIZE = 16
SMALL_SIZE = 12


def _columns(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text, limit=LABEL_MAX_COLUMNS):
    """``text`` cut to ``limit`` half-width columns (a full-width character takes two)."""
    text = str(text)
    if _columns(text) <= limit:
        return text
    out = ""
    for ch in text:
        if _columns(out + ch) > limit - 2:
            return out + "…"
        out += ch
    return out


def _text(x, y, text, *, size=FONT_SIZE, anchor="start", colour=TEXT_COLOUR, bold=False):
    return {"x": x, "y": y, "text": str(text), "size": size, "anchor": anchor,
            "colour": colour, "bold": bold}  # fmt: skip


def question_figure(question, block):
    """The layout of one question's chart: {"width", "height", "title", "boxes": [{x, y, width,
    height, colour}], "texts": [{x, y, text, size, anchor, colour, bold}]} in pixels, y down.

    A Likert item is a 100% stacked bar with its legend; a choice or a free-text question is a
    horizontal bar per choice or category (percent of respondents for multiple choice)."""
    section = section_of(question, block)
    title = " ".join(part for part in (question.figure, question.short) if part)
    texts = [_text(FIGURE_MARGIN, TITLE_Y, _fit(title, 90), size=TITLE_SIZE, bold=True)]
    boxes = []
    inner = FIGURE_WIDTH - 2 * FIGURE_MARGIN
    if question.type == Question.Type.LIKERT:
        subtitle = _("n = %(n)s · mean %(mean)s · 5–7: %(top)s%%") % {
            "n": block["n"], "mean": block["mean"] if block["mean"] is not None else "—",
            "top": block["top_box_percent"]}  # fmt: skip
        texts.append(_text(FIGURE_MARGIN, SUBTITLE_Y, subtitle, size=SMALL_SIZE,
                           colour=MUTED_COLOUR))  # fmt: skip
        scale = inner / 100
        for segment in section["bar"]:
            x = FIGURE_MARGIN + float(segment["x"]) * scale
            width = float(segment["width"]) * scale
            boxes.append({"x": round(x, 2), "y": BODY_TOP, "width": round(width, 2),
                          "height": LIKERT_BAR_HEIGHT, "colour": segment["colour"]})  # fmt: skip
            if segment["width"] >= 6:
                dark = segment["value"] in (1, 7)
                texts.append(_text(round(x + width / 2, 2), BODY_TOP + 26,
                                   f"{segment['width']}%", size=SMALL_SIZE, anchor="middle",
                                   colour="#ffffff" if dark else TEXT_COLOUR))  # fmt: skip
        top = BODY_TOP + LIKERT_BAR_HEIGHT + 18
        half = inner / 2
        for index, row in enumerate(section["rows"]):
            column, line = divmod(index, 4)
            x = FIGURE_MARGIN + column * half
            y = top + line * LEGEND_ROW
            boxes.append({"x": x, "y": y, "width": 14, "height": 14, "colour": row["colour"]})
            texts.append(_text(x + 20, y + 12, _fit(f"{row['code']} {row['label']}", 44),
                               size=SMALL_SIZE))  # fmt: skip
        height = top + 4 * LEGEND_ROW + 8
    else:
        if question.type == Question.Type.MULTI:
            subtitle = _("n = %(n)s respondents, %(mentions)s mentions (multiple answers)") % {
                "n": block["n"], "mentions": block["mentions"]}  # fmt: skip
        else:
            subtitle = f"n = {block['n']}"
        texts.append(_text(FIGURE_MARGIN, SUBTITLE_Y, subtitle, size=SMALL_SIZE,
                           colour=MUTED_COLOUR))  # fmt: skip
        bar_left = FIGURE_MARGIN + LABEL_WIDTH + 10
        bar_span = FIGURE_WIDTH - bar_left - FIGURE_MARGIN - 80  # room for "100.0% (123)"
        for index, row in enumerate(section["rows"]):
            y = BODY_TOP + index * BAR_ROW
            texts.append(_text(FIGURE_MARGIN + LABEL_WIDTH, y + 14, _fit(row["label"]),
                               anchor="end"))  # fmt: skip
            width = round(float(row["percent"]) * bar_span / 100, 2)
            boxes.append({"x": bar_left, "y": y + 1, "width": width, "height": BAR_HEIGHT,
                          "colour": BAR_COLOUR})  # fmt: skip
            texts.append(_text(round(bar_left + width + 6, 2), y + 14,
                               f"{row['percent']}% ({row['count']})", size=SMALL_SIZE))  # fmt: skip
        height = BODY_TOP + len(section["rows"]) * BAR_ROW + 12
    return {"width": FIGURE_WIDTH, "height": height, "title": title, "boxes": boxes,
            "texts": texts}  # fmt: skip


def figure_svg(figure):
    """The figure as a standalone SVG document (UTF-8 bytes)."""
    return render_to_string("surveys/figure.svg", {"figure": figure}).encode("utf-8")


PNG_SCALE = 2  # pixels per layout pixel: sharp enough for print at the figure's size


def figure_png(figure):
    """The figure as PNG bytes, drawn by matplotlib from the same layout as the SVG."""
    # The Figure API draws with Agg for PNG without pyplot: no global backend is switched.
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Rectangle

    from core.pdf import japanese_font_path

    font_path = str(japanese_font_path())
    dpi = 72 * PNG_SCALE  # a layout pixel is a point, as the font sizes are
    width, height = figure["width"], figure["height"]
    canvas = Figure(figsize=(width / 72, height / 72), dpi=dpi, facecolor="white")
    axes = canvas.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)
    axes.axis("off")
    for box in figure["boxes"]:
        axes.add_patch(Rectangle((box["x"], box["y"]), box["width"], box["height"],
                                 facecolor=box["colour"], edgecolor="none"))  # fmt: skip
    alignment = {"start": "left", "middle": "center", "end": "right"}
    for text in figure["texts"]:
        font = FontProperties(fname=font_path, size=text["size"],
                              weight="bold" if text["bold"] else "normal")  # fmt: skip
        axes.text(text["x"], text["y"], text["text"], fontproperties=font, color=text["colour"],
                  ha=alignment[text["anchor"]], va="baseline")  # fmt: skip
    out = io.BytesIO()
    canvas.savefig(out, format="png", dpi=dpi, facecolor="white")
    return out.getvalue()
