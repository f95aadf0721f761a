"""The consultation report as a PDF (WeasyPrint), for the elected and for publication:
the same content as the HTML report, laid out for A4 paper, charts included (the bars
are drawn in HTML, beside their data table)."""

from typing import Any

from django.template.loader import render_to_string


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here (Pango missing from the system)."""


def report_pdf(context: dict[str, Any], *, base_url: str) -> bytes:
    """The PDF bytes of the report rendered with `context`."""
    try:
        from weasyprint import HTML
    except OSError as error:  # Pango or its fonts are not installed
        raise PdfUnavailable(str(error)) from error
    html = render_to_string("participation/report_pdf.html", context)
    return bytes(HTML(string=html, base_url=base_url).write_pdf())
