"""Importing a dealer's DMS export: real XLSX and CSV files built here, every bad input named by
row and column, nothing imported while anything is wrong, scope and roles on every entry point."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from conftest import PASSWORD
from kesu.core.validators import with_check_digit
from kesu.customers.models import Customer, CustomerImport, Vehicle

HEADERS = ["姓名", "手机", "车牌号", "车架号", "车型", "购车日期", "里程", "最近保养日期"]


def vin(n: int) -> str:
    return with_check_digit(f"LGBH52E0{n:09d}")


def plate(n: int) -> str:
    letters = "ABCDEFGHJK"
    return f"粤B{letters[n // 10000 % 10]}{n % 10000:04d}"


def good_rows(count: int, start: int = 0) -> list[list]:
    return [
        [
            f"客户{n}",
            f"139{n:08d}",
            plate(n),
            vin(n),
            "轩逸 2023款",
            date(2023, 5, 1),
            12000 + n,
            "2025-03-01",
        ]
        for n in range(start, start + count)
    ]


def xlsx_file(rows: list[list], headers: list = HEADERS, name: str = "dms.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows: list[list], headers: list = HEADERS, encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile("dms.csv", buffer.getvalue().encode(encoding))


def post(api, username: str, upload: SimpleUploadedFile, query: str = ""):
    client = api(username)
    return client.client.post(f"/api/v1/imports/customers{query}", {"file": upload}, **client.headers)


def errors_of(response) -> list[tuple[int, str]]:
    return [(e["row"], e["column"]) for e in response.json()["errors"]]


def test_a_clean_xlsx_previews_then_imports(api, demo):
    response = post(api, "manager1", xlsx_file(good_rows(3)), "?dry_run=true")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["rows"], body["errors"], body["customers_created"], body["imported"]) == (3, [], 3, False)
    assert body["preview"][0]["row"] == 2 and body["preview"][0]["phone"] == "139****0000"
    assert not Customer.objects.filter(mobile__startswith="139").exists()  # a preview writes nothing

    response = post(api, "manager1", xlsx_file(good_rows(3)))
    assert response.status_code == 201
    assert response.json()["imported"] is True
    customer = Customer.objects.get(mobile="13900000001")
    assert customer.dealer == demo.dealers["D1"]
    vehicle = customer.vehicles.get()
    assert (vehicle.plate, vehicle.vin, vehicle.mileage_km) == (plate(1), vin(1), 12001)
    assert (vehicle.purchase_date, vehicle.last_service_date) == (date(2023, 5, 1), date(2025, 3, 1))
    log = CustomerImport.objects.get()
    assert (log.user.username, log.rows, log.customers_created, log.vehicles_created) == ("manager1", 3, 3, 3)


def test_a_1000_customer_csv_imports(api, demo):
    response = post(api, "gm1", csv_file(good_rows(1000)))
    assert response.status_code == 201, response.json()["errors"][:3]
    assert Customer.objects.filter(dealer=demo.dealers["D1"], mobile__startswith="139").count() == 1000
    assert (
        Vehicle.objects.filter(customer__dealer=demo.dealers["D1"], vin__startswith="LGBH52E0").count()
        == 1000
    )


def test_english_headers_and_gbk_csv_are_read(api, demo):
    headers = ["Name", "Phone", "Plate", "VIN", "Model", "Purchase date", "Mileage", "Last service date"]
    response = post(api, "manager1", csv_file(good_rows(2), headers, encoding="gb18030"), "?dry_run=true")
    assert response.status_code == 200, response.json()
    assert response.json()["preview"][0]["name"] == "客户0"


def test_missing_and_unknown_columns_are_named(api, demo):
    response = post(api, "manager1", xlsx_file([["张三", "微信"]], headers=["客户姓名", "微信号"]))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert (1, "微信号") in errors_of(response)
    assert any("微信号" in e["message"] for e in errors)
    assert any(e["row"] == 1 and "手机" in e["message"] or "Phone" in e["message"] for e in errors)
    assert not CustomerImport.objects.exists()


def test_bad_vin_phone_plate_and_dates_name_row_and_column_and_nothing_is_imported(api, demo):
    rows = good_rows(4)
    rows[1][3] = "LGBH52E0X00000001"  # wrong check digit
    rows[2][1] = "1381234"  # too short
    rows[3][2] = "粤BI2345"  # I is never used
    rows[0][5] = "2099-01-01"  # purchase in the future
    response = post(api, "manager1", xlsx_file(rows))
    assert response.status_code == 422
    assert errors_of(response) == [(2, "购车日期"), (3, "车架号"), (4, "手机"), (5, "车牌号")]
    messages = [e["message"] for e in response.json()["errors"]]
    assert "校验位" in messages[1] or "check digit" in messages[1]
    assert not Customer.objects.filter(mobile__startswith="139").exists()
    assert response.json()["imported"] is False


def test_duplicates_inside_the_file(api, demo):
    rows = good_rows(3)
    rows[1][3] = rows[0][3]  # the same VIN
    rows[2][1] = rows[0][1]  # the same phone, another name
    rows[2][0] = "别人"
    response = post(api, "manager1", csv_file(rows))
    assert errors_of(response) == [(3, "车架号"), (4, "手机")]
    assert "2" in response.json()["errors"][0]["message"]
    assert not Customer.objects.filter(mobile__startswith="139").exists()


def test_same_phone_same_name_is_one_customer_with_two_vehicles(api, demo):
    rows = good_rows(2)
    rows[1][0], rows[1][1] = rows[0][0], rows[0][1]
    response = post(api, "manager1", csv_file(rows))
    assert response.status_code == 201
    assert Customer.objects.get(mobile="13900000000").vehicles.count() == 2


def test_an_existing_phone_links_the_vehicle_and_an_existing_vin_updates(api, demo):
    post(api, "manager1", csv_file(good_rows(1)))
    existing = Customer.objects.get(mobile="13900000000")
    rows = good_rows(1)
    rows[0][6] = 30000  # a later mileage for the same VIN
    extra = good_rows(1, start=5)[0]
    extra[1] = "13900000000"  # a second car of the same person
    preview = post(api, "manager1", csv_file([rows[0], extra]), "?dry_run=true").json()
    assert "车辆已更新" in preview["preview"][0]["action"] or "updated" in preview["preview"][0]["action"]
    assert existing.name in preview["preview"][1]["action"]
    response = post(api, "manager1", csv_file([rows[0], extra]))
    assert response.status_code == 201
    assert Customer.objects.filter(mobile="13900000000").count() == 1
    assert existing.vehicles.count() == 2
    assert existing.vehicles.get(vin=vin(0)).mileage_km == 30000
    assert response.json()["vehicles_updated"] == 1


def test_a_vehicle_of_another_customer_is_an_error(api, demo):
    post(api, "manager1", csv_file(good_rows(1)))
    rows = good_rows(1)
    rows[0][1] = "13700000000"
    response = post(api, "manager1", csv_file(rows))
    assert errors_of(response) == [(2, "车架号")]
    assert not Customer.objects.filter(mobile="13700000000").exists()


def test_a_non_spreadsheet_and_an_empty_file_are_refused(api, demo):
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    response = post(api, "manager1", png)
    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] == 0
    assert "XLSX" in response.json()["errors"][0]["message"]
    fake = SimpleUploadedFile("dms.xlsx", b"PK\x03\x04not really a zip")
    assert post(api, "manager1", fake).status_code == 422
    assert post(api, "manager1", SimpleUploadedFile("e.csv", b"")).status_code == 422


def test_100000_rows_are_refused_with_the_limit_without_reading_on(api, demo):
    lines = ["姓名,手机,车牌号"] + [f"客户,139{n:08d},粤B{n % 100000:05d}" for n in range(100_000)]
    upload = SimpleUploadedFile("big.csv", "\n".join(lines).encode())
    response = post(api, "manager1", upload, "?dry_run=true")
    assert response.status_code == 422
    error = response.json()["errors"][-1]
    assert error["row"] == 20_002 and "20,000" in error["message"]


@pytest.mark.parametrize(
    ("username", "query", "status"),
    [
        ("agent1", "", 403),  # the agent does not import
        ("dept1", "", 403),
        ("region1", "", 403),
        ("crc1", "", 403),
        ("manager1", "?dealer={other}", 422),  # not into another dealer
        ("admin", "", 422),  # the admin must choose the dealer
        ("admin", "?dealer={other}", 201),
        (None, "", 401),
    ],
)
def test_who_may_import_into_which_dealer(api, demo, username, query, status):
    other = demo.dealers["D2"].pk
    client = api(username)
    response = client.client.post(
        f"/api/v1/imports/customers{query.format(other=other)}",
        {"file": csv_file(good_rows(1))},
        **client.headers,
    )
    assert response.status_code == status
    imported = Customer.objects.filter(mobile="13900000000")
    assert imported.exists() == (status == 201)
    if status == 201:
        assert imported.get().dealer_id == other


def page_client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_page_previews_then_imports_on_confirm(demo):
    client = page_client("manager1")
    assert client.get("/customers/import/").status_code == 200
    preview = client.post("/customers/import/", {"file": xlsx_file(good_rows(2))}, HTTP_HX_REQUEST="true")
    assert preview.status_code == 200
    text = preview.content.decode()
    assert 'data-testid="import-preview"' in text and "139****0001" in text
    assert not Customer.objects.filter(mobile__startswith="139").exists()
    token = preview.context["token"]
    done = client.post("/customers/import/confirm/", {"token": token})
    assert done.status_code == 201
    assert Customer.objects.filter(mobile__startswith="139").count() == 2
    again = client.post("/customers/import/confirm/", {"token": token})
    assert again.status_code == 422  # a preview is confirmed once


def test_the_page_lists_errors_and_offers_no_confirm(demo):
    rows = good_rows(2)
    rows[1][1] = "12345"
    response = page_client("manager1").post("/customers/import/", {"file": csv_file(rows)})
    assert response.status_code == 422
    text = response.content.decode()
    assert 'data-testid="import-errors"' in text and "手机" in text
    assert 'data-testid="import-confirm"' not in text


def test_another_users_preview_cannot_be_confirmed(demo):
    preview = page_client("manager1").post("/customers/import/", {"file": csv_file(good_rows(1))})
    stolen = page_client("gm1").post("/customers/import/confirm/", {"token": preview.context["token"]})
    assert stolen.status_code == 422
    assert not Customer.objects.filter(mobile__startswith="139").exists()


@pytest.mark.parametrize("username", ["agent1", "dept1", "region1", "crc1"])
def test_the_page_is_refused_to_roles_without_the_capability(demo, username):
    assert page_client(username).get("/customers/import/").status_code == 403
    assert (
        page_client(username).post("/customers/import/", {"file": csv_file(good_rows(1))}).status_code == 403
    )


def test_htmx_gets_the_errors_with_a_status_it_swaps(demo):
    rows = good_rows(1)
    rows[0][1] = "12345"
    response = page_client("manager1").post(
        "/customers/import/", {"file": csv_file(rows)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'data-testid="import-errors"' in response.content.decode()
