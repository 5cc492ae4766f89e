"""HTML to PDF: the one home of the project's printed documents.

A document is one Django template that serves both as the print view in the browser and as the
PDF: the view renders it with ``for_pdf`` False, the PDF renders it with ``pdf_context()`` and
hands the HTML to ``html_to_pdf``, which draws it with xhtml2pdf (which builds on reportlab).
The support report (``contacts/pdf.py``) and the monthly service record (``billing/pdf.py``)
both go through here.

Japanese is set in IPAexGothic, a TrueType font that reportlab embeds as a subset, so the PDF
reads the same in every viewer. The font comes from a package, never from the repository: the
PyPI package ``japanize-matplotlib`` ships ``ipaexg.ttf`` (a project dependency, found without
importing it), and Debian's ``fonts-ipaexfont-gothic`` / ``fonts-ipaexfont`` serve when that is
absent. A template declares it with ``@font-face`` when ``for_pdf`` is set (see
``contacts/templates/contacts/report_document.html``).
"""

import importlib.util
import io
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

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


def pdf_context(for_pdf):
    """The keys every document template reads: ``for_pdf`` and, for the PDF, ``font_path``."""
    return {"for_pdf": for_pdf, "font_path": str(japanese_font_path()) if for_pdf else ""}


def html_to_pdf(html, *, what="document"):
    """PDF bytes of a document template's HTML (rendered with ``pdf_context(True)``)."""
    from xhtml2pdf import pisa  # loaded on the first PDF, not with every page
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    font = japanese_font_path()
    buffer = io.BytesIO()
    # Only the font's folder may be read, and nothing over the network.
    policy = ResourceAccessPolicy(allow_remote=False, base_dir=font.parent)
    status = pisa.CreatePDF(html, dest=buffer, encoding="utf-8", resource_policy=policy)
    if status.err:
        raise RuntimeError(f"the {what} PDF failed ({status.err} errors)")
    return buffer.getvalue()
