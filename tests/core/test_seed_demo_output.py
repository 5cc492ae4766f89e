"""seed_demo closes with the address and the demo logins in Japanese; the hundreds of audit
events it writes are stored but not echoed to the console while it runs."""

import io
import logging

from django.core.management import call_command

from core.audit import logger as audit_logger
from core.models import AuditEvent


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_seed_demo_prints_the_logins_in_japanese_and_no_audit_echo(db):
    collect = _Collect()
    audit_logger.addHandler(collect)
    level = audit_logger.level
    audit_logger.setLevel(logging.INFO)
    try:
        out, err = io.StringIO(), io.StringIO()
        call_command("seed_demo", "--url", "http://127.0.0.1:8123/", stdout=out, stderr=err)
        echoed_while_seeding = list(collect.records)
        level_after = audit_logger.level
    finally:
        audit_logger.removeHandler(collect)
        audit_logger.setLevel(level)

    # The events are written, but none reached the console handler while seeding.
    assert AuditEvent.objects.exists()
    assert echoed_while_seeding == []
    # The logger is given back as it was: outside the command, events are echoed again.
    assert level_after == logging.INFO

    text = out.getvalue()
    assert err.getvalue() == ""
    assert "audit user=" not in text
    assert "デモデータを作成しました。" in text
    assert "アドレス: http://127.0.0.1:8123/" in text
    assert "パスワード（全アカウント共通）: teichaku-demo-2024" in text
    lines = {
        line.split()[0]: line.split(maxsplit=1)[1]
        for line in text.splitlines()
        if line.startswith("  demo-")
    }
    assert len(lines) == 13
    assert lines["demo-admin"] == "システム管理者"
    assert lines["demo-honbu"] == "法人管理者（社会福祉法人あおば福祉会）"
    assert lines["demo-manager"] == "管理者（あおば就労定着支援センター新宿）"
    assert lines["demo-staff"] == "支援員（あおば就労定着支援センター新宿）"
    assert lines["demo-survey"] == "調査担当者（システム全体）"
    # One language: no English role words left (the usernames are English on purpose).
    roles = " ".join(lines.values())
    for word in ("manager", "coordinator", "administrator", "installation", "staff", "@"):
        assert word not in roles

    again = io.StringIO()
    call_command("seed_demo", stdout=again, stderr=io.StringIO())
    assert "デモデータは作成済みです" in again.getvalue()
    assert "demo-manager" in again.getvalue()


def test_seed_demo_shows_its_steps_only_when_asked(db):
    err = io.StringIO()
    call_command("seed_demo", "-v", "2", stdout=io.StringIO(), stderr=err)
    assert "seeding offices…" in err.getvalue()
    assert "audit user=" not in err.getvalue()
