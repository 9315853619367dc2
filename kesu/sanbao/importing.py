"""Importing repair history from a dealer's DMS (XLSX or CSV): one row per workshop visit.

Checked first, every error as row, column, message (the header is row 1); imported only when
clean, in one transaction — or nothing. The vehicle is found by VIN, else plate, among the
vehicles the importer sees. At most ``MAX_ROWS`` rows.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.core.errors import Forbidden
from kesu.core.validators import normalize_plate, normalize_vin
from kesu.customers.models import Vehicle
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

from .choices import System
from .models import Repair
from .services import PartInput, RepairInput, build_repair, check_repair, repair_dealer

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

COLUMNS = {
    "vin": ("vin", "车架号", "车辆识别代号"),
    "plate": ("plate", "车牌", "车牌号"),
    "date_in": ("datein", "进厂日期", "送修日期"),
    "date_out": ("dateout", "出厂日期", "交车日期"),
    "days_in_workshop": ("days", "daysinworkshop", "修理天数", "维修天数"),
    "mileage_km": ("mileage", "mileagekm", "进厂里程", "里程"),
    "system": ("system", "故障系统", "系统"),
    "problem": ("problem", "故障", "故障现象"),
    "parts": ("parts", "更换零件"),
    "main_parts": ("mainparts", "主要零部件"),
    "assembly_replaced": ("assemblyreplaced", "更换总成"),
    "serious_safety_fault": ("safety", "严重安全性能故障"),
    "system_failure": ("failure", "失效开裂泄漏起火"),
    "quality_problem": ("quality", "质量问题"),
    "fixed": ("fixed", "已排除"),
    "description": ("description", "维修说明", "说明"),
}
_BY_ALIAS = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
# a system as a DMS writes it: the value or its Chinese name
_SYSTEMS = {
    **{value: value for value in System.values},
    "转向": System.STEERING, "转向系统": System.STEERING, "制动": System.BRAKES, "制动系统": System.BRAKES,
    "车身": System.BODY, "燃油": System.FUEL, "燃油系统": System.FUEL, "发动机": System.ENGINE,
    "变速器": System.TRANSMISSION, "变速箱": System.TRANSMISSION, "动力蓄电池": System.TRACTION_BATTERY,
    "动力电池": System.TRACTION_BATTERY, "驱动电机": System.DRIVE_MOTOR, "行驶驱动电机": System.DRIVE_MOTOR,
    "悬架": System.SUSPENSION, "悬架系统": System.SUSPENSION, "传动系统": System.DRIVETRAIN,
    "污染控制装置": System.EMISSION, "电气": System.ELECTRICAL, "电气系统": System.ELECTRICAL,
    "其他": System.OTHER,
}  # fmt: skip
_YES = {"1", "y", "yes", "true", "是", "有", "√"}
_NO = {"", "0", "n", "no", "false", "否", "无"}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Report:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    repairs_created: int = 0
    imported: bool = False

    @property
    def clean(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _key(label: str) -> str:
    return re.sub(r"[\s_\-./:：()（）]", "", label.lower())


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20_000 < value < 80_000:  # an Excel serial number
        return date(1899, 12, 30) + timedelta(days=int(value))
    text = _text(value).split(" ")[0]
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Give a date such as 2026-05-01."))


def _int(value: Any) -> int:
    text = _text(value).replace(",", "").lower().removesuffix("km").strip()
    if not re.fullmatch(r"\d+", text):
        raise ValueError(_("Give a whole number."))
    return int(text)


def _bool(value: Any) -> bool:
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(_("Give 是 or 否."))


def _rows(handle: IO[bytes]) -> Iterator[list[Any]]:
    start = handle.read(4)
    handle.seek(0)
    if start == b"PK\x03\x04":
        from openpyxl import load_workbook

        workbook = load_workbook(handle, read_only=True, data_only=True)
        try:
            yield from (list(r) for r in workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
        return
    raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    yield from csv.reader(io.StringIO(text))


def _parse(
    number: int, cells: list[Any], columns: dict[str, int], labels: dict[str, str], report: Report
) -> tuple[str, str, RepairInput] | None:
    def cell(key: str) -> Any:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    before = len(report.errors)
    values: dict[str, Any] = {}
    converters = {
        "date_in": _date, "date_out": _date, "days_in_workshop": _int, "mileage_km": _int,
        "quality_problem": _bool, "serious_safety_fault": _bool, "system_failure": _bool,
        "assembly_replaced": _bool, "fixed": _bool,
    }  # fmt: skip
    for key, convert in converters.items():
        raw = cell(key)
        if raw is None or _text(raw) == "":
            continue
        try:
            values[key] = convert(raw)
        except ValueError as exc:
            report.errors.append(RowError(number, labels[key], str(exc)))
    if "date_in" not in values and "date_in" not in {e.column for e in report.errors[before:]}:
        report.errors.append(RowError(number, labels.get("date_in", "date_in"), _("Required.")))
    system = _SYSTEMS.get(_text(cell("system")).lower()) or _SYSTEMS.get(_text(cell("system")))
    if system is None:
        report.errors.append(
            RowError(
                number, labels["system"], _("One of: %(allowed)s.") % {"allowed": ", ".join(System.values)}
            )
        )
    vin = plate = ""
    try:
        vin = normalize_vin(_text(cell("vin"))) if _text(cell("vin")) else ""
        plate = normalize_plate(_text(cell("plate"))) if _text(cell("plate")) else ""
    except ValueError as exc:
        report.errors.append(RowError(number, labels.get("vin") or labels.get("plate", ""), str(exc)))
    if not vin and not plate and len(report.errors) == before:
        report.errors.append(
            RowError(number, labels.get("vin") or labels.get("plate", ""), _("Enter the plate or the VIN."))
        )
    if len(report.errors) > before:
        return None
    main = {p.strip() for p in re.split(r"[;,，；、]", _text(cell("main_parts"))) if p.strip()}
    parts = [p.strip() for p in re.split(r"[;,，；、]", _text(cell("parts"))) if p.strip()]
    parts += [p for p in sorted(main) if p not in parts]
    data = RepairInput(
        system=str(system),
        problem=_text(cell("problem")),
        parts=[PartInput(name=p, main=p in main) for p in parts],
        description=_text(cell("description")),
        **values,
    )
    return vin, plate, data


def import_repairs(*, actor: User, handle: IO[bytes], size: int, dry_run: bool) -> Report:
    if not has_capability(actor, Capability.IMPORT_CUSTOMERS):
        raise Forbidden(_("Your role cannot import repairs."))
    report = Report()
    if size > MAX_BYTES:
        report.errors.append(
            RowError(
                0,
                "",
                _("The file is larger than %(mb)d MB; split it into smaller files.")
                % {"mb": MAX_BYTES // 2**20},
            )
        )
        return report
    try:
        source = _rows(handle)
        headers = [_text(h) for h in next(source, [])]
        columns: dict[str, int] = {}
        for index, label in enumerate(headers):
            key = _BY_ALIAS.get(_key(label))
            if label and key is None:
                report.errors.append(
                    RowError(1, label, _("Unknown column “%(column)s”.") % {"column": label})
                )
            elif key is not None:
                columns[key] = index
        for key in ("date_in", "system", "problem"):
            if key not in columns:
                report.errors.append(
                    RowError(1, key, _("Required column missing: %(column)s.") % {"column": key})
                )
        if "vin" not in columns and "plate" not in columns:
            report.errors.append(RowError(1, "vin", _("The file needs a plate or a VIN column.")))
        if report.errors:
            return report
        labels = {key: headers[index] for key, index in columns.items()}
        parsed: list[tuple[int, str, str, RepairInput]] = []
        for number, cells in enumerate(source, start=2):
            if not any(_text(v) for v in cells):
                continue
            report.rows += 1
            if report.rows > MAX_ROWS:
                report.errors.append(
                    RowError(number, "", _("At most %(n)s rows per file.") % {"n": MAX_ROWS})
                )
                return report
            row = _parse(number, list(cells), columns, labels, report)
            if row is not None:
                parsed.append((number, *row))
    except (csv.Error, zipfile.BadZipFile, UnicodeDecodeError, OSError, KeyError, ValueError):
        report.errors.append(
            RowError(0, "", _("This is not a spreadsheet: upload the DMS export as XLSX or CSV."))
        )
        return report
    visible = Vehicle.objects.visible_to(actor).select_related("customer")
    by_vin = {v.vin: v for v in visible.filter(vin__in={r[1] for r in parsed if r[1]})}
    by_plate = {v.plate: v for v in visible.filter(plate__in={r[2] for r in parsed if r[2]})}
    repairs: list[Repair] = []
    for number, vin, plate, data in parsed:
        vehicle = by_vin.get(vin) if vin else by_plate.get(plate)
        if vehicle is None:
            column = labels.get("vin", "") if vin else labels.get("plate", "")
            report.errors.append(RowError(number, column, _("No vehicle of yours with this VIN or plate.")))
            continue
        for key, message in check_repair(data, vehicle=vehicle).items():
            column = labels.get(key.split(".")[0], key)
            report.errors.append(RowError(number, column, message))
        repairs.append(
            build_repair(data, actor=actor, vehicle=vehicle, dealer_id=repair_dealer(actor, vehicle, None))
        )
    report.repairs_created = len(repairs)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        Repair.objects.bulk_create(repairs, batch_size=500)
    report.imported = True
    return report
