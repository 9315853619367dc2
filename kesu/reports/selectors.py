"""What other apps read from reports: the shape of a review-pack section (apps that contribute
sections to the monthly pack return one; see ``review_pack_sections`` in reports/apps.py)."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(kw_only=True)
class Chart:
    """A bar (or Pareto) chart drawn in the PDF: one value per label."""

    labels: list[str]
    values: list[float]
    kind: str = "bar"  # bar | pareto


@dataclass(kw_only=True)
class Section:
    """One section of the monthly review pack: a sheet of the XLSX, a chapter of the PDF.

    ``rows`` hold real values (numbers as int/float/Decimal, dates as date/datetime, text as
    str), never numbers formatted as text: the XLSX keeps them as numbers. ``order`` sorts the
    sections (statistics first; an app's "last month's actions reviewed first" can take a low
    number); ties keep the order of the apps and of their lists."""

    key: str  # stable, short: the sheet's name comes from the title
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""
    chart: Chart | None = None
    order: int = 100
