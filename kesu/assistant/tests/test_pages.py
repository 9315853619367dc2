"""The assistant's pages: the panel appears only where it is on, its fragments never break the
complaint page, the switch and the log for the dealer's managers."""

from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from kesu.assistant.models import AssistantExchange, AssistantSetting
from kesu.complaints.tests.factories import make_complaint
from kesu.language.models import CustomerReply

from .llm_server import RUDE_DRAFT, Delay


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def fragment(client: Client, complaint: Any, name: str) -> str:
    response = client.post(f"/assistant/complaints/{complaint.pk}/{name}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content
    return response.content.decode()


def test_no_panel_while_off(demo, llm):
    complaint = make_complaint(demo, 1)
    client = client_for("agent1")
    assert client.get(f"/assistant/complaints/{complaint.pk}/panel/").content == b""
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="assistant-slot"' in page
    # pressing a stale button while off: a quiet notice, nothing sent
    assert 'data-testid="assistant-unavailable"' in fragment(client, complaint, "summary")
    assert llm.requests == []
    # the dealer's manager is shown where to switch it on; nobody else sees anything
    hint = client_for("manager1").get(f"/assistant/complaints/{complaint.pk}/panel/").content.decode()
    assert 'data-testid="assistant-off"' in hint and "/assistant/settings/" in hint
    assert client_for("manager2").get(f"/assistant/complaints/{complaint.pk}/panel/").status_code == 404


def test_panel_and_fragments_while_on(demo, llm, switched_on):
    complaint = make_complaint(demo, 1)
    client = client_for("agent1")
    panel = client.get(f"/assistant/complaints/{complaint.pk}/panel/").content.decode()
    assert "生成摘要" in panel and "生成回复草稿" in panel
    summary = fragment(client, complaint, "summary")
    assert 'data-testid="assistant-summary"' in summary and "客户诉求" in summary
    draft = fragment(client, complaint, "draft")
    assert 'data-testid="assistant-draft-clean"' in draft and "data-assistant-fill" in draft
    assert "张先生您好" in draft  # the masked name put back for the agent
    assert not CustomerReply.objects.exists()


def test_a_flagged_draft_is_shown_marked_and_not_put_in_the_reply_box(demo, llm, switched_on):
    complaint = make_complaint(demo, 1)
    llm.script = [RUDE_DRAFT, RUDE_DRAFT]
    draft = fragment(client_for("agent1"), complaint, "draft")
    assert 'data-testid="assistant-draft-flagged"' in draft
    assert '<mark class="hit"' in draft and "data-assistant-fill" not in draft
    assert "data-assistant-draft" in draft  # only when the agent asks, to rephrase


@pytest.mark.parametrize("answer", [Delay(3.0), 500])
def test_a_failure_is_a_quiet_notice(demo, llm, switched_on, answer):
    complaint = make_complaint(demo, 1)
    llm.script = [answer]
    html = fragment(client_for("agent1"), complaint, "draft")
    assert 'data-testid="assistant-unavailable"' in html and "暂时不可用" in html
    assert AssistantExchange.objects.get().status in ("timeout", "error")


def test_the_panel_is_not_offered_to_roles_that_do_not_work_complaints(demo, llm, switched_on):
    complaint = make_complaint(demo, 1)
    assert client_for("region1").get(f"/assistant/complaints/{complaint.pk}/panel/").content == b""
    response = client_for("region1").post(f"/assistant/complaints/{complaint.pk}/summary/")
    assert response.status_code == 403 and llm.requests == []


def test_the_manager_switches_it_on_from_the_settings_page(demo, llm):
    client = client_for("manager1")
    page = client.get("/assistant/settings/").content.decode()
    assert "广州骏达4S店" in page and 'data-testid="assistant-enabled"' in page
    client.post("/assistant/settings/", {"enabled": "on"})
    assert AssistantSetting.objects.get(organization=demo.dealers["D1"]).enabled
    client.post("/assistant/settings/", {})
    assert not AssistantSetting.objects.get(organization=demo.dealers["D1"]).enabled
    # another dealer's id is not theirs to set
    response = client.post(
        "/assistant/settings/", {"enabled": "on", "organization_id": demo.dealers["D2"].pk}
    )
    assert response.status_code == 404
    assert not AssistantSetting.objects.filter(organization=demo.dealers["D2"]).exists()
    assert client_for("agent1").get("/assistant/settings/").status_code == 403
    assert client_for("agent1").post("/assistant/settings/", {"enabled": "on"}).status_code == 403
    assert not AssistantSetting.objects.filter(enabled=True).exists()


def test_settings_say_when_no_model_is_configured(demo, settings):
    settings.KESU_LLM_BASE_URL = ""
    page = client_for("manager1").get("/assistant/settings/").content.decode()
    assert 'data-testid="assistant-not-configured"' in page


def test_the_log_page_lists_what_was_sent_for_managers(demo, llm, switched_on):
    complaint = make_complaint(demo, 1)
    fragment(client_for("agent1"), complaint, "summary")
    page = client_for("manager1").get("/assistant/exchanges/").content.decode()
    assert complaint.number in page and "【客户】" in page and "张先生" not in page.split("<main")[-1]
    other = client_for("manager2").get("/assistant/exchanges/").content.decode()
    assert complaint.number not in other
    assert client_for("agent1").get("/assistant/exchanges/").status_code == 403
    admin = client_for("admin").get("/assistant/settings/").content.decode()
    assert "深圳鹏程4S店" in admin  # the administrator picks the dealer
