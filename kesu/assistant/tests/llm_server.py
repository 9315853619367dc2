"""A small server that speaks the OpenAI chat-completions protocol, for the assistant's tests.

It records every request as received (raw bytes and headers), and answers from a script:
a text, a delay longer than the client's timeout, an HTTP status, or a default answer that
depends on what was asked (a summary or a reply draft). No model runs here.
"""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SUMMARY = "客户诉求：刹车异响修复。已做：受理并登记。未完成：复查结果待定。下一步：联系【客户】说明安排。"
DRAFT = "【客户】您好，关于您反映的刹车异响，我们已安排技术经理复查，今天下午给您答复，请您放心。"
RUDE_DRAFT = "这不可能，你急也没用，我们的程序就是这样，只有等。"


@dataclass
class Delay:
    seconds: float
    then: str = DRAFT


@dataclass
class Trickle:
    """Headers at once, then the body a few bytes at a time, ``pause`` seconds apart."""

    pause: float
    then: str = DRAFT


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.raw.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8")


@dataclass
class FakeLLM:
    requests: list[Recorded] = field(default_factory=list)
    script: list[str | int | Delay | Trickle] = field(default_factory=list)  # answers in order, then defaults
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        port = self.server.server_address[1]
        return f"http://127.0.0.1:{port}/v1"

    def next_answer(self, body: dict[str, Any]) -> str | int | Delay | Trickle:
        if self.script:
            return self.script.pop(0)
        system = body["messages"][0]["content"]
        return SUMMARY if "交接" in system else DRAFT


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, payload: dict[str, Any], pause: float = 0.0) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if not pause:
                self.wfile.write(data)
                return
            for start in range(0, len(data), 8):
                self.wfile.write(data[start : start + 8])
                self.wfile.flush()
                time.sleep(pause)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            fake.requests.append(Recorded(self.path, dict(self.headers.items()), raw))
            if self.path != "/v1/chat/completions":
                self._send(404, {"error": {"message": "not found"}})
                return
            body = json.loads(raw.decode("utf-8"))
            answer = fake.next_answer(body)
            pause = 0.0
            if isinstance(answer, Trickle):
                pause, answer = answer.pause, answer.then
            if isinstance(answer, Delay):
                time.sleep(answer.seconds)
                answer = answer.then
            if isinstance(answer, int):
                self._send(answer, {"error": {"message": "upstream failure", "code": answer}})
                return
            self._send(
                200,
                {
                    "id": f"chatcmpl-{len(fake.requests)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", ""),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": answer},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                },
                pause,
            )

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (the timeout test) closes the socket before the late answer."""


def running_server() -> Iterator[FakeLLM]:
    """A FakeLLM on 127.0.0.1 at a random free port, stopped afterwards."""
    fake = FakeLLM()
    server = _Server(("127.0.0.1", 0), _handler(fake))
    fake.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
