import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core import tabular
from core.audit import Actor


class Command(BaseCommand):
    help = (
        "Import a CSV file (UTF-8 with or without BOM, or CP932) whole or not at all. "
        "KIND is one of: offices, clients, employments, contacts, support_plans, case_meetings."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, write nothing."
        )

    def handle(self, *args, **options):
        # The office's language, whatever the shell's locale: the same Japanese messages as the
        # upload page, and the same labels (社会福祉法人, 就労定着支援) read.
        with translation.override(settings.LANGUAGE_CODE):
            self._import(**options)

    def _import(self, *, kind, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        try:
            kind_label = str(tabular.get_kind(kind).label or kind)
        except tabular.FileRefused as exc:
            raise CommandError(str(exc)) from exc
        with path.open("rb") as file_object:  # read as a stream: memory does not grow with the file
            result = tabular.run_import(
                kind,
                file_object,
                actor=Actor.command(),
                filename=path.name,
                dry_run=dry_run,
                progress=lambda done, total: self.stderr.write(
                    _("  %(done)s/%(total)s rows") % {"done": done, "total": total}, ending="\r"
                ),
            )
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.more_errors:
                self.stderr.write(
                    _("… and %(count)s more problem(s), not listed.")
                    % {"count": result.more_errors}
                )
            raise CommandError(
                _("Refused %(file)s: %(count)s problem(s); nothing was written.")
                % {"file": path.name, "count": len(result.errors)}
            )
        figures = {
            "rows": result.rows,
            "kind": kind_label,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if dry_run:
            message = _(
                "Checked (dry run, nothing written) %(rows)s rows of %(kind)s: %(created)s "
                "created, %(updated)s updated, %(unchanged)s unchanged."
            )
        else:
            message = _(
                "Imported %(rows)s rows of %(kind)s: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
        self.stdout.write(message % figures)
        sys.stdout.flush()
