"""Locust scenario (issue 16 item 5): 50 desk users' mixed traffic against a running kesu.

Each simulated user is one of the agents prepared by ``python -m bench.locust_prepare`` (its own
bearer token, its dealer's customers and complaints) and works as a desk does: the queue most of
the time, searches, opening complaints with their timeline, registering new complaints, moving
its own new complaints through the first two steps, and logging replies to the customer.

Every acknowledged create (201) is appended to ``bench/results/locust-acked.txt`` (one id a line)
so ``python -m bench.locust_check`` can count lost writes after the fault drill. Requests are
named by endpoint, so locust's table (and ``--csv``) gives p95 per endpoint. Run it as
bench/README.md ("Load and fault drill") says; it needs no Django.
"""

import json
import os
import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

RESULTS = Path(__file__).resolve().parent / "results"
USERS: list[dict[str, Any]] = json.loads(
    Path(os.environ.get("KESU_LOCUST_USERS", RESULTS / "locust-users.json")).read_text(encoding="utf-8")
)
ACKED = Path(os.environ.get("KESU_LOCUST_ACKED", RESULTS / "locust-acked.txt"))
SEARCHES = ("刹车", "异响", "变速箱", "漏油", "空调", "车机", "退车", "保养", "1234", "粤A")
VERBATIMS = (
    "刹车有异响，修了三次还没有修好",
    "车机黑屏，重启也不好，孩子的儿童座椅接口也松了",
    "保养后发动机故障灯亮，服务顾问态度很差",
    "新车提车一周变速箱顿挫明显，要求换车",
    "空调不制冷，等了两个小时也没人处理",
)
REPLIES = (
    "您好，非常理解您的心情，我们已安排技术经理今天下午给您回电。",
    "感谢您的耐心，检测结果出来后我们会第一时间联系您。",
)
_next_user = iter(range(10**9))
_lock = threading.Lock()


def _ack(complaint_id: int) -> None:
    with _lock, ACKED.open("a", encoding="utf-8") as handle:
        handle.write(f"{complaint_id}\n")


class DeskUser(HttpUser):
    wait_time = between(1, 4)  # a person reads between clicks

    def on_start(self) -> None:
        with _lock:
            me = USERS[next(_next_user) % len(USERS)]
        self.me = me
        self.client.headers["Authorization"] = f"Bearer {me['token']}"
        self.mine: list[dict[str, Any]] = []  # complaints this user registered: id, version, status

    # --- reading ---------------------------------------------------------------------------
    @task(30)
    def queue(self) -> None:
        params = random.choice(({}, {"view": "mine"}, {"view": "due_today"}, {"view": "overdue"}))
        self.client.get("/api/v1/complaints", params={"page_size": 20, **params}, name="queue")

    @task(15)
    def search(self) -> None:
        self.client.get(
            "/api/v1/complaints", params={"q": random.choice(SEARCHES), "page_size": 20}, name="search"
        )

    @task(20)
    def detail(self) -> None:
        pool = [c["id"] for c in self.mine] or self.me["complaints"]
        if not pool:
            return
        complaint_id = random.choice(pool)
        self.client.get(f"/api/v1/complaints/{complaint_id}", name="detail")
        self.client.get(f"/api/v1/complaints/{complaint_id}/timeline", name="timeline")

    # --- writing ---------------------------------------------------------------------------
    @task(8)
    def intake(self) -> None:
        customer_id, vehicle_id = random.choice(self.me["vehicles"])
        body = {
            "customer_id": customer_id,
            "vehicle_id": vehicle_id,
            "channel": random.choice(("phone", "walk_in", "web", "sms_wechat")),
            "verbatim": random.choice(VERBATIMS),
            # one in ten registered as a crisis: the ladder and the dealer's group robot are told
            # through the outbox, so deliveries flow during the drill
            "severity": random.choices(("normal", "serious", "crisis"), weights=(6, 3, 1))[0],
        }
        with self.client.post("/api/v1/complaints", json=body, name="intake", catch_response=True) as answer:
            if answer.status_code == 201:
                created = answer.json()
                _ack(created["id"])
                self.mine.append(
                    {"id": created["id"], "version": created.get("version"), "status": "received"}
                )
            else:
                answer.failure(f"intake {answer.status_code}")

    @task(8)
    def transition(self) -> None:
        movable = [c for c in self.mine if c["status"] in ("received", "investigating")]
        if not movable:
            return
        complaint = random.choice(movable)
        if complaint["status"] == "received":
            promised = (datetime.now(UTC) + timedelta(days=2)).isoformat()
            body = {
                "action": "start_investigation",
                "promised_plan_at": promised,
                "note": "已联系客户，安排检测",
            }
        else:
            body = {
                "action": "propose_plan",
                "root_cause": "制动片磨损不均",
                "plan": "免费更换制动片并做四轮定位",
            }
        body["version"] = complaint["version"]
        url = f"/api/v1/complaints/{complaint['id']}/transitions"
        with self.client.post(url, json=body, name="transition", catch_response=True) as answer:
            if answer.status_code == 200:
                moved = answer.json()
                complaint["status"], complaint["version"] = moved["status"], moved.get("version")
            elif answer.status_code == 409:  # stale: read it again next time
                complaint["status"] = "stale"
                answer.success()
            else:
                answer.failure(f"transition {answer.status_code}")

    @task(6)
    def reply(self) -> None:
        if not self.mine:
            return
        complaint = random.choice(self.mine)
        body = {"text": random.choice(REPLIES), "channel": "phone"}
        url = f"/api/v1/language/complaints/{complaint['id']}/replies"
        with self.client.post(url, json=body, name="reply", catch_response=True) as answer:
            if answer.status_code != 201:
                answer.failure(f"reply {answer.status_code}")
