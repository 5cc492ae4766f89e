import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clients.services import office_retention_read
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
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--output", help="Write the JSON to this file instead of stdout.")

    def handle(self, *args, office, fiscal_year, output, **options):
        # The command line has full access, like import_csv; only offices that use the system
        # have clients.
        try:
            office_obj = offices_in_use().get(office_number=office)
        except Office.DoesNotExist as exc:
            raise CommandError(f"No office {office} that uses this system.") from exc
        if not 2000 <= fiscal_year <= 2100:
            raise CommandError(f"Fiscal year {fiscal_year} is out of range.")
        result = office_retention_read(
            actor=Actor.command(), office=office_obj, fiscal_year=fiscal_year, export=True
        )
        document = json.dumps(result.as_json(), ensure_ascii=False, indent=2)
        if output:
            Path(output).write_text(document + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(document)
        self.stderr.write(
            f"{office_obj.office_number} FY{fiscal_year}: {result.retained}/{result.users} retained"
        )
