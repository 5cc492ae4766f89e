import os

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from core.audit import Actor
from offices.models import Office
from offices.scoping import offices_in_use
from voice import services


class Command(BaseCommand):
    help = (
        "Set an office's LINE official account (DESIGN 5.6, docs/line.md): the channel secret and "
        "channel access token are read from LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN in "
        "the environment (never from the command line), stored encrypted and never shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="10-digit office number")
        parser.add_argument("--bot-id", default="", help="the account's LINE ID, e.g. @123abcde")

    def handle(self, *args, office, bot_id, **options):
        try:
            the_office = offices_in_use().get(office_number=office)
        except Office.DoesNotExist as exc:
            raise CommandError(f"no office {office} using this system") from exc
        secret = os.environ.get("LINE_CHANNEL_SECRET", "").strip()
        token = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "").strip()
        if not secret or not token:
            raise CommandError("set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN")
        try:
            services.channel_set(
                office=the_office, secret=secret, token=token, bot_id=bot_id, actor=Actor.command()
            )
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"LINE channel of office {the_office.office_number} saved; webhook path "
            f"/line/webhook/{the_office.office_number}/"
        )
