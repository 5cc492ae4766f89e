"""The UI shell: login, navigation by role, language switch, Japanese error pages."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
class TestLogin:
    def test_anonymous_visitors_are_sent_to_the_login_page(self, client):
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_the_login_page_is_japanese_by_default(self, client):
        page = client.get(reverse("login")).content.decode()
        assert '<html lang="ja">' in page
        assert "ログイン" in page

    def test_staff_log_in_and_land_on_the_home_page(self, client, cast):
        response = client.post(
            reverse("login"), {"username": "alice", "password": "pass-for-tests-1"}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("home")

    def test_a_wrong_password_is_refused_with_a_japanese_message(self, client, cast):
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
        assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()

    def test_logout_is_a_post(self, client, cast):
        client.force_login(cast.alice)
        assert client.post(reverse("logout")).status_code == 302
        assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
class TestNavigation:
    def test_support_staff_cannot_import_offices(self, client, cast):
        client.force_login(cast.alice)
        form = client.get(reverse("import_upload")).context["form"]
        kinds = {value for value, _ in form.fields["kind"].choices}
        assert "offices" not in kinds

    def test_a_user_without_any_import_kind_gets_no_import_page(self, client, cast):
        client.force_login(cast.charlie)
        cast.charlie.memberships.all().delete()
        assert reverse("import_upload") not in client.get(reverse("office_list")).content.decode()
        assert client.get(reverse("import_upload")).status_code == 404

    def test_an_administrator_sees_the_import_page(self, client, admin_user):
        client.force_login(admin_user)
        page = client.get(reverse("home")).content.decode()
        assert reverse("import_upload") in page
        assert "CSV取込" in page

    def test_the_office_list_shows_only_the_users_offices(self, client, cast):
        client.force_login(cast.diana)
        page = client.get(reverse("office_list")).content.decode()
        assert cast.office_a.name in page
        assert cast.office_a2.name in page
        assert cast.office_b.name not in page

    def test_the_office_list_searches_by_name(self, client, cast):
        client.force_login(cast.diana)
        page = client.get(reverse("office_list"), {"q": "第二"}).content.decode()
        assert cast.office_a2.name in page
        assert cast.office_a.name not in page

    def test_only_managers_see_the_staff_of_an_office(self, client, cast):
        url = reverse("office_detail", kwargs={"office_number": cast.office_a.office_number})
        client.force_login(cast.alice)
        assert "bob" not in client.get(url).content.decode()
        client.force_login(cast.bob)
        page = client.get(url).content.decode()
        assert "alice" in page and "支援員" in page


@pytest.mark.django_db
class TestLanguageAndErrors:
    def test_staff_of_another_office_get_a_japanese_404(self, client, cast):
        client.force_login(cast.charlie)
        url = reverse("office_detail", kwargs={"office_number": cast.office_a.office_number})
        response = client.get(url)
        assert response.status_code == 404

    def test_the_404_page_is_japanese(self, client, cast, settings):
        settings.DEBUG = False
        client.force_login(cast.alice)
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "ページが見つかりません" in response.content.decode()

    def test_the_language_switcher_offers_english(self, client, cast):
        client.force_login(cast.alice)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = client.get(reverse("office_list")).content.decode()
        assert '<html lang="en">' in page
        assert "Offices" in page

    def test_the_language_can_be_switched_before_logging_in(self, client):
        response = client.post(
            reverse("set_language"), {"language": "en", "next": "/accounts/login/"}
        )
        assert response.status_code == 302
        assert '<html lang="en">' in client.get(reverse("login")).content.decode()

    def test_bootstrap_is_served_locally(self, client):
        page = client.get(reverse("login")).content.decode()
        assert "/static/vendor/bootstrap/css/bootstrap.min.css" in page
        assert "cdn" not in page.lower()


def test_the_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    assert "サーバーエラー" in render_to_string("500.html")


@pytest.mark.django_db
def test_the_navigation_asks_no_scoping_question_of_its_own(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.bob)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("office_list"))
    office_questions = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT 1 AS "a" FROM "offices_office"')
    ]
    user_queries = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(('SELECT "auth_user".', 'SELECT 1 AS "a" FROM "auth_user"'))
    ]
    # Seven menu entries and two import kinds depend on "member of an office?" and "manager of
    # an office?", the survey entry on "sees surveys?": all are answered by the query that loads
    # the session's user (offices.backends), so the page asks none on its own, and the
    # manager's menu shows.
    assert office_questions == []
    assert len(user_queries) == 1 and "EXISTS" in user_queries[0]
    assert user_queries[0].startswith('SELECT "auth_user"."id"')
    assert reverse("audit_trail") in response.content.decode()
