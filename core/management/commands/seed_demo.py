import logging
import random
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.audit import logger as audit_logger
from core.demo import DEMO_PASSWORD, DemoContext, already_seeded, demo_logins, demo_steps


@contextmanager
def audit_echo_quiet():
    """Seeding writes hundreds of audit events; each is stored as usual, but its console echo
    (``teichaku.audit`` at INFO) is held back for the command. Warnings and errors still show."""
    level = audit_logger.level
    audit_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        audit_logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Fill the database with deterministic demo data (corporations, offices, staff, clients, "
        "contacts, plans, surveys, recipient certificates) and print the address and the demo "
        "logins. Refuses when data already exists unless --reset is given. -v 2 shows each step."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the whole database first (flush), then seed. Only for a demo database.",
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="The address printed in the closing message (scripts/demo.sh passes its port).",
        )

    def handle(self, *args, reset, url, verbosity, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if already_seeded() and not reset:
                self.stdout.write(_("Demo data is already present; --reset recreates it."))
            else:
                self._seed(reset=reset, verbose=verbosity >= 2)
                self.stdout.write(_("Demo data created."))
            self._print_logins(url)

    def _seed(self, *, reset, verbose):
        log = self.stderr.write if verbose else (lambda message: None)
        with audit_echo_quiet(), transaction.atomic():
            if reset:
                call_command("flush", interactive=False, verbosity=0)
            ctx = DemoContext(rng=random.Random(20240401), log=log)
            for step in demo_steps():
                log(f"seeding {step.__name__.removesuffix('.demo')}…")
                step.seed(ctx)

    def _print_logins(self, url):
        self.stdout.write("")
        self.stdout.write(_("Address: %(url)s") % {"url": url})
        self.stdout.write(
            _("Password (the same for every account): %(password)s") % {"password": DEMO_PASSWORD}
        )
        self.stdout.write(_("Accounts:"))
        for username, roles in demo_logins():
            self.stdout.write(f"  {username:<20} {roles}")
