from django.core.management.base import BaseCommand

from core import jobs


class Command(BaseCommand):
    help = (
        "Fail background jobs that stopped showing signs of life (running without a heartbeat for "
        "TEICHAKU_JOB_STALE_MINUTES, or waiting for TEICHAKU_JOB_PENDING_MINUTES), deleting their "
        "uploaded files. The beat scheduler runs the same sweep every 5 minutes."
    )

    def handle(self, *args, **options):
        swept = jobs.sweep()
        for job in swept:
            self.stdout.write(f"{job._meta.label} {job.pk} {job.status}")
        self.stderr.write(f"{len(swept)} job(s) swept.")
