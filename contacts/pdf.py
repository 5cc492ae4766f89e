"""The support report as a document: one layout for the print view and the PDF.

Both render ``contacts/report_document.html`` with ``document_context``; the PDF is that same
HTML drawn by xhtml2pdf (which builds on reportlab). Japanese is set in IPAexGothic, a TrueType
font that reportlab embeds as a subset, so the PDF reads the same in every viewer. The font comes
from a package, never from the repository: the PyPI package ``japanize-matplotlib`` ships
``ipaexg.ttf`` (a project dependency, found without importing it), and Debian's
``fonts-ipaexfont-gothic`` / ``fonts-ipaexfont`` serve when that is absent.
"""

import importlib.util
import io
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import pgettext

from core.names import staff_display_name

DEBIAN_FONT_PATHS = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/opentype/ipaexfont/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont/ipaexg.ttf"),
)


def _package_font():
    # find_spec locates the package without importing it (importing would load matplotlib).
    spec = importlib.util.find_spec("japanize_matplotlib")
    for folder in (spec and spec.submodule_search_locations) or ():
        path = Path(folder) / "fonts" / "ipaexg.ttf"
        if path.is_file():
            return path
    return None


def japanese_font_path():
    """The IPAexGothic TrueType file to embed: the PyPI package's, else Debian's."""
    path = _package_font() or next((p for p in DEBIAN_FONT_PATHS if p.is_file()), None)
    if path is None:
        raise ImproperlyConfigured(
            "No IPAexGothic font: install the project's dependencies (japanize-matplotlib) "
            "or Debian's fonts-ipaexfont-gothic."
        )
    return path


def document_context(report, *, for_pdf=False):
    """What the report document shows, for the print view and the PDF alike."""
    client = report.client
    sharings = list(report.sharings.select_related("employer_contact"))
    return {
        "report": report,
        "client": client,
        "office": client.office,
        "month_label": date_format(report.month, pgettext("month format", "F Y")),
        "staff_name": staff_display_name(report.staff),
        "sharings": sharings,
        "for_pdf": for_pdf,
        "font_path": str(japanese_font_path()) if for_pdf else "",
    }


def support_report_pdf(report):
    """PDF bytes of one support report version, from the print view's template."""
    from xhtml2pdf import pisa  # loaded on the first PDF, not with every page
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    font = japanese_font_path()
    html = render_to_string("contacts/report_document.html", document_context(report, for_pdf=True))
    buffer = io.BytesIO()
    # Only the font's folder may be read, and nothing over the network.
    policy = ResourceAccessPolicy(allow_remote=False, base_dir=font.parent)
    status = pisa.CreatePDF(html, dest=buffer, encoding="utf-8", resource_policy=policy)
    if status.err:
        raise RuntimeError(f"the support report PDF failed ({status.err} errors)")
    return buffer.getvalue()
