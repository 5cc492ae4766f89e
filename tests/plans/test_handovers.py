"""Hand-overs from the referring office: shared with one receiving office on consent, hidden on
withdrawal, never seen by a third office; uploads checked by size and content, downloaded only
through the scoped, audited view."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.audit import Actor
from core.models import AuditAction, AuditEvent
from offices.models import Role
from offices.scoping import NotOfficeScoped, scoped
from plans import documents, services
from plans.models import ReferralHandover
from tests import factories

D = dt.date
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def eri(cast):
    """Staff of office A2, the office the person came from."""
    user = factories.UserFactory(username="eri")
    factories.MembershipFactory(user=user, office=cast.office_a2, role=Role.SUPPORT_STAFF)
    return user


@pytest.fixture
def moved(cast, eri):
    """The same person at both offices: E001 at A2 (moving on), P010 at A (arriving from A2)."""
    source = factories.ClientFactory(
        office=cast.office_a2, client_code="E001", family_name="送出", given_name="由美"
    )
    arrived = factories.ClientFactory(
        office=cast.office_a,
        client_code="P010",
        family_name="送出",
        given_name="由美",
        referral_office=cast.office_a2,
        service_start=D(2025, 4, 1),
    )
    return source, arrived


def share(cast, eri, source, **fields):
    return services.referral_handover_create(
        actor=Actor.command(eri),
        referring_office=cast.office_a2,
        receiving_office=cast.office_a,
        source_client=source,
        consented_on=D(2025, 3, 20),
        consent_method="signature",
        own_words="朝が苦手なので、始業前に声をかけてほしい。",
        **fields,
    )


def test_the_receiving_office_sees_a_consented_handover_on_the_client_page(
    cast, client, eri, moved, today
):
    source, arrived = moved
    handover = share(cast, eri, source)
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", kwargs={"client_pk": arrived.pk})).content.decode()
    assert 'id="client-handover"' in page and "あおば第二定着支援" in page
    detail = client.get(reverse("referral_handover_detail", args=[handover.pk]))
    assert detail.status_code == 200
    assert "始業前に声をかけてほしい" in detail.content.decode()
    read = AuditEvent.objects.get(user=cast.alice, action=AuditAction.VIEW, object_id=handover.pk)
    assert read.office == cast.office_a


def test_the_receiving_office_links_an_unlinked_handover_to_its_person(
    cast, client, eri, moved, today
):
    source, arrived = moved
    handover = share(cast, eri, source)
    client.force_login(cast.alice)
    response = client.post(reverse("referral_handover_link", args=[handover.pk, arrived.pk]))
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.client == arrived


def test_withdrawal_hides_it_from_the_receiving_office_at_once(cast, client, eri, moved, today):
    source, arrived = moved
    handover = share(cast, eri, source)
    client.force_login(eri)
    client.post(
        reverse("referral_handover_withdraw", args=[handover.pk]), {"withdrawn_on": "2025-06-16"}
    )
    handover.refresh_from_db()
    assert handover.consent_withdrawn_on == D(2025, 6, 16)
    # The referring office still reads its own record.
    assert client.get(reverse("referral_handover_detail", args=[handover.pk])).status_code == 200
    client.force_login(cast.alice)
    assert client.get(reverse("referral_handover_detail", args=[handover.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        user=cast.alice, action=AuditAction.DENIED, object_id=handover.pk
    ).exists()
    page = client.get(reverse("client_detail", kwargs={"client_pk": arrived.pk})).content.decode()
    assert 'data-handover="withdrawn"' in page
    assert "始業前に声をかけてほしい" not in page


def test_a_third_office_never_sees_the_handover(cast, client, eri, moved, today):
    source, _arrived = moved
    handover = share(cast, eri, source)
    assert not ReferralHandover.objects.readable_by(cast.charlie).exists()
    assert not ReferralHandover.objects.withdrawn_for(cast.charlie).exists()
    client.force_login(cast.charlie)
    for name in ("referral_handover_detail", "referral_handover_document"):
        assert client.get(reverse(name, args=[handover.pk])).status_code == 404
    client.post(
        reverse("referral_handover_withdraw", args=[handover.pk]), {"withdrawn_on": "2025-06-16"}
    )
    handover.refresh_from_db()
    assert handover.consent_withdrawn_on is None


def test_the_generic_scoping_refuses_handovers_so_no_view_can_skip_the_consent_rule(cast):
    with pytest.raises(NotOfficeScoped):
        scoped(ReferralHandover, cast.alice)


@pytest.fixture
def from_non_system_office(cast):
    paper_office = factories.OfficeFactory(name="ひまわり就労移行", uses_system=False)
    return factories.ClientFactory(
        office=cast.office_a, client_code="P020", family_name="紙田", referral_office=paper_office
    )


def upload(client, person, content, name="引き継ぎ書.pdf"):
    return client.post(
        reverse("referral_handover_upload", args=[person.pk]),
        {
            "document": SimpleUploadedFile(name, content, content_type="application/pdf"),
            "consented_on": "2025-06-01",
            "consent_method": "signature",
            "own_words": "静かな席がいい",
        },
    )


def test_an_uploaded_document_is_stored_privately_and_downloaded_as_an_audited_attachment(
    cast, client, from_non_system_office, today
):
    client.force_login(cast.alice)
    assert upload(client, from_non_system_office, PDF).status_code == 302
    handover = ReferralHandover.objects.get(client=from_non_system_office)
    stored = Path(handover.document.path)
    assert stored.is_relative_to(Path(settings.TEICHAKU_PRIVATE_MEDIA_ROOT))
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert handover.document_name == "引き継ぎ書.pdf" and handover.document_type == "pdf"
    response = client.get(reverse("referral_handover_document", args=[handover.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(
        user=cast.alice, action=AuditAction.EXPORT, object_id=handover.pk, office=cast.office_a
    ).exists()
    client.force_login(cast.charlie)
    assert client.get(reverse("referral_handover_document", args=[handover.pk])).status_code == 404


def test_a_file_that_is_not_a_pdf_or_image_inside_is_refused(
    cast, client, from_non_system_office, today
):
    client.force_login(cast.alice)
    response = upload(client, from_non_system_office, b"MZ\x90\x00 not a pdf", name="x.pdf")
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert not ReferralHandover.objects.exists()


def test_a_file_over_the_size_limit_is_refused(
    cast, client, from_non_system_office, today, settings
):
    settings.TEICHAKU_HANDOVER_MAX_BYTES = len(PDF) - 1
    client.force_login(cast.alice)
    assert upload(client, from_non_system_office, PDF).status_code == 200
    assert not ReferralHandover.objects.exists()
    settings.TEICHAKU_HANDOVER_MAX_BYTES = len(PDF)
    assert upload(client, from_non_system_office, PDF).status_code == 302


def test_uploading_is_for_people_from_offices_that_do_not_use_the_system(
    cast, client, moved, today
):
    _source, arrived = moved
    client.force_login(cast.alice)
    assert client.get(reverse("referral_handover_upload", args=[arrived.pk])).status_code == 404


def test_the_download_name_is_safe_and_matches_the_recognised_type():
    assert documents.safe_filename('../../etc/"passwd".exe', "pdf") == "etc_passwd.pdf"
    assert documents.safe_filename("", "jpeg") == "handover.jpg"
    assert documents.sniff(b"\x89PNG\r\n\x1a\n....") == "png"
    assert documents.sniff(b"\xff\xd8\xff\xe0") == "jpeg"
    assert documents.sniff(b"GIF89a") is None
