"""The person's card on the client page, the trend chart and readings (furigana)."""

import segno
from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from voice import selectors

register = template.Library()


@register.simple_tag
def client_voice(client):
    """The card's data (the client page has already been allowed and audited the client)."""
    return selectors.client_voice(client=client)


@register.simple_tag
def qr_svg(text):
    """A QR code drawn by segno as inline SVG."""
    return mark_safe(segno.make(text, error="m").svg_inline(scale=4, border=2))


@register.inclusion_tag("voice/_trend.svg")
def trend_chart(chart, title=""):
    return {"chart": chart, "title": title}


# Readings of the words the check-in page uses, for people who read kana more easily.
READINGS = {
    "睡眠": "すいみん",
    "体調": "たいちょう",
    "仕事": "しごと",
    "量": "りょう",
    "職場": "しょくば",
    "人間関係": "にんげんかんけい",
    "気分": "きぶん",
    "食事": "しょくじ",
    "通勤": "つうきん",
    "今日": "きょう",
    "調子": "ちょうし",
    "少": "すこ",
    "送信": "そうしん",
    "記録": "きろく",
    "入力": "にゅうりょく",
    "書": "か",
}


@register.filter
def with_readings(text, enabled=True):
    """``text`` with <ruby> readings over the words of READINGS (when ``enabled``)."""
    text = str(text)
    if not enabled:
        return conditional_escape(text)
    out, index = [], 0
    words = sorted(READINGS, key=len, reverse=True)
    while index < len(text):
        for word in words:
            if text.startswith(word, index):
                out.append(format_html("<ruby>{}<rt>{}</rt></ruby>", word, READINGS[word]))
                index += len(word)
                break
        else:
            out.append(conditional_escape(text[index]))
            index += 1
    return mark_safe("".join(str(part) for part in out))
