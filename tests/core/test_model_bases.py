"""The shared abstract models: both office-month jobs and both "recorded by" records inherit one
definition, and sharing it left the database schema as the migrations made it."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from billing.models import MonthCloseJob
from contacts.models import ReportBatchJob
from core.models import OfficeMonthJob, RecordedBy
from plans.models import CaseMeeting, ReferralHandover


def test_both_office_month_jobs_inherit_one_lifecycle():
    for model in (ReportBatchJob, MonthCloseJob):
        assert issubclass(model, OfficeMonthJob)
        assert model.Status is OfficeMonthJob.Status
        assert model.office_path == "office"
        assert model._meta.ordering == ["-created_at"]
    # The report job keeps its own counter; the close job its reverse name from billing 0003.
    assert ReportBatchJob._meta.get_field("created").default == 0
    assert MonthCloseJob._meta.get_field("office").remote_field.related_name == "month_close_jobs"


def test_an_office_month_jobs_progress(cast):
    job = ReportBatchJob(office=cast.office_a, total=8, done=3)
    assert job.progress_percent == 37  # 3 of 8 = 37.5%, cut down
    job = MonthCloseJob(total=0, done=0, status=MonthCloseJob.Status.DONE)
    assert job.progress_percent == 100
    job.status = MonthCloseJob.Status.RUNNING
    assert job.progress_percent == 0


def test_recorded_rows_share_who_and_when():
    for model in (CaseMeeting, ReferralHandover):
        assert issubclass(model, RecordedBy)
        with translation.override("en"):
            assert str(model._meta.get_field("created_by").verbose_name) == "recorded by"


@pytest.mark.django_db
def test_the_shared_bases_changed_no_schema():
    out = io.StringIO()
    # Exits with status 1 when a model differs from its migrations.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()
