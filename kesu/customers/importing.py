"""Importing a dealer's customers and vehicles from its DMS export (XLSX or CSV).

upload → :func:`check_file` (a preview: the first rows, what each does, and every error as row,
column, message) → :func:`import_file` (the same checks again, then everything in one
transaction with set-based writes — or nothing at all).

Rules, as a desk would want them:
- Rows are numbered as the spreadsheet shows them: the header is row 1, the first customer row 2.
- Required columns: name and phone, and a plate or a VIN column; an unknown column is an error
  naming it (a typo must not silently drop data). Chinese headers are accepted (姓名, 手机, …).
- A phone that already belongs to a customer of this dealer links the row's vehicle to that
  customer (the preview says so); the customer's name is not overwritten.
- A VIN (or, without a VIN, a plate) already on a vehicle of that same customer updates the
  vehicle (model, mileage, dates); on another customer's vehicle it is an error.
- The same phone twice in the file is one customer with several vehicles, if the names agree;
  the same VIN or plate twice is an error naming the first row.
- At most ``MAX_ROWS`` rows and ``MAX_BYTES`` per file: a larger file is refused with a message
  saying the limit, after reading no more than the limit.
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

from kesu.core.errors import Forbidden, invalid
from kesu.core.validators import mask_mobile, normalize_mobile, normalize_plate, normalize_vin, safe_file_name
from kesu.organizations.choices import OrgKind
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, has_capability
from kesu.organizations.scope import scope_for, user_dealer_id

from .models import Customer, CustomerImport, Vehicle

MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 20
MAX_ERRORS = 500  # listed; beyond, one line says how many more
BATCH = 1000
IN_CHUNK = 500  # values per IN (...) lookup, within every database's parameter limit

# a column as the file may name it (the headers a DMS writes, not UI text)
COLUMNS = {
    "name": "姓名 (name)",
    "phone": "手机 (phone)",
    "plate": "车牌号 (plate)",
    "vin": "车架号 (VIN)",
    "model": "车型 (model)",
    "purchase_date": "购车日期 (purchase date)",
    "mileage": "里程 (mileage)",
    "last_service_date": "最近保养日期 (last service date)",
}
ALIASES = {
    "name": ("name", "customer", "customername", "姓名", "客户姓名", "客户名称", "客户", "车主", "车主姓名"),
    "phone": (
        "phone",
        "mobile",
        "mobilephone",
        "phonenumber",
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
    ),
    "plate": ("plate", "licenseplate", "plateno", "车牌", "车牌号", "车牌号码"),
    "vin": ("vin", "车架号", "vin码", "车辆识别代号", "车架号(vin)"),
    "model": ("model", "modelname", "车型"),
    "purchase_date": ("purchasedate", "purchased", "购车日期", "购买日期"),
    "mileage": ("mileage", "mileagekm", "里程", "里程(km)", "行驶里程", "公里数"),
    "last_service_date": ("lastservicedate", "lastservice", "最近保养日期", "最后保养日期", "上次保养日期"),
}
_BY_ALIAS = {alias: key for key, aliases in ALIASES.items() for alias in aliases}
REQUIRED = ("name", "phone")


def _header_key(text: Any) -> str:
    value = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return re.sub(r"[\s_\-./:：]", "", value)


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PreviewRow:
    row: int
    name: str
    phone: str  # masked
    plate: str
    vin: str
    model: str
    action: str


@dataclass
class Report:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    customers_created: int = 0
    customers_linked: int = 0
    vehicles_created: int = 0
    vehicles_updated: int = 0
    imported: bool = False
    errors_not_listed: int = 0

    def error(self, row: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))
        else:
            self.errors_not_listed += 1

    @property
    def clean(self) -> bool:
        return not self.errors and not self.errors_not_listed


@dataclass
class _Row:
    row: int
    name: str
    mobile: str
    plate: str
    vin: str
    model: str
    purchase_date: date | None
    mileage: int | None
    last_service_date: date | None


class NotASpreadsheet(Exception):
    pass


# --- reading -----------------------------------------------------------------------------------


def _xlsx_rows(handle: IO[bytes]) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise NotASpreadsheet from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


def _csv_rows(handle: IO[bytes]) -> Iterator[list[Any]]:
    head = handle.read(64 * 1024)
    handle.seek(0)
    if b"\x00" in head:
        raise NotASpreadsheet
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut at the end of the sample: UTF-8 still
            return _csv_text_rows(handle, "utf-8-sig")
        # Chinese DMS exports are often GBK; a cut multi-byte character at the end is fine
        try:
            head[:-4].decode("gb18030")
        except UnicodeDecodeError:
            raise NotASpreadsheet from exc
        encoding = "gb18030"
    return _csv_text_rows(handle, encoding)


def _csv_text_rows(handle: IO[bytes], encoding: str) -> Iterator[list[Any]]:
    text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
    try:
        sample = text.read(8192)
        text.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from csv.reader(text, dialect)
    finally:
        text.detach()


def _rows_of(handle: IO[bytes], name: str) -> Iterator[list[Any]]:
    start = handle.read(8)
    handle.seek(0)
    if start.startswith(b"PK\x03\x04"):
        return _xlsx_rows(handle)
    if start.startswith(b"\xd0\xcf\x11\xe0") or name.lower().endswith((".xls", ".xlsx")):
        raise NotASpreadsheet
    return _csv_rows(handle)


# --- cells -------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone typed as a number in Excel: 13812345678.0
    return unicodedata.normalize("NFKC", str(value)).strip()


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20_000 < value < 80_000:  # an Excel serial number
        return date(1899, 12, 30) + timedelta(days=int(value))
    text = _text(value).split(" ")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Give a date such as 2026-05-01."))


def _mileage(value: Any) -> int:
    text = _text(value).replace(",", "").lower().removesuffix("km").strip()
    try:
        number = float(text)
    except ValueError:
        raise ValueError(_("Give the mileage in km as a number.")) from None
    if not number.is_integer() or not 0 <= number <= 3_000_000:
        raise ValueError(_("Mileage must be between 0 and 3,000,000 km."))
    return int(number)


# --- checking ----------------------------------------------------------------------------------


def _columns(headers: list[Any], report: Report) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        label = _text(header)
        if not label:
            continue
        key = _BY_ALIAS.get(_header_key(label))
        if key is None:
            report.error(
                1,
                label,
                _("Unknown column “%(column)s”; the columns are: %(known)s.")
                % {"column": label, "known": ", ".join(str(v) for v in COLUMNS.values())},
            )
        elif key in found:
            report.error(1, label, _("Column “%(column)s” appears twice.") % {"column": label})
        else:
            found[key] = index
    for key in REQUIRED:
        if key not in found:
            report.error(
                1, str(COLUMNS[key]), _("Required column missing: %(column)s.") % {"column": COLUMNS[key]}
            )
    if "plate" not in found and "vin" not in found:
        report.error(1, str(COLUMNS["plate"]), _("The file needs a plate or a VIN column."))
    return found


def _parse_row(
    number: int, cells: list[Any], columns: dict[str, int], labels: dict[str, str], report: Report
) -> _Row | None:
    def cell(key: str) -> Any:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    before = len(report.errors) + report.errors_not_listed
    today = date.today()

    def check(key: str, convert: Any) -> Any:
        raw = cell(key)
        if raw is None or _text(raw) == "":
            return None
        try:
            return convert(raw)
        except ValueError as exc:
            report.error(number, labels[key], str(exc))
            return None

    name = _text(cell("name"))
    if not name:
        report.error(number, labels["name"], _("Enter the customer's name."))
    elif len(name) > 60:
        report.error(number, labels["name"], _("A name has at most 60 characters."))
    mobile = ""
    if not _text(cell("phone")):
        report.error(number, labels["phone"], _("Enter the customer's mobile number."))
    else:
        mobile = check("phone", lambda v: normalize_mobile(_text(v))) or ""
    plate = check("plate", lambda v: normalize_plate(_text(v))) or ""
    vin = check("vin", lambda v: normalize_vin(_text(v))) or ""
    if not _text(cell("plate")) and not _text(cell("vin")):
        column = labels.get("plate") or labels.get("vin") or str(COLUMNS["plate"])
        report.error(number, column, _("Enter the plate or the VIN."))
    model = _text(cell("model"))
    if len(model) > 60:
        report.error(number, labels["model"], _("At most %(n)d characters.") % {"n": 60})
    purchase = check("purchase_date", _date)
    if purchase and purchase > today:
        report.error(number, labels["purchase_date"], _("The purchase date cannot be in the future."))
    serviced = check("last_service_date", _date)
    if serviced and serviced > today:
        report.error(number, labels["last_service_date"], _("The last service date cannot be in the future."))
    elif serviced and purchase and purchase <= today and serviced < purchase:
        report.error(
            number, labels["last_service_date"], _("The last service cannot be before the purchase date.")
        )
    mileage = check("mileage", _mileage)
    if len(report.errors) + report.errors_not_listed > before:
        return None
    return _Row(number, name, mobile, plate, vin, model, purchase, mileage, serviced)


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


@dataclass
class _Plan:
    new_customers: dict[str, _Row] = field(default_factory=dict)  # mobile → first row
    existing: dict[str, Customer] = field(default_factory=dict)  # mobile → customer
    new_vehicles: list[_Row] = field(default_factory=list)
    updates: list[tuple[Vehicle, _Row]] = field(default_factory=list)


def _plan(dealer: Organization, rows: list[_Row], labels: dict[str, str], report: Report) -> _Plan:
    plan = _Plan()
    mobiles = sorted({r.mobile for r in rows})
    for chunk in _chunks(mobiles):
        for customer in Customer.objects.filter(dealer=dealer, mobile__in=chunk).order_by("pk"):
            plan.existing.setdefault(customer.mobile, customer)
    by_vin: dict[str, Vehicle] = {}
    by_plate: dict[str, Vehicle] = {}
    dealer_vehicles = Vehicle.objects.filter(customer__dealer=dealer).select_related("customer")
    for chunk in _chunks(sorted({r.vin for r in rows if r.vin})):
        by_vin.update((v.vin, v) for v in dealer_vehicles.filter(vin__in=chunk))
    for chunk in _chunks(sorted({r.plate for r in rows if r.plate})):
        by_plate.update((v.plate, v) for v in dealer_vehicles.filter(plate__in=chunk))

    seen_vin: dict[str, int] = {}
    seen_plate: dict[str, int] = {}
    for row in rows:
        vin_column, plate_column, phone_column = (
            labels.get("vin", ""),
            labels.get("plate", ""),
            labels["phone"],
        )
        if row.vin and row.vin in seen_vin:
            report.error(row.row, vin_column, _("The same VIN as row %(row)d.") % {"row": seen_vin[row.vin]})
            continue
        if row.plate and row.plate in seen_plate:
            report.error(
                row.row, plate_column, _("The same plate as row %(row)d.") % {"row": seen_plate[row.plate]}
            )
            continue
        if row.vin:
            seen_vin[row.vin] = row.row
        if row.plate:
            seen_plate[row.plate] = row.row
        first = plan.new_customers.get(row.mobile)
        if first is not None and first.name != row.name:
            report.error(
                row.row,
                phone_column,
                _("Row %(row)d has this phone for another name (%(name)s).")
                % {"row": first.row, "name": first.name},
            )
            continue
        existing_customer = plan.existing.get(row.mobile)
        vehicle = by_vin.get(row.vin) if row.vin else None
        if vehicle is None and row.plate:
            vehicle = by_plate.get(row.plate)
            if vehicle is not None and row.vin and vehicle.vin and vehicle.vin != row.vin:
                report.error(
                    row.row,
                    plate_column,
                    _("This plate is on another vehicle of the dealer (VIN %(vin)s).") % {"vin": vehicle.vin},
                )
                continue
        if vehicle is not None and vehicle.customer.mobile != row.mobile:
            column = vin_column if vehicle.vin and vehicle.vin == row.vin else plate_column
            report.error(
                row.row,
                column,
                _("This vehicle belongs to another customer of the dealer (%(owner)s).")
                % {"owner": f"{vehicle.customer.name} {mask_mobile(vehicle.customer.mobile)}"},
            )
            continue
        if existing_customer is not None:
            action = _("Existing customer %(name)s (%(phone)s): ") % {
                "name": existing_customer.name,
                "phone": mask_mobile(existing_customer.mobile),
            }
        elif first is not None:
            action = _("Same customer as row %(row)d: ") % {"row": first.row}
        else:
            plan.new_customers[row.mobile] = row
            action = _("New customer: ")
        if vehicle is not None:
            plan.updates.append((vehicle, row))
            action += _("vehicle updated")
        else:
            plan.new_vehicles.append(row)
            action += _("vehicle added")
        if len(report.preview) < PREVIEW_ROWS:
            report.preview.append(
                PreviewRow(row.row, row.name, mask_mobile(row.mobile), row.plate, row.vin, row.model, action)
            )
    report.customers_created = len(plan.new_customers)
    report.customers_linked = len({r.mobile for r in rows if r.mobile in plan.existing})
    report.vehicles_created = len(plan.new_vehicles)
    report.vehicles_updated = len(plan.updates)
    return plan


def import_dealer(*, actor: User, dealer_id: int | None) -> Organization:
    """The dealer the file goes into: the actor's own, or (admin) one chosen in scope."""
    if not has_capability(actor, Capability.IMPORT_CUSTOMERS):
        raise Forbidden(_("Your role cannot import customers."))
    own = user_dealer_id(actor)
    if own is not None:
        if dealer_id not in (None, own):
            raise invalid("dealer", _("You can only import into your own dealer."))
        dealer_id = own
    if dealer_id is None:
        raise invalid("dealer", _("Choose the dealer the customers belong to."))
    scope = scope_for(actor)
    if not (scope.everything or dealer_id in scope.dealer_ids):
        raise invalid("dealer", _("This dealer is not in your scope."))
    dealer = Organization.objects.filter(pk=dealer_id, kind=OrgKind.DEALER).first()
    if dealer is None:
        raise invalid("dealer", _("No such dealer."))
    return dealer


