"""Exports: a list in scope as XLSX or CSV, streamed row by row so a million rows keep memory
flat, names and phones masked by role, every export logged with its row count.

Entry points (api.py, views.py) turn request parameters into a scoped queryset (the complaint
queue's one function in ``kesu.complaints.queries``) and hand it here.
"""

import csv
import io
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.choices import Category, Channel, Satisfaction, Severity, Status
from kesu.complaints.models import Complaint
from kesu.core.errors import Forbidden
from kesu.core.validators import mask_mobile, mask_name, mask_plate, mask_vin
from kesu.customers.models import Customer
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import user_dealer_id

from .choices import ExportFormat, ExportList
from .models import ExportLog

CHUNK_ROWS = 2000  # rows read per database round trip (a server-side cursor on PostgreSQL)
CSV_FLUSH_ROWS = 500  # CSV rows per chunk sent to the client
XLSX_BATCH_ROWS = 500  # XLSX rows compressed and sent together
SHEET_ROWS = 1_000_000  # an XLSX sheet holds 1,048,576 rows: a longer list continues on the next
CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
}
FORMULA_START = ("=", "+", "-", "@")  # a cell starting so is a formula to Excel: kept as text


@dataclass(frozen=True)
class Masking:
    names: bool = True  # True: 张**
    phones: bool = True  # True: 138****1234
    vehicles: bool = True  # True: 粤A·***45, the VIN without its serial (as on the pages)

    def name(self, value: str) -> str:
        return mask_name(value) if self.names else value

    def phone(self, value: str) -> str:
        return mask_mobile(value) if self.phones else value

    def plate(self, value: str) -> str:
        return mask_plate(value) if self.vehicles else value

    def vin(self, value: str) -> str:
        return mask_vin(value) if self.vehicles else value


def masking_for(actor: User, *, full_phones: bool = False) -> Masking:
    """Names unmasked for the roles that talk to customers; phones masked unless full numbers
    are asked for by a role allowed them."""
    return Masking(
        names=not has_capability(actor, Capability.EXPORT_NAMES),
        phones=not (full_phones and has_capability(actor, Capability.EXPORT_FULL_PHONES)),
        vehicles=not has_capability(actor, Capability.SEE_IDENTITIES),
    )


def start_export(
    *,
    actor: User,
    list_name: ExportList,
    fmt: ExportFormat,
    params: dict[str, Any],
    full_phones: bool = False,
) -> tuple[ExportLog, Masking]:
    """Refuse roles that may not export; log the export (rows counted later by :func:`stream`)."""
    if not has_capability(actor, Capability.EXPORT):
        raise Forbidden(_("Your role cannot export lists."))
    masking = masking_for(actor, full_phones=full_phones)
    log = ExportLog.objects.create(
        user=actor,
        dealer_id=user_dealer_id(actor),
        list_name=list_name,
        format=fmt,
        params={k: v for k, v in params.items() if k not in ("format", "csrfmiddlewaretoken")},
        full_phones=not masking.phones,
        names_masked=masking.names,
    )
    return log, masking


def _local(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: Iterable[list[Any]]


def complaint_table(queryset: "QuerySet[Complaint]", masking: Masking) -> Table:
    """The queue's columns, one row per complaint, in the queryset's order."""
    headers = [
        _("Number"),
        _("Dealer"),
        _("Status"),
        _("Channel"),
        _("Received at"),
        _("Customer"),
        _("Mobile"),
        _("Plate"),
        _("VIN"),
        _("Model"),
        _("Category"),
        _("Severity"),
        _("Department"),
        _("Assignee"),
        _("Due at"),
        _("Closed at"),
        _("Satisfaction"),
    ]
    # translated once, not once a cell
    labels = {
        kind: {code: str(label) for code, label in choices}
        for kind, choices in (
            ("status", Status.choices),
            ("channel", Channel.choices),
            ("category", Category.choices),
            ("severity", Severity.choices),
            ("satisfaction", Satisfaction.choices),
        )
    }
    values = queryset.values_list(
        "number",
        "dealer__name",
        "status",
        "channel",
        "received_at",
        "customer__name",
        "customer__mobile",
        "vehicle__plate",
        "vehicle__vin",
        "vehicle__model_name",
        "category",
        "severity",
        "department__name",
        "assignee__display_name",
        "assignee__username",
        "due_at",
        "closed_at",
        "satisfaction",
    )

    def rows() -> Iterator[list[Any]]:
        def label(kind: str, code: str) -> str:
            return labels[kind].get(code, code) if code else ""

        for (
            number, dealer, status, channel, received_at, name, mobile, plate, vin, model,
            category, severity, department, assignee_name, assignee_login, due_at, closed_at,
            satisfaction,
        ) in values.iterator(chunk_size=CHUNK_ROWS):  # fmt: skip
            yield [
                number,
                dealer or "",
                label("status", status),
                label("channel", channel),
                _local(received_at),
                masking.name(name or ""),
                masking.phone(mobile or ""),
                masking.plate(plate or ""),
                masking.vin(vin or ""),
                model or "",
                label("category", category),
                label("severity", severity),
                department or "",
                assignee_name or assignee_login or "",
                _local(due_at),
                _local(closed_at),
                label("satisfaction", satisfaction),
            ]

    return Table(headers, rows())


def customer_table(queryset: "QuerySet[Customer]", masking: Masking) -> Table:
    """One row per customer (newest first when unordered)."""
    headers = [_("Customer name"), _("Mobile"), _("Dealer"), _("VIP / key account"), _("Registered at")]
    if not queryset.query.order_by:
        queryset = queryset.order_by(F("created_at").desc(), "-pk")
    values = queryset.values_list("name", "mobile", "dealer__name", "is_vip", "created_at")

    def rows() -> Iterator[list[Any]]:
        yes, no = _("Yes"), _("No")
        for name, mobile, dealer, is_vip, created_at in values.iterator(chunk_size=CHUNK_ROWS):
            yield [
                masking.name(name),
                masking.phone(mobile),
                dealer,
                yes if is_vip else no,
                _local(created_at),
            ]

    return Table(headers, rows())


def _as_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_chunks(table: Table, counter: list[int]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8 (Chinese intact)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_as_text(v) for v in row])
        counter[0] += 1
        if counter[0] % CSV_FLUSH_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


