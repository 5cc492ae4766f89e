from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Compile every locale/*/LC_MESSAGES/*.po of the project and its apps into .mo files. "
        "Pure Python (polib), so it needs no GNU gettext on the machine."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail when a catalogue has fuzzy or untranslated entries.",
        )

    def handle(self, *args, check, **options):
        roots = [Path(p) for p in settings.LOCALE_PATHS]
        base = Path(settings.BASE_DIR).resolve()
        for config in apps.get_app_configs():
            path = Path(config.path).resolve()
            # Only the project's own apps: third-party packages ship compiled catalogues.
            if path.is_relative_to(base) and "site-packages" not in path.parts:
                roots.append(path / "locale")
        problems = []
        compiled = 0
        for root in roots:
            for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                untranslated = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
                fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
                if check and (untranslated or fuzzy):
                    problems.append(
                        f"{po_path}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy "
                        f"(first: {(untranslated + fuzzy)[0]!r})"
                    )
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(f"Compiled {compiled} catalogue(s).")
