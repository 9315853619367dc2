"""Exports as a user gets them: the file opens (openpyxl, csv), the headers are the queue's, the
rows are the user's scope, names and phones masked by role, and every export is logged with its
row count once the stream ends."""

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import PASSWORD
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.exports.models import ExportLog
from kesu.exports.services import mask_name


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def sheet_rows(data: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def complaints(demo):
    """Two complaints at dealer 1, one at dealer 2, each with its own customer."""
    a = make_complaint(demo, 1, customer=make_customer(demo, 1, mobile="13812340001", plate="粤A10001"))
    b = make_complaint(demo, 1, customer=make_customer(demo, 1, mobile="13812340002", plate="粤A10002"))
    c = make_complaint(demo, 2, customer=make_customer(demo, 2, mobile="13812340003", plate="粤B10003"))
    return a, b, c


def test_xlsx_export_opens_with_the_queue_headers_masked_phones_and_only_own_dealer(api, complaints):
    a, b, c = complaints
    response = api("agent1").get("/api/v1/complaints/export?format=xlsx&status=received&status=investigating")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = sheet_rows(body_of(response))
    assert rows[0][:8] == ["编号", "经销商", "状态", "渠道", "受理时间", "客户", "手机", "车牌"]
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {a.number, b.number}  # dealer 2's complaint is not there
    assert {row[6] for row in rows[1:]} == {"138****0001", "138****0002"}
    assert {row[5] for row in rows[1:]} == {"张先生"}  # the desk sees names
    log = ExportLog.objects.get(pk=int(response["X-Export-Log"]))
    assert (log.user.username, log.list_name, log.format, log.row_count) == (
        "agent1",
        "complaints",
        "xlsx",
        2,
    )
    assert log.finished_at is not None
    assert log.params["status"] == ["received", "investigating"]


def test_agent_of_dealer_b_exports_no_dealer_a_rows_as_csv_page(demo, complaints):
    a, b, c = complaints
    response = client_for("agent2").get("/exports/complaints.csv?status=any")
    assert response.status_code == 200
    data = body_of(response)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Chinese as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "编号"
    assert [row[0] for row in rows[1:]] == [c.number]
    assert rows[1][6] == "138****0003"
    log = ExportLog.objects.get()
    assert (log.user.username, log.format, log.row_count, log.params) == (
        "agent2",
        "csv",
        1,
        {"status": "any"},
    )


def test_the_page_export_follows_the_queue_search_and_view(demo, complaints):
    a, b, c = complaints
    response = client_for("agent1").get(f"/exports/complaints.csv?status=any&q={a.number}")
    rows = list(csv.reader(io.StringIO(body_of(response).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [a.number]


def test_roles_that_do_not_deal_with_customers_see_masked_names(api, complaints):
    rows = sheet_rows(body_of(api("region1").get("/api/v1/complaints/export?format=xlsx&status=received")))
    assert len(rows) == 4  # both dealers of the region
    assert {row[5] for row in rows[1:]} == {"张**"}
    assert ExportLog.objects.get().names_masked
    # plates and VINs as on the pages (issue 16): province, city letter and last two; no serial
    assert {row[7] for row in rows[1:]} == {"粤A·***01", "粤A·***02", "粤B·***03"}
    assert all(row[8].endswith("******") and len(row[8]) == 17 for row in rows[1:])
    desk = sheet_rows(body_of(api("agent1").get("/api/v1/complaints/export?format=xlsx&status=received")))
    assert {row[7] for row in desk[1:]} == {"粤A10001", "粤A10002"}


def test_full_phones_only_for_managers_who_ask(api, complaints):
    managed = sheet_rows(
        body_of(api("manager1").get("/api/v1/complaints/export?phones=full&status=received"))
    )
    assert {row[6] for row in managed[1:]} == {"13812340001", "13812340002"}
    asked = sheet_rows(body_of(api("agent1").get("/api/v1/complaints/export?phones=full&status=received")))
    assert {row[6] for row in asked[1:]} == {"138****0001", "138****0002"}
    default = sheet_rows(body_of(api("manager1").get("/api/v1/complaints/export?status=received")))
    assert {row[6] for row in default[1:]} == {"138****0001", "138****0002"}
    flags = list(ExportLog.objects.order_by("pk").values_list("user__username", "full_phones"))
    assert flags == [("manager1", True), ("agent1", False), ("manager1", False)]


def test_department_staff_and_strangers_cannot_export(api, demo, complaints):
    response = api("dept1").get("/api/v1/complaints/export?format=csv")
    assert response.status_code == 403
    assert client_for("dept1").get("/exports/complaints.xlsx").status_code == 403
    assert api(None).get("/api/v1/complaints/export").status_code == 401
    assert Client().get("/exports/complaints.xlsx").status_code == 302  # to the login
    assert api("agent1").get("/api/v1/complaints/export?format=pdf").status_code == 422
    assert client_for("agent1").get("/exports/complaints.pdf").status_code == 404
    assert not ExportLog.objects.exists()


def test_manufacturer_exports_only_escalated_complaints(api, complaints):
    response = api("crc1").get("/api/v1/complaints/export?format=csv")
    rows = list(csv.reader(io.StringIO(body_of(response).decode("utf-8-sig"))))
    assert rows[1:] == []  # nothing escalated yet
    assert ExportLog.objects.get().row_count == 0


def test_customers_export_is_scoped(api, demo, complaints):
    data = body_of(api("agent2").get("/api/v1/customers/export?format=csv"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["客户姓名", "手机"]
    assert [row[1] for row in rows[1:]] == ["138****0003"]
    page = client_for("agent1").get("/exports/customers.xlsx")
    assert len(sheet_rows(body_of(page))) == 3


def test_export_logs_admin_sees_all_gm_their_dealer_others_refused(api, demo, complaints):
    body_of(api("agent1").get("/api/v1/complaints/export?format=csv"))
    body_of(api("agent2").get("/api/v1/complaints/export?format=csv"))
    everyone = api("admin").get("/api/v1/exports/logs").json()["results"]
    assert {log["user"] for log in everyone} == {"客服专员1", "客服专员2"}
    assert all(log["row_count"] == 2 or log["row_count"] == 1 for log in everyone)
    mine = api("gm1").get("/api/v1/exports/logs").json()["results"]
    assert [log["user"] for log in mine] == ["客服专员1"]
    assert api("agent1").get("/api/v1/exports/logs").status_code == 403
    assert api("region1").get("/api/v1/exports/logs").status_code == 403
    page = client_for("gm1").get("/exports/logs/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "客服专员1" in text and "客服专员2" not in text
    assert client_for("agent1").get("/exports/logs/").status_code == 403


def test_queue_page_offers_the_download_links_with_its_filters(demo, complaints):
    page = client_for("agent1").get("/queue/?status=any&q=abc")
    text = page.content.decode()
    assert 'data-testid="export-xlsx"' in text
    assert "/exports/complaints.xlsx?status=any&amp;q=abc" in text


def test_a_cell_that_looks_like_a_formula_stays_text(api, demo):
    customer = make_customer(demo, 1, mobile="13812340009")
    customer.name = "=HYPERLINK(1)"
    customer.save()
    make_complaint(demo, 1, customer=customer)
    rows = sheet_rows(body_of(api("agent1").get("/api/v1/complaints/export?status=received")))
    assert rows[1][5] == "=HYPERLINK(1)"
    workbook = load_workbook(
        io.BytesIO(body_of(api("agent1").get("/api/v1/complaints/export?status=received")))
    )
    assert workbook.worksheets[0]["F2"].data_type == "s"
    data = body_of(api("agent1").get("/api/v1/complaints/export?format=csv&status=received"))
    assert "'=HYPERLINK(1)" in data.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("", ""), ("王", "王*")]
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_a_long_list_continues_on_a_second_sheet_and_text_is_escaped(monkeypatch, demo):
    from kesu.exports import services

    monkeypatch.setattr(services, "SHEET_ROWS", 2)
    monkeypatch.setattr(services, "XLSX_BATCH_ROWS", 1)
    rows: list[list[object]] = [["<b>&</b>", 1], ["tab\there\x01", 2.5], [" 空格 ", None]]
    log = ExportLog.objects.create(user=demo.users["admin"], list_name="complaints", format="xlsx")
    data = b"".join(services.stream(log, services.Table(["名称", "数"], iter(rows))))
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["抱怨工作台", "抱怨工作台 2"]
    first, second = ([list(r) for r in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets)
    assert first == [["名称", "数"], ["<b>&</b>", 1], ["tab\there ", 2.5]]
    assert second == [["名称", "数"], [" 空格 "]]  # an empty last cell is not written
    log.refresh_from_db()
    assert log.row_count == 3 and log.finished_at is not None


def test_an_interrupted_download_logs_the_rows_sent_without_a_finish(demo):
    from kesu.exports import services

    log = ExportLog.objects.create(user=demo.users["admin"], list_name="complaints", format="csv")
    chunks = services.stream(log, services.Table(["a"], ([n] for n in range(2000))))
    next(chunks), next(chunks)
    chunks.close()  # the client went away
    log.refresh_from_db()
    assert log.row_count == 1000 and log.finished_at is None


def test_the_links_to_the_logs_and_the_import_show_for_the_roles_that_may_use_them(demo):
    gm = client_for("gm1").get("/queue/").content.decode()
    assert 'data-testid="export-logs-link"' in gm and 'data-testid="nav-import"' in gm
    agent = client_for("agent1").get("/queue/").content.decode()
    assert 'data-testid="export-logs-link"' not in agent and 'data-testid="nav-import"' not in agent
