from django.core.management.base import BaseCommand, CommandError

from clients.models import Client
from core.audit import Actor
from offices.models import Office
from offices.scoping import offices_in_use
from voice import services


class Command(BaseCommand):
    help = (
        "Issue a one-time LINE link code for a person (DESIGN 5.6): the person sends it to the "
        "office's LINE account to be linked. Earlier open codes of the person stop working. The "
        "code is printed last."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="10-digit office number")
        parser.add_argument("--client", required=True, help="the person's client code")

    def handle(self, *args, office, client, **options):
        try:
            the_office = offices_in_use().get(office_number=office)
        except Office.DoesNotExist as exc:
            raise CommandError(f"no office {office} using this system") from exc
        person = Client.objects.filter(office=the_office, client_code=client).first()
        if person is None:
            raise CommandError(f"no client {client} at office {office}")
        if not hasattr(the_office, "line_channel"):
            raise CommandError(f"office {office} has no LINE channel (manage.py line_channel)")
        code = services.link_code_issue(client=person, actor=Actor.command())
        self.stdout.write(f"valid until {code.expires_at.isoformat(timespec='minutes')}")
        self.stdout.write(code.code)