def _read(handle: IO[bytes], name: str, size: int, report: Report) -> tuple[list[_Row], dict[str, str]]:
    if size > MAX_BYTES:
        report.error(
            0,
            "",
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)},
        )
        return [], {}
    if size == 0:
        report.error(0, "", _("The file is empty."))
        return [], {}
    try:
        source = _rows_of(handle, name)
        headers = next(source, None)
        while headers is not None and not any(_text(v) for v in headers):
            headers = next(source, None)
        if headers is None:
            report.error(0, "", _("The file is empty."))
            return [], {}
        columns = _columns(list(headers), report)
        if not report.clean:
            return [], {}
        labels = {key: _text(headers[index]) for key, index in columns.items()}
        rows: list[_Row] = []
        number = 1
        for cells in source:
            number += 1
            if not any(_text(v) for v in cells):
                continue
            report.rows += 1
            if report.rows > MAX_ROWS:
                report.rows = MAX_ROWS
                report.error(
                    number,
                    "",
                    _(
                        "A file holds at most %(n)s customer rows; this one has more. "
                        "Split it into files of up to %(n)s rows."
                    )
                    % {"n": f"{MAX_ROWS:,}"},
                )
                return [], labels
            parsed = _parse_row(number, list(cells), columns, labels, report)
            if parsed is not None:
                rows.append(parsed)
        return rows, labels
    except (NotASpreadsheet, csv.Error, zipfile.BadZipFile):
        report.error(0, "", _("This is not a spreadsheet: upload the DMS export as XLSX or CSV."))
        return [], {}


