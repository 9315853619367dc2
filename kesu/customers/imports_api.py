"""``POST /api/v1/imports/customers``: a dealer's DMS export (XLSX or CSV), checked or imported.

``?dry_run=true`` checks only; otherwise a clean file is imported at once (all or nothing).
Errors answer 422 with the same body: ``{rows, errors: [{row, column, message}], …}``.
"""

from typing import IO, cast

from django.http import HttpRequest
from ninja import File, Query, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile

from kesu.organizations.permissions import actor

from . import importing

router = Router(tags=["imports"])


class ImportQuery(Schema):
    dry_run: bool = False
    dealer: int | None = None


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class PreviewRowOut(Schema):
    row: int
    name: str
    phone: str
    plate: str
    vin: str
    model: str
    action: str


class ImportOut(Schema):
    rows: int
    errors: list[RowErrorOut]
    errors_not_listed: int
    preview: list[PreviewRowOut]
    customers_created: int
    customers_linked: int
    vehicles_created: int
    vehicles_updated: int
    imported: bool
    dry_run: bool


@router.post("/customers", response={200: ImportOut, 201: ImportOut, 422: ImportOut})
def import_customers(request: HttpRequest, query: Query[ImportQuery], file: File[UploadedFile]) -> Reply:
    check = importing.check_file if query.dry_run else importing.import_file
    report = check(
        actor=actor(request),
        dealer_id=query.dealer,
        handle=cast(IO[bytes], file.file),
        name=file.name or "",
        size=file.size or 0,
    )
    body = {**report.__dict__, "dry_run": query.dry_run}
    if not report.clean:
        return Reply(422, body)
    return Reply(200 if query.dry_run else 201, body)
