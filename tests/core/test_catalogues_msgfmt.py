"""Every Japanese catalogue passes GNU gettext's own checker (``msgfmt --check``): no message
defined twice with two texts (the last silently wins), no translation whose placeholders the
message does not have (Django then falls back to English, or the page fails)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    path for path in ROOT.glob("**/locale/ja/LC_MESSAGES/django.po") if ".venv" not in path.parts
)


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 10


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_catalogue_passes_msgfmt_check(catalogue):
    found = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
    )
    fatal = [line for line in found.stderr.splitlines() if "header field" not in line]
    assert found.returncode == 0, "\n".join(fatal)
