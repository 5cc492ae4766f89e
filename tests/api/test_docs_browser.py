"""The API's documentation page works from the package's own files: Swagger UI renders the
schema in Debian's chromium, and no request leaves the server (no CDN)."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_schema_from_local_files_only(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto("/api/v1/docs/")
    page.get_by_text("/api/v1/clients/{client_pk}/").first.wait_for(timeout=15000)
    context.close()
    hosts.discard("")  # data: URLs of the bundle's own images
    assert hosts == {urlsplit(live_server.url).netloc}
