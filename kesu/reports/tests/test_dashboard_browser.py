"""The dashboard in a real browser as a service manager, a region manager and the carmaker's
CRC: the charts draw, a click on a bar opens the queue with the complaints behind it, the Pareto
chart offers 创建整改, and the monthly pack is made and downloaded."""

from typing import Any

import pytest
from openpyxl import load_workbook

from kesu.complaints.models import Complaint
from kesu.improvements.models import ImprovementAction
from kesu.improvements.tests.test_browser import fill_action
from kesu.reports import tasks
from kesu.reports.models import ReportJob
from kesu.web.tests.browser import login, shot

from .helpers import build_some, month_bounds, this_month


def _click_bar(page: Any, chart: str, index: int) -> None:
    """Click the ``index``-th category of a chart (its bars' column), where ECharts drew it."""
    point = page.evaluate(
        """([key, index]) => {
          const el = document.querySelector(`[data-chart="${key}"]`);
          el.scrollIntoView();
          const chart = el.kesuChart;
          const x = chart.convertToPixel({xAxisIndex: 0}, index);
          const y = chart.convertToPixel({yAxisIndex: 0}, 0) - 5;
          const box = el.getBoundingClientRect();
          return [box.left + x, box.top + y];
        }""",
        [chart, index],
    )
    page.mouse.click(point[0], point[1])


@pytest.mark.django_db(transaction=True)
def test_dashboard_drill_down_and_pack_as_manager_region_and_crc(browser, live_server, demo, tmp_path):
    build_some(demo, 10, days_ago=0.05)
    month = this_month()
    start, end = month_bounds(month)

    page = login(browser, live_server, "manager1")
    page.click("[data-testid=nav-reports]")
    page.wait_for_selector("[data-chart=category] canvas")
    mine = Complaint.objects.filter(dealer=demo.dealers["D1"], received_at__gte=start, received_at__lt=end)
    assert page.locator("[data-testid=total-this]").inner_text() == str(mine.count())
    figures = page.evaluate("JSON.parse(document.getElementById('dashboard-figures').textContent)")
    first = figures["volume"]["category"][0]
    shot(page, "reports-dashboard-manager1")
    _click_bar(page, "category", 0)
    page.wait_for_url("**/queue/**category=**")
    assert (
        page.locator("[data-testid=queue-row]").count()
        == first["this"]
        == mine.filter(category=first["key"]).count()
    )
    assert page.locator("[data-testid=queue-drill]").is_visible()

    page.go_back()
    page.wait_for_selector("[data-chart=pareto] canvas")
    improve = page.locator("[data-testid=improve-pareto-1]")
    assert improve.get_attribute("href").startswith("/improvements/new/?source=pareto&month=")
    page.click("[data-testid=chart-pareto] details.chart-table summary")  # the chart's figures
    improve.click()  # the top recurring problem becomes an improvement action (整改)
    page.wait_for_url("**/improvements/new/**")
    fill_action(page, demo, "重复问题整改：技师复训与质检")
    page.wait_for_selector("[data-testid=action-status]")
    action = ImprovementAction.objects.get(title="重复问题整改：技师复训与质检")
    assert (
        action.source == "chart" and action.source_chart == "pareto" and action.month == month.replace(day=1)
    )
    assert action.owner == demo.users["manager1"] and action.organization_id == demo.dealers["D1"].pk
    assert action.category or action.fault_area  # what the chart's column stood for
    page.goto(f"{live_server.url}/reports/")

    page.click("[data-testid=make-pack]")
    page.wait_for_url("**/reports/packs/")
    job = ReportJob.objects.get()
    tasks.make_pack(job.pk)  # what the worker does
    page.reload()
    with page.expect_download() as download:
        page.locator("[data-testid=job-file]", has_text=".xlsx").click()
    saved = tmp_path / "pack.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    assert book.sheetnames[0].startswith("上月整改")  # seed 003: last month's actions reviewed first
    statistics = next(sheet for sheet in book.worksheets if sheet.title.startswith("本月投诉"))
    assert statistics.cell(row=2, column=3).value == mine.count()

    region = login(browser, live_server, "region1")
    region.goto(f"{live_server.url}/reports/")
    region.wait_for_selector("[data-chart=dealer] canvas")
    south = Complaint.objects.filter(
        dealer__parent=demo.regions["R-S"], received_at__gte=start, received_at__lt=end
    )
    assert region.locator("[data-testid=total-this]").inner_text() == str(south.count())
    top_dealer = region.evaluate(
        "JSON.parse(document.getElementById('dashboard-figures').textContent).volume.dealer[0]"
    )
    _click_bar(region, "dealer", 0)
    region.wait_for_url("**/queue/**dealer=**")
    assert region.locator("[data-testid=queue-row]").count() == top_dealer["this"]
    assert top_dealer["this"] == south.filter(dealer_id=top_dealer["key"]).count()
    shot(region, "reports-drill-region1")

    crc = login(browser, live_server, "crc1")
    crc.goto(f"{live_server.url}/reports/")
    escalated = Complaint.objects.filter(
        escalated_at__isnull=False, received_at__gte=start, received_at__lt=end
    ).count()
    assert crc.locator("[data-testid=total-this]").inner_text() == str(escalated)
    assert crc.locator("[data-testid=make-pack]").count() == 0  # the CRC sees escalated cases only
    crc.click("[data-testid=drill-month]")
    crc.wait_for_url("**/queue/**month=**")
    assert crc.locator("[data-testid=queue-row]").count() == escalated
    shot(crc, "reports-drill-crc1")
