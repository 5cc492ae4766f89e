import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import tabular
from core.audit import Actor


class Command(BaseCommand):
    help = (
        "Import a CSV file (UTF-8 with or without BOM, or CP932) whole or not at all. "
        "KIND is one of: offices, clients, employments, contacts, support_plans, case_meetings."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, write nothing."
        )

    def handle(self, *args, kind, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            tabular.get_kind(kind)
        except tabular.FileRefused as exc:
            raise CommandError(str(exc)) from exc
        with path.open("rb") as file_object:  # read as a stream: memory does not grow with the file
            result = tabular.run_import(
                kind,
                file_object,
                actor=Actor.command(),
                filename=path.name,
                dry_run=dry_run,
                progress=lambda done, total: self.stderr.write(
                    f"  {done}/{total} rows", ending="\r"
                ),
            )
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.more_errors:
                self.stderr.write(f"… and {result.more_errors} more problem(s), not listed.")
            raise CommandError(
                f"Refused {path.name}: {len(result.errors)} problem(s); nothing was written."
            )
        verb = "Checked (dry run, nothing written)" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {result.rows} rows of {kind}: {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged."
        )
        sys.stdout.flush()
