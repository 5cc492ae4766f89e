import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from billing import selectors
from core.audit import Actor
from core.calendar import Month
from offices.models import Office
from offices.scoping import offices_in_use


class Command(BaseCommand):
    help = (
        "Print an office's monthly billing figures (DESIGN 5.4) as JSON, or as CSV with one row "
        "per person, computed by the same function as the monthly close page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="The 10-digit office number.")
        parser.add_argument("--month", required=True, help="The month, YYYY-MM.")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--encoding",
            choices=["utf-8", "cp932"],
            default="utf-8",
            help="CSV only: UTF-8 with BOM (default) or CP932.",
        )
        parser.add_argument("--output", help="Write to this file instead of stdout.")

    def handle(self, *args, office, month, output, **options):
        try:
            the_month = Month.parse(month)
        except ValueError as exc:
            raise CommandError(f"--month {month!r} is not a month: give it as YYYY-MM.") from exc
        # The command line has full access, like import_csv and retention_report.
        try:
            office_obj = offices_in_use().get(office_number=office)
        except Office.DoesNotExist as exc:
            raise CommandError(f"No office {office} that uses this system.") from exc
        fmt = options["format"]
        figures = selectors.month_figures_read(
            actor=Actor.command(), office=office_obj, month=the_month, export=fmt
        )
        if fmt == "csv":
            body = selectors.csv_export(figures, encoding=options["encoding"])
            if output:
                Path(output).write_bytes(body)
            else:  # as text; --output keeps the file's bytes exactly (a BOM, or CP932)
                self.stdout.write(body.decode(options["encoding"]), ending="")
        else:
            document = json.dumps(figures.as_document(), ensure_ascii=False, indent=2)
            if output:
                Path(output).write_text(document + "\n", encoding="utf-8")
            else:
                self.stdout.write(document)
        if output:
            self.stderr.write(f"Wrote {output}")
        self.stderr.write(
            f"{office_obj.office_number} {the_month}: {len(figures.people)} people, "
            f"{figures.billable_count} billable, {figures.total_units} units"
        )
