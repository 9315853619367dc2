"""The one place that speaks HTTP to a language model: an OpenAI-compatible chat-completions
endpoint (DeepSeek, Qwen on DashScope, vLLM / llama.cpp / Ollama servers).

A small adapter: services call :func:`client_from_settings` and :meth:`ChatClient.complete`;
a failure of any kind (refused connection, timeout, HTTP error, an answer of another shape) is a
:class:`ChatFailure`, so callers have one thing to handle. It speaks through the process's one
HTTP client (:mod:`kesu.core.http`), with the assistant's own deadline for the whole answer.
"""

import json
import re
import time
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from django.conf import settings

from kesu.core import http

MAX_ANSWER_BYTES = 256 * 1024
# reasoning models (DeepSeek-R1, Qwen3 served locally) may put their thinking before the answer
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL)


@dataclass(frozen=True)
class ChatAnswer:
    text: str
    latency_ms: int


class ChatFailure(Exception):
    """The model did not answer usefully. ``timeout`` says whether the time ran out."""

    def __init__(self, message: str, *, timeout: bool = False, latency_ms: int = 0):
        super().__init__(message)
        self.message = message
        self.timeout = timeout
        self.latency_ms = latency_ms


class ChatClient(Protocol):
    @property
    def model(self) -> str: ...

    def request_body(self, messages: list[dict[str, str]]) -> dict[str, Any]: ...

    def complete(self, body: dict[str, Any]) -> ChatAnswer: ...


@dataclass(frozen=True)
class OpenAICompatibleClient:
    """POST ``{base_url}/chat/completions`` with a bearer key; ``base_url`` ends in ``/v1``."""

    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 20.0
    temperature: float = 0.3
    max_tokens: int = 800

    def request_body(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": messages,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "stream": False,
        }

    def complete(self, body: dict[str, Any]) -> ChatAnswer:
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        url = self.base_url.rstrip("/") + "/chat/completions"
        started = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - started) * 1000)

        connect, _read = http.timeouts()
        try:
            with http.client().stream(
                "POST", url, json=body, headers=headers, timeout=httpx.Timeout(self.timeout, connect=connect)
            ) as response:
                if response.status_code >= 400:
                    raise ChatFailure(f"HTTP {response.status_code}", latency_ms=elapsed())
                raw = _read_until(response, deadline=started + self.timeout)
        except httpx.TimeoutException as exc:
            raise ChatFailure("timed out", timeout=True, latency_ms=elapsed()) from exc
        except TimeoutError as exc:
            raise ChatFailure("timed out", timeout=True, latency_ms=elapsed()) from exc
        except httpx.HTTPError as exc:
            raise ChatFailure(f"unreachable: {exc}", latency_ms=elapsed()) from exc
        if len(raw) > MAX_ANSWER_BYTES:
            raise ChatFailure("answer too long", latency_ms=elapsed())
        try:
            text = _content(raw)
        except ChatFailure as exc:
            raise ChatFailure(exc.message, latency_ms=elapsed()) from exc
        return ChatAnswer(text=text, latency_ms=elapsed())


def _read_until(response: httpx.Response, *, deadline: float) -> bytes:
    """The body, read as it arrives: the read timeout is per read, so a server that trickles
    bytes would otherwise hold the page far beyond the timeout."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        if time.monotonic() > deadline:
            raise TimeoutError("the answer took too long")
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            break
    return b"".join(chunks)


def _content(raw: bytes) -> str:
    try:
        payload = json.loads(raw.decode("utf-8"))
        text = payload["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise ChatFailure("an answer of another shape") from exc
    if not isinstance(text, str) or not text.strip():
        raise ChatFailure("an empty answer")
    return _THINKING.sub("", text).strip()


def configured() -> bool:
    """An endpoint is set (KESU_LLM_BASE_URL): without one the assistant is off everywhere."""
    return bool(settings.KESU_LLM_BASE_URL.strip())


def client_from_settings() -> OpenAICompatibleClient:
    return OpenAICompatibleClient(
        base_url=settings.KESU_LLM_BASE_URL.strip(),
        model=settings.KESU_LLM_MODEL,
        api_key=settings.KESU_LLM_API_KEY,
        timeout=settings.KESU_LLM_TIMEOUT_SECONDS,
    )