def check_file(*, actor: User, dealer_id: int | None, handle: IO[bytes], name: str, size: int) -> Report:
    """The preview: nothing is written."""
    dealer = import_dealer(actor=actor, dealer_id=dealer_id)
    report = Report()
    rows, labels = _read(handle, name, size, report)
    if rows:  # every row's errors at once: duplicates too, even where other rows are wrong
        _plan(dealer, rows, labels, report)
    elif report.clean:
        report.error(0, "", _("The file has a header but no customer rows."))
    return report


def import_file(*, actor: User, dealer_id: int | None, handle: IO[bytes], name: str, size: int) -> Report:
    """Check again, then import everything in one transaction — or, with any error, nothing."""
    dealer = import_dealer(actor=actor, dealer_id=dealer_id)
    report = Report()
    rows, labels = _read(handle, name, size, report)
    if not rows and report.clean:
        report.error(0, "", _("The file has a header but no customer rows."))
    if not report.clean:
        return report
    with transaction.atomic():
        plan = _plan(dealer, rows, labels, report)
        if not report.clean:
            return report
        created = Customer.objects.bulk_create(
            [Customer(dealer=dealer, name=r.name, mobile=r.mobile) for r in plan.new_customers.values()],
            batch_size=BATCH,
        )
        owner_of: dict[str, int] = {c.mobile: c.pk for c in plan.existing.values()}
        if created and created[0].pk is None:  # a database that does not return ids
            for chunk in _chunks(list(plan.new_customers)):
                owner_of.update(
                    Customer.objects.filter(dealer=dealer, mobile__in=chunk).values_list("mobile", "pk")
                )
        else:
            owner_of.update((c.mobile, c.pk) for c in created)
        Vehicle.objects.bulk_create(
            [
                Vehicle(
                    customer_id=owner_of[r.mobile],
                    plate=r.plate,
                    vin=r.vin,
                    model_name=r.model,
                    mileage_km=r.mileage,
                    purchase_date=r.purchase_date,
                    last_service_date=r.last_service_date,
                )
                for r in plan.new_vehicles
            ],
            batch_size=BATCH,
        )
        changed = []
        for vehicle, row in plan.updates:
            vehicle.plate = row.plate or vehicle.plate
            vehicle.vin = row.vin or vehicle.vin
            vehicle.model_name = row.model or vehicle.model_name
            vehicle.mileage_km = row.mileage if row.mileage is not None else vehicle.mileage_km
            vehicle.purchase_date = row.purchase_date or vehicle.purchase_date
            vehicle.last_service_date = row.last_service_date or vehicle.last_service_date
            changed.append(vehicle)
        Vehicle.objects.bulk_update(
            changed,
            ["plate", "vin", "model_name", "mileage_km", "purchase_date", "last_service_date"],
            batch_size=BATCH,
        )
        CustomerImport.objects.create(
            dealer=dealer,
            user=actor,
            file_name=safe_file_name(name, max_bytes=600) if name else "",
            rows=report.rows,
            customers_created=report.customers_created,
            customers_linked=report.customers_linked,
            vehicles_created=report.vehicles_created,
            vehicles_updated=report.vehicles_updated,
        )
    report.imported = True
    return report
