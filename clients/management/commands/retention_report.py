import datetime as dt
import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clients.services import office_retention_read
from core import calendar
from core.audit import Actor
from offices.models import Office
from offices.scoping import offices_in_use


class Command(BaseCommand):
    help = (
        "Print an office's retention rate (就労定着率) and fee tier for a remuneration fiscal year "
        "as JSON (DESIGN 5.4), computed by the same functions as the dashboard."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="The 10-digit office number.")
        parser.add_argument(
            "--fiscal-year", required=True, type=int, help="Remuneration fiscal year F (e.g. 2024)."
        )
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help="The day the figure is computed, YYYY-MM-DD (default: today in Japan). It "
            "decides whether a user awaiting re-employment still counts provisionally.",
        )
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--output", help="Write the JSON to this file instead of stdout.")

    def handle(self, *args, office, fiscal_year, output, as_of=None, **options):
        as_of = self._as_of(as_of)
        # The command line has full access, like import_csv; only offices that use the system
        # have clients.
        try:
            office_obj = offices_in_use().get(office_number=office)
        except Office.DoesNotExist as exc:
            raise CommandError(f"No office {office} that uses this system.") from exc
        if not 2000 <= fiscal_year <= 2100:
            raise CommandError(f"Fiscal year {fiscal_year} is out of range.")
        result = office_retention_read(
            actor=Actor.command(),
            office=office_obj,
            fiscal_year=fiscal_year,
            as_of=as_of,
            export=True,
        )
        document = json.dumps(result.as_json(), ensure_ascii=False, indent=2)
        if output:
            Path(output).write_text(document + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(document)
        self.stderr.write(
            f"{office_obj.office_number} FY{fiscal_year} as of {as_of.isoformat()}: "
            f"{result.retained}/{result.users} retained"
        )

    @staticmethod
    def _as_of(value):
        if value is None:
            return calendar.today()
        problem = f"--as-of {value!r} is not a date: give it as YYYY-MM-DD, e.g. 2024-04-10."
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise CommandError(problem)
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(problem) from exc
