from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.audit import Actor
from surveys import services
from surveys.models import Survey


class Command(BaseCommand):
    help = (
        "Import survey responses from a CSV file (DESIGN 5.2), whole or not at all. Every bad "
        "row is listed on standard error with its row number, column, value and reason; the "
        "command then exits non-zero and writes nothing. --dry-run checks without writing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, slug, file, dry_run, **options):
        try:
            survey = Survey.objects.get(slug=slug)
        except Survey.DoesNotExist as exc:
            raise CommandError(f"No survey with the slug {slug!r}.") from exc
        try:
            file_object = Path(file).open("rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        with file_object:  # read as a stream: memory does not grow with the file
            result = services.responses_import(
                survey=survey,
                data=file_object,
                dry_run=dry_run,
                actor=Actor.command(),
                filename=Path(file).name,
            )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.more_errors:
                self.stderr.write(f"… and {result.more_errors} more problem(s), not listed.")
            raise CommandError(f"Refused: {len(result.errors)} problem(s); nothing was written.")
        prefix = "Checked (dry run, nothing written)" if dry_run else "Imported"
        self.stdout.write(
            f"{prefix}: {result.rows} rows, {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
