from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from billing import selectors
from billing.claim.build import ClaimRefused
from core.audit import Actor
from core.calendar import Month
from offices.models import Office
from offices.scoping import offices_in_use


class Command(BaseCommand):
    help = (
        "Write an office's monthly claim file for the 国保連 (DESIGN 5.5: CP932, the interface "
        "spec's records) from the same figures as billing_month; any month, closed or not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="The 10-digit office number.")
        parser.add_argument("--month", required=True, help="The month of service, YYYY-MM.")
        parser.add_argument(
            "--processing-month",
            help="The month the claim is sent in, YYYY-MM (default: the next month).",
        )
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, office, month, processing_month, output, **options):
        translation.activate("ja")
        months = {}
        for flag, text in (("--month", month), ("--processing-month", processing_month)):
            if text is None:
                continue
            try:
                months[flag] = Month.parse(text)
            except ValueError as exc:
                raise CommandError(f"{flag} {text!r} は年月ではありません（YYYY-MM）。") from exc
        try:
            office_obj = offices_in_use().get(office_number=office)
        except Office.DoesNotExist as exc:
            raise CommandError(f"事業所番号 {office} の事業所はありません。") from exc
        try:
            body, _name = selectors.claim_file(
                actor=Actor.command(),
                office=office_obj,
                month=months["--month"],
                processing_month=months.get("--processing-month"),
            )
        except ClaimRefused as exc:
            raise CommandError(
                "請求ファイルを書けません:\n" + "\n".join(f"- {p}" for p in exc.problems)
            ) from exc
        Path(output).write_bytes(body)
        self.stderr.write(f"Wrote {output} ({len(body)} bytes)")
