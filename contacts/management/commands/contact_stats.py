import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from contacts.services import contact_stats_document
from core.audit import Actor
from offices.models import Office
from offices.scoping import offices_in_use


def _date(text):
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = (
        "Contact statistics of one office for a period (DESIGN 5.4): counts and shares by method "
        "and counterpart, client groups and monthly face-to-face compliance. Dates are Japan-time "
        "calendar dates, both included. Prints the JSON document alone on standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="10-digit office number")
        parser.add_argument("--from", dest="date_from", required=True, type=_date)
        parser.add_argument("--to", dest="date_to", required=True, type=_date)
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--output", help="write the JSON to this file instead of stdout")

    def handle(self, *args, office, date_from, date_to, output=None, **options):
        if date_from > date_to:
            raise CommandError("--from is after --to")
        try:
            the_office = offices_in_use().get(office_number=office)
        except Office.DoesNotExist as exc:
            raise CommandError(f"no office {office} using this system") from exc
        data = contact_stats_document(
            actor=Actor.command(), office=the_office, date_from=date_from, date_to=date_to
        )
        document = json.dumps(data, ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(document + "\n")
            self.stderr.write(f"wrote {output}")
        else:
            self.stdout.write(document)
