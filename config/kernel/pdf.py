"""PDF responses (WeasyPrint), rendered on demand for one reader and never stored."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    from weasyprint import CSS, HTML

    html = render_to_string(template, context, request=request)
    # No base URL: the PDF renderer fetches nothing from outside.
    pdf = HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=finders.find("css/verslag-pdf.css"))]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
