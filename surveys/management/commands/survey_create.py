from django.core.management.base import BaseCommand, CommandError

from core.audit import Actor
from offices.models import Corporation
from surveys import services
from surveys.definitions import DefinitionError, template_names
from surveys.models import Survey


class Command(BaseCommand):
    help = (
        "Create a draft survey from a template shipped as data "
        "(--template retention-challenges), or copy an earlier survey into a new year "
        "(--copy-from OLD_SLUG). Prints the new survey's slug."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--year", type=int, required=True)
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--template", choices=template_names())
        source.add_argument("--copy-from", dest="copy_from", metavar="OLD_SLUG")
        parser.add_argument("--title", default=None)
        parser.add_argument(
            "--corporation",
            metavar="CORPORATION_NUMBER",
            help="Organiser: a corporation's 13-digit number. Omit for the whole installation.",
        )

    def handle(self, *args, slug, year, template, copy_from, title, corporation, **options):
        try:
            if copy_from:
                try:
                    source = Survey.objects.get(slug=copy_from)
                except Survey.DoesNotExist as exc:
                    raise CommandError(f"No survey with the slug {copy_from!r}.") from exc
                survey = services.survey_copy(
                    source=source, slug=slug, year=year, title=title, actor=Actor.command()
                )
            else:
                organiser = None
                if corporation:
                    organiser = Corporation.objects.filter(corporation_number=corporation).first()
                    if organiser is None:
                        raise CommandError(f"No corporation with the number {corporation}.")
                survey = services.survey_create_from_template(
                    slug=slug,
                    template=template,
                    year=year,
                    corporation=organiser,
                    title=title,
                    actor=Actor.command(),
                )
        except DefinitionError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            f"Created draft survey {survey.slug} ({survey.year}) with "
            f"{survey.questions.count()} questions."
        )
        self.stdout.write(survey.slug)
