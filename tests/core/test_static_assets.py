"""Bootstrap 5 comes from an installed wheel (bootstrap-wrapper) and is served by the app itself."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders


def test_bootstraps_css_and_js_are_found_under_vendor_bootstrap():
    for name in ("css/bootstrap.min.css", "js/bootstrap.bundle.min.js"):
        found = finders.find(f"vendor/bootstrap/{name}")
        assert found, name
        head = Path(found).read_text(encoding="utf-8")[:300]
        # The banner Bootstrap's build writes at the top of each dist file: major version 5.
        assert re.search(r"Bootstrap\s+v5\.\d+\.\d+", head), (name, head[:120])
