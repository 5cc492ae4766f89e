from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.audit import Actor
from surveys.exchange import export_responses
from surveys.models import Survey


class Command(BaseCommand):
    help = (
        "Write a survey's responses as CSV (UTF-8 with BOM) in the survey_import format "
        "(DESIGN 5.2), so that export then import round-trips."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--output", required=True, metavar="FILE")

    def handle(self, *args, slug, output, **options):
        try:
            survey = Survey.objects.get(slug=slug)
        except Survey.DoesNotExist as exc:
            raise CommandError(f"No survey with the slug {slug!r}.") from exc
        body = export_responses(survey, actor=Actor.command())
        Path(output).write_bytes(body)
        self.stderr.write(f"Wrote {survey.responses.count()} responses to {output}.")
