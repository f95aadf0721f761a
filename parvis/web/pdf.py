"""HTML to PDF with WeasyPrint, for the reports (consultations, monthly measurement):
A4 pages laid out by each report's own print template; charts are inline SVG or
HTML bars, which WeasyPrint draws."""

from typing import Any

from django.template.loader import render_to_string


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here (Pango missing from the system)."""


def render_pdf(template_name: str, context: dict[str, Any], *, base_url: str) -> bytes:
    """The PDF bytes of `template_name` rendered with `context`."""
    try:
        from weasyprint import HTML
    except OSError as error:  # Pango or its fonts are not installed
        raise PdfUnavailable(str(error)) from error
    html = render_to_string(template_name, context)
    # Tagged PDF/UA: the structure (headings, tables, figures) reaches screen readers.
    return bytes(HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1"))
