"""The monthly review pack as files: XLSX (one sheet per section, values as numbers) and PDF
(WeasyPrint with Noto CJK through core/pdf.py, each chart an SVG image drawn here — no plotting
library, nothing fetched)."""

import base64
import re
from datetime import date
from decimal import Decimal
from html import escape
from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from kesu.core.pdf import render_pdf

from .selectors import Chart, Section

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def xlsx(*, title: str, sections: list[Section]) -> bytes:
    """One sheet per section: a header row, then the rows as they are (numbers stay numbers)."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for section in sections:
        name = _SHEET_FORBIDDEN.sub(" ", section.title)[:28] or section.key
        base, n = name, 2
        while name in used:
            name, n = f"{base[:25]}~{n}", n + 1
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append(section.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append([_cell(value) for value in row])
        for index in range(1, len(section.columns) + 1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 18
    book.properties.title = title
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, int | float | Decimal | date | str):
        return value
    return str(value)


def svg_chart(chart: Chart, *, width: int = 640, height: int = 240) -> str:
    """A bar chart (a Pareto one adds the running share as a line) as SVG text."""
    values = [float(v or 0) for v in chart.values]
    if not values:
        return ""
    left, bottom, top = 40, 70, 14
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max(values) or 1.0
    step = plot_w / len(values)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="Noto Sans CJK SC, sans-serif" font-size="10">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#444"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{_number(peak)}</text>',
    ]
    for index, (label, value) in enumerate(zip(chart.labels, values, strict=False)):
        bar_h = plot_h * value / peak
        x = left + index * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar_h:.1f}" fill="#3b6fb6"/>'
        )
        parts.append(
            f'<text x="{x + step * 0.35:.1f}" y="{top + plot_h - bar_h - 2:.1f}" text-anchor="middle">'
            f"{_number(value)}</text>"
        )
        label_x, label_y = x + step * 0.35, top + plot_h + 12
        parts.append(
            f'<text x="{label_x:.1f}" y="{label_y}" text-anchor="end" '
            f'transform="rotate(-35 {label_x:.1f} {label_y})">{escape(str(label)[:14])}</text>'
        )
    if chart.kind == "pareto":
        total, running, points = sum(values) or 1.0, 0.0, []
        for index, value in enumerate(values):
            running += value
            points.append(f"{left + index * step + step / 2:.1f},{top + plot_h * (1 - running / total):.1f}")
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#d9822b" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pdf(*, title: str, subtitle: str, sections: list[Section]) -> bytes:
    chapters = [
        {
            "section": section,
            "rows": [[_display(value) for value in row] for row in section.rows],
            "chart": _data_url(svg_chart(section.chart)) if section.chart and section.chart.values else "",
        }
        for section in sections
    ]
    html = render_to_string(
        "reports/pack_pdf.html",
        {"title": title, "subtitle": subtitle, "chapters": chapters, "made_at": timezone.localtime()},
    )
    return render_pdf(html)


def _display(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1%}" if 0 <= value <= 1 and not value.is_integer() else f"{value:g}"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "hour") else value.strftime("%Y-%m-%d")
    return str(value)
