"""Response headers: signed-in pages are never cached, every page carries a strict
Content-Security-Policy, and the pages themselves hold no inline script, style or handler the
policy would block. The browser half (chromium reporting violations) is in
``test_csp_browser.py``."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from tests.scoping_walk import build_world, endpoints, url_kwargs

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\sstyle=\"", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=\"", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _directives(header):
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def _html_pages_of_office_a(client, world):
    """(url, response) for every GET of office A's world that answers an HTML page to Bob."""
    client.force_login(world.cast.bob)
    pages = []
    for endpoint in endpoints():
        if endpoint.public or endpoint.name in {"logout", "set_language"}:
            continue
        try:
            url = reverse(endpoint.name, kwargs=url_kwargs(endpoint, world))
        except (NoReverseMatch, KeyError):
            continue
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((url, response))
    return pages


@pytest.mark.django_db
def test_every_signed_in_page_is_private_no_store_and_has_the_strict_policy(client, cast):
    world = build_world(cast)
    pages = _html_pages_of_office_a(client, world)
    assert len(pages) > 40  # the walk reached the app's pages, not just a few
    for url, response in pages:
        cache_control = {v.strip() for v in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control, url
        policy = _directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'none'"], url
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"][0] == "'self'", url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert policy["frame-ancestors"] == ["'none'"], url


@pytest.mark.django_db
def test_no_page_holds_inline_script_style_or_handlers(client, cast):
    world = build_world(cast)
    for url, response in _html_pages_of_office_a(client, world):
        html = response.content.decode()
        for pattern, what in INLINE:
            found = pattern.search(html)
            assert found is None, f"{url}: {what}: {html[found.start() : found.start() + 80]}"


@pytest.mark.django_db
def test_downloads_and_figures_are_not_cached_either(client, cast):
    world = build_world(cast)
    client.force_login(cast.bob)
    downloads = 0
    for endpoint in endpoints():
        if endpoint.public or not endpoint.name.endswith(("_export", "_figure", "_pdf")):
            continue
        url = reverse(endpoint.name, kwargs=url_kwargs(endpoint, world))
        response = client.get(url)
        if response.status_code == 200:
            downloads += 1
            assert "no-store" in response["Cache-Control"], url
    assert downloads > 10


@pytest.mark.django_db
def test_the_login_page_has_the_policy_and_static_files_stay_cacheable(client, settings, cast):
    # WhiteNoise serving from the finders, as in development (production serves the collected
    # files the same way, before any of the app's middleware)
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client.force_login(cast.bob)
    response = client.get(reverse("login"))
    assert "default-src 'none'" in response["Content-Security-Policy"]
    static = client.get("/static/css/teichaku.css")
    assert static.status_code == 200
    assert static["Content-Type"].startswith("text/css")
    assert "no-store" not in static.get("Cache-Control", "")
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_a_print_view_style_carries_the_nonce_of_its_header(client, cast):
    from contacts import reports
    from core.audit import Actor
    from core.calendar import Month
    from tests import factories

    person = factories.ClientFactory(office=cast.office_a, staff_in_charge=cast.alice)
    report, _created = reports.report_create(
        client=person, month=Month(2025, 4), actor=Actor.command(cast.bob)
    )
    client.force_login(cast.bob)
    response = client.get(reverse("report_print", args=[report.pk]))
    assert response.status_code == 200
    nonce = re.search(r"<style nonce=\"([^\"]+)\">", response.content.decode())[1]
    assert f"'nonce-{nonce}'" in _directives(response["Content-Security-Policy"])["style-src"]


@pytest.mark.parametrize(
    ("percent", "css_class"),
    [(0, "bar-w-0"), (37.5, "bar-w-38"), ("12.4", "bar-w-12"), (-3, "bar-w-0"), (120, "bar-w-100"),
     (None, "bar-w-0"), ("abc", "bar-w-0"), (float("nan"), "bar-w-0")],
)  # fmt: skip
def test_a_bar_width_is_a_whole_percent_class_within_0_to_100(percent, css_class):
    from core.templatetags.core_tags import bar_width

    assert bar_width(percent) == css_class
