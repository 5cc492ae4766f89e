import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import tabular
from surveys.models import Survey
from surveys.report import report_sheets, survey_report


class Command(BaseCommand):
    help = (
        "Print a survey's aggregate report (DESIGN 5.4). --format json prints the JSON document "
        "alone on standard output (or writes it to --output); --format xlsx needs --output. "
        "Messages go to standard error."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--output", metavar="FILE")

    def handle(self, *args, slug, format, output, **options):
        try:
            survey = Survey.objects.get(slug=slug)
        except Survey.DoesNotExist as exc:
            raise CommandError(f"No survey with the slug {slug!r}.") from exc
        report = survey_report(survey)
        if format == "json":
            text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
            if output:
                Path(output).write_text(text, encoding="utf-8")
                self.stderr.write(f"Wrote {output}.")
            else:
                self.stdout.write(text, ending="")
            return
        if not output:
            raise CommandError("--format xlsx needs --output FILE.")
        Path(output).write_bytes(tabular.xlsx_bytes(report_sheets(survey, report)))
        self.stderr.write(f"Wrote {output}.")
