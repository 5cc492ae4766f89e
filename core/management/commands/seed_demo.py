import random

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DEMO_PASSWORD, DemoContext, already_seeded, demo_logins, demo_steps


class Command(BaseCommand):
    help = (
        "Fill the database with deterministic demo data (corporations, offices, staff, clients, "
        "contacts, plans, surveys, recipient certificates) and print the demo logins. Refuses "
        "when data already exists unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the whole database first (flush), then seed. Only for a demo database.",
        )

    def handle(self, *args, reset, **options):
        if already_seeded() and not reset:
            self.stdout.write("Demo data already present; use --reset to recreate it.")
            self._print_logins()
            return
        with transaction.atomic():
            if reset:
                self._reset()
            ctx = DemoContext(rng=random.Random(20240401), log=self.stderr.write)
            for step in demo_steps():
                self.stderr.write(f"seeding {step.__name__.removesuffix('.demo')}…")
                step.seed(ctx)
        self._print_logins()

    def _reset(self):
        call_command("flush", interactive=False, verbosity=0)

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username, description in demo_logins():
            self.stdout.write(f"  {username:<20} {description}")
