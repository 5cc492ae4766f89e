"""The API's documentation pages work from the package's own files: Swagger UI and Redoc render
the schema in Debian's chromium, and no request leaves the server (no CDN)."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "shows"),
    [("/api/v1/docs/", "/api/v1/clients/"), ("/api/v1/redoc/", "利用者の一覧と検索")],
)
def test_the_documentation_renders_from_local_files_only(browser, live_server, path, shows):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(path)
    page.get_by_text(shows).first.wait_for(state="attached", timeout=15000)
    context.close()
    assert hosts == {urlsplit(live_server.url).netloc}
