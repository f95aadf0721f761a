"""The consultation report as a PDF (WeasyPrint), for the elected and for publication:
the same content as the HTML report, laid out for A4 paper, charts included (the bars
are drawn in HTML, beside their data table)."""

from typing import Any

from parvis.web.pdf import PdfUnavailable, render_pdf

__all__ = ["PdfUnavailable", "report_pdf"]


def report_pdf(context: dict[str, Any], *, base_url: str) -> bytes:
    """The PDF bytes of the report rendered with `context`."""
    return render_pdf("participation/report_pdf.html", context, base_url=base_url)