# --- XLSX: SpreadsheetML written straight into a zip stream ---------------------------------------
# openpyxl's write-only workbook spends ~25 µs a cell (1.7 M cells for 100,000 queue rows: close to
# a minute on this machine) and can only be sent once finished. The sheet below is the same
# format written directly — inline strings, one zip entry per sheet, deflate level 1 — so the
# bytes go to the client while rows are read, at a few µs a cell; openpyxl (and Excel, WPS)
# read it back (kesu/exports/tests).

_XML_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{chr(c): " " for c in range(32) if c not in (9, 10, 13)}}
)
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_STATIC = {
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="等线"/></font>'
        '<font><b/><sz val="11"/><name val="等线"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}


class _Sink(io.RawIOBase):
    """Where the zip writes; drained after every few rows (never seeked: zip data descriptors)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _xml_row(number: int, values: list[Any], columns: list[str], style: str = "") -> str:
    cells = []
    for column, value in zip(columns, values, strict=False):
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            text = str(value)
            if _NEEDS_ESCAPE.search(text):
                text = text.translate(_XML_ESCAPES)
            space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
            cells.append(f'<c r="{column}{number}" t="inlineStr"{style}><is><t{space}>{text}</t></is></c>')
        else:
            cells.append(f'<c r="{column}{number}"{style}><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _xlsx_chunks(table: Table, counter: list[int], title: str) -> Iterator[bytes]:
    sink = _Sink()
    columns = _column_letters(len(table.headers))
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" state="frozen"/>'
        "</sheetView></sheetViews><sheetData>" + _xml_row(1, table.headers, columns, ' s="1"')
    )
    sheets = 0
    rows = iter(table.rows)
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        more = True
        while more and (sheets == 0 or counter[0] == sheets * SHEET_ROWS):
            sheets += 1
            with archive.open(f"xl/worksheets/sheet{sheets}.xml", "w", force_zip64=True) as part:
                part.write(head.encode())
                batch: list[str] = []
                number = 1
                for row in rows:
                    number += 1
                    counter[0] += 1
                    batch.append(_xml_row(number, row, columns))
                    if len(batch) == XLSX_BATCH_ROWS:
                        part.write("".join(batch).encode())
                        batch = []
                        yield sink.drain()
                    if number > SHEET_ROWS:
                        break
                else:
                    more = False
                part.write(("".join(batch) + "</sheetData></worksheet>").encode())
            yield sink.drain()
        names = [title] + [f"{title} {n}" for n in range(2, sheets + 1)]
        parts = dict(_XLSX_STATIC)
        parts["xl/workbook.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(
                f'<sheet name="{name.translate(_XML_ESCAPES)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in enumerate(names, start=1)
            )
            + "</sheets></workbook>"
        )
        parts["xl/_rels/workbook.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, sheets + 1)
            )
            + f'<Relationship Id="rId{sheets + 1}" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/styles" Target="styles.xml"/></Relationships>'
        )
        parts["[Content_Types].xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.styles+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for n in range(1, sheets + 1)
            )
            + "</Types>"
        )
        for name, text in parts.items():
            archive.writestr(name, text)
    yield sink.drain()


def stream(log: ExportLog, table: Table) -> Generator[bytes, None, None]:
    """The file's bytes; when the stream ends the log gets its row count (and, if the client
    went away first, the rows sent so far without a finish time)."""
    counter = [0]
    title = str(ExportList(log.list_name).label)[:31]
    chunks = (
        _xlsx_chunks(table, counter, title)
        if log.format == ExportFormat.XLSX
        else _csv_chunks(table, counter)
    )
    finished = False
    try:
        yield from chunks
        finished = True
    finally:
        ExportLog.objects.filter(pk=log.pk).update(
            row_count=counter[0], finished_at=timezone.now() if finished else None
        )


def file_name(log: ExportLog) -> str:
    stamp = timezone.localtime(log.at).strftime("%Y%m%d-%H%M")
    return f"{log.list_name}-{stamp}.{log.format}"
