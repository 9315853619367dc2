from collections.abc import Iterator
from typing import Any

import pytest

from kesu.assistant.models import AssistantSetting

from .llm_server import FakeLLM, running_server


@pytest.fixture
def llm(settings: Any) -> Iterator[FakeLLM]:
    """The fake model server, configured as the installation's endpoint (1 s timeout)."""
    for fake in running_server():
        settings.KESU_LLM_BASE_URL = fake.base_url
        settings.KESU_LLM_MODEL = "fake-chat"
        settings.KESU_LLM_API_KEY = "sk-test-key"
        settings.KESU_LLM_TIMEOUT_SECONDS = 1.0
        yield fake


@pytest.fixture
def switched_on(demo: Any) -> AssistantSetting:
    """Dealer 1 switched the assistant on."""
    return AssistantSetting.objects.create(organization=demo.dealers["D1"], enabled=True)
