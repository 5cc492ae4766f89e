import importlib
import importlib.util
import random

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DemoContext

# Each app contributes a ``demo.seed(ctx)`` step; they run in this order, each building on the last.
DEMO_STEPS = ("offices", "clients", "contacts", "surveys")


class Command(BaseCommand):
    help = (
        "Fill the database with deterministic demo data (corporations, offices, staff, clients, "
        "contacts, surveys) and print the demo logins. Refuses when data already exists unless "
        "--reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the whole database first (flush), then seed. Only for a demo database.",
        )

    def handle(self, *args, reset, **options):
        from offices.models import Office

        if Office.objects.exists() and not reset:
            self.stdout.write("Demo data already present; use --reset to recreate it.")
            self._print_logins()
            return
        with transaction.atomic():
            if reset:
                self._reset()
            ctx = DemoContext(rng=random.Random(20240401), log=self.stderr.write)
            for app in DEMO_STEPS:
                module_name = f"{app}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                self.stderr.write(f"seeding {app}…")
                importlib.import_module(module_name).seed(ctx)
        self._print_logins()

    def _reset(self):
        call_command("flush", interactive=False, verbosity=0)

    def _print_logins(self):
        from core.demo import DEMO_PASSWORD, demo_logins

        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username, description in demo_logins():
            self.stdout.write(f"  {username:<20} {description}")
