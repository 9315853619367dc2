"""A stand-in for WeCom/DingTalk group robots during the load and fault drill (issue 16 item 5).

It answers every POST as a robot does (``{"errcode": 0}``) after ``--delay`` seconds, and appends
one JSON line per message received to ``--log`` (the robot's path and the markdown text), so
``python -m bench.locust_check`` can count messages that arrived twice. The delay widens the window
in which a kill -9 of the task worker interrupts a send: the robot has the message, the outbox
does not know it. Robots take no idempotency key, so that delivery must end "uncertain", never
sent a second time by itself.

    python -m bench.robot_sink --port 8899 --log bench/results/robot-sink.jsonl
"""

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def make_handler(log: Path, delay: float) -> type[BaseHTTPRequestHandler]:
    lock = threading.Lock()

    class RobotHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length) or b"{}")
            markdown = payload.get("markdown", {})
            text = markdown.get("content") or markdown.get("text") or ""
            with lock, log.open("a", encoding="utf-8") as handle:
                entry = {"path": self.path, "text": text, "at": time.time()}
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            time.sleep(delay)  # the robot has the message; the answer is still on its way
            body = b'{"errcode": 0, "errmsg": "ok"}'
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender was killed mid-send (the drill): the message is logged all the same

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return RobotHandler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8899)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--log", type=Path, default=RESULTS / "robot-sink.jsonl")
    args = parser.parse_args(argv)
    args.log.parent.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.log, args.delay))
    server.serve_forever()


if __name__ == "__main__":
    main()
