"""The former date fields shared_with_client_on / shared_with_employer_on become sharing rows
(recipient the person / the employer, no method recorded), so that no date is lost."""

from django.db import migrations


def dates_to_sharings(apps, schema_editor):
    SupportReport = apps.get_model("contacts", "SupportReport")
    ReportSharing = apps.get_model("contacts", "ReportSharing")
    rows = []
    for report in SupportReport.objects.exclude(
        shared_with_client_on__isnull=True, shared_with_employer_on__isnull=True
    ).iterator():
        for recipient, day in (
            ("person", report.shared_with_client_on),
            ("employer", report.shared_with_employer_on),
        ):
            if day is not None:
                rows.append(
                    ReportSharing(
                        report_id=report.pk,
                        recipient=recipient,
                        shared_on=day,
                        method="",
                        note="",
                        created_by_id=report.updated_by_id,
                    )
                )
    ReportSharing.objects.bulk_create(rows, batch_size=1000)


def sharings_to_dates(apps, schema_editor):
    SupportReport = apps.get_model("contacts", "SupportReport")
    ReportSharing = apps.get_model("contacts", "ReportSharing")
    for sharing in ReportSharing.objects.filter(report__is_current=True).order_by("-shared_on"):
        field = {"person": "shared_with_client_on", "employer": "shared_with_employer_on"}.get(
            sharing.recipient
        )
        if field:
            SupportReport.objects.filter(pk=sharing.report_id).update(**{field: sharing.shared_on})


class Migration(migrations.Migration):
    dependencies = [("contacts", "0007_report_sharing_versions")]

    operations = [migrations.RunPython(dates_to_sharings, sharings_to_dates)]
