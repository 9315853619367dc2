"""PDF documents: HTML rendered by WeasyPrint with the machine's fonts (Debian's Noto CJK for
Chinese), and the one way a PDF goes back to the browser. Shared by every app that prints
(registration form, written answer, 处理协议, incident report)."""

from django.http import HttpResponse


def render_pdf(html: str) -> bytes:
    """HTML → PDF bytes; no URL is fetched (only data: URLs), nothing is downloaded at run time."""
    from weasyprint import HTML  # slow to import: only when a document is asked for
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return bytes(HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf())


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """Shown in the browser's viewer (inline), never kept by a shared cache."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
