"""Benchmark data: N complaints with customers, vehicles and timelines across many dealers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench \\
        .venv/bin/python -m bench.generate --complaints 1000000

Rows are written the fast way — PostgreSQL ``COPY`` through psycopg 3, with the secondary indexes
dropped during the load and rebuilt afterwards, all in one transaction (a failed load leaves the
database as it was) — or with ``bulk_create`` in big batches on SQLite / ``--method orm``.
Everything the app derives is derived the app's way: ``search_tokens`` by
:func:`kesu.core.search.document_tokens`, numbers in the ``KS-2026-000123`` format from
``complaints_number_seq`` (bumped past the generated numbers) or the per-year counters on SQLite,
plates and VINs that pass :mod:`kesu.core.validators`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __name__ == "__main__":  # pragma: no cover - CLI bootstrap
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    import django

    django.setup()

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from kesu.complaints.choices import Category, Channel, Demand, Emotion, Nature, Severity
from kesu.complaints.models import Complaint, NumberCounter, TimelineEntry
from kesu.complaints.numbering import POSTGRES_SEQUENCE
from kesu.complaints.workflow import BY_ACTION
from kesu.core.search import document_tokens
from kesu.core.validators import with_check_digit
from kesu.customers.models import Customer, Vehicle
from kesu.demo.builder import ACTOR_ROLE, DEPARTMENTS, PATH_TO
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import ApiToken, Organization, User

from .text import complaint_text

RESULTS_DIR = Path(__file__).resolve().parent / "results"
CODE_PREFIX = "BENCH"
REGIONS = (
    (
        "华南区",
        (
            ("广州", "粤A"),
            ("深圳", "粤B"),
            ("东莞", "粤S"),
            ("佛山", "粤E"),
            ("厦门", "闽D"),
            ("福州", "闽A"),
            ("南宁", "桂A"),
            ("海口", "琼A"),
        ),
    ),
    (
        "华北区",
        (
            ("北京", "京N"),
            ("天津", "津A"),
            ("石家庄", "冀A"),
            ("太原", "晋A"),
            ("济南", "鲁A"),
            ("青岛", "鲁B"),
            ("呼和浩特", "蒙A"),
            ("沈阳", "辽A"),
        ),
    ),
    (
        "华东区",
        (
            ("上海", "沪A"),
            ("杭州", "浙A"),
            ("宁波", "浙B"),
            ("南京", "苏A"),
            ("苏州", "苏E"),
            ("合肥", "皖A"),
            ("南昌", "赣A"),
            ("无锡", "苏B"),
        ),
    ),
    (
        "西部区",
        (
            ("成都", "川A"),
            ("重庆", "渝A"),
            ("西安", "陕A"),
            ("昆明", "云A"),
            ("贵阳", "贵A"),
            ("兰州", "甘A"),
            ("银川", "宁A"),
            ("乌鲁木齐", "新A"),
        ),
    ),
)
DEALER_WORDS = (
    "骏达",
    "鹏程",
    "京诚",
    "宏远",
    "恒信",
    "华通",
    "广汇",
    "远航",
    "锦程",
    "盛世",
    "永达",
    "润华",
    "中升",
    "鑫源",
    "瑞丰",
    "东方",
    "天和",
    "安泰",
    "金港",
    "新纪元",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静强磊军洋勇艳杰涛明超秀英华慧巧美娟红霞平刚桂兰玲丽晨宇浩然子轩欣怡梓涵一诺"
MODELS = (
    "轩逸 2023款",
    "天籁 2022款",
    "奇骏 2024款",
    "逍客 2023款",
    "骐达 2021款",
    "途达 2022款",
    "楼兰 2020款",
    "劲客 2021款",
    "艾睿泽 2024款",
)
VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PLANS = (
    "免费检修并更换故障件，提供代步车。",
    "更换总成并延长质保一年。",
    "重新维修并赠送两次保养。",
    "退还多收费用并书面致歉。",
    "厂家技术支持到店会诊后维修。",
)
REFUSALS = (
    "经检测属正常现象，已向客户书面说明。",
    "车辆已超出质保期且非质量问题。",
    "客户要求超出政策范围，已说明可选方案。",
)
NOTES = {
    "start_investigation": "已向客户致歉并确认诉求，告知24小时内给出方案。",
    "customer_agrees": "客户同意方案。",
    "finish_implementation": "维修完成，已试车确认。",
    "close": "回访客户，问题已解决。",
    "escalate": "客户要求超出经销商权限，升级厂方处理。",
    "reopen": "客户来电反映问题再次出现。",
}
# Status mix: old complaints are mostly finished, recent ones are spread over the workflow.
OLD_STATUS = {
    "closed": 86,
    "refused": 6,
    "investigating": 2,
    "plan_proposed": 1,
    "agreed": 1,
    "implementing": 1,
    "follow_up": 1,
    "escalated": 1,
    "reopened": 1,
}
RECENT_STATUS = {
    "received": 14,
    "investigating": 16,
    "plan_proposed": 10,
    "agreed": 8,
    "implementing": 10,
    "follow_up": 8,
    "closed": 22,
    "refused": 4,
    "escalated": 5,
    "reopened": 3,
}
RECENT = timedelta(days=30)
INDEXED_TABLES = (
    "complaints_complaint",
    "complaints_timelineentry",
    "customers_customer",
    "customers_vehicle",
)
BIG_LOAD = 50_000  # from this many complaints on, PostgreSQL loads drop and rebuild indexes


@dataclass
class Options:
    complaints: int = 2000
    regions: int = 3
    dealers_per_region: int = 50
    agents_per_dealer: int = 2
    customers_per_complaint: float = 0.6
    years: float = 3.0
    seed: int = 2026
    batch: int = 20_000
    method: str = "auto"  # auto | copy | orm
    password: str = "bench-pass-123"
    tokens_out: Path | None = None
    rebuild_indexes: bool | None = None  # None: automatic (PostgreSQL and >= BIG_LOAD)
    quiet: bool = False


@dataclass
class DealerInfo:
    org: Organization
    plate_prefix: str
    departments: dict[str, int]
    users: dict[str, list[int]]  # role key → user ids
    customer_first: int = 0  # index into the generated customers
    customer_count: int = 0


@dataclass
class Result:
    complaints: int = 0
    customers: int = 0
    vehicles: int = 0
    timeline_entries: int = 0
    first_complaint_id: int = 0
    last_complaint_id: int = 0
    dealers: list[int] = field(default_factory=list)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _log(options: Options, message: str) -> None:
    if not options.quiet:
        print(message, file=sys.stderr, flush=True)


# --- organisations, users, tokens ---------------------------------------------------------------


def _org(kind: str, code: str, name: str, parent: Organization | None) -> Organization:
    org, _ = Organization.objects.get_or_create(
        code=code, defaults={"kind": kind, "name": name, "parent": parent}
    )
    return org


def _users(specs: list[tuple[str, str, Organization | None, str]], password_hash: str) -> dict[str, User]:
    """username → User, creating the missing ones in one batch."""
    existing = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in specs])}
    missing = [
        User(
            username=username,
            role=role,
            organization=org,
            display_name=display,
            password=password_hash,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        for username, role, org, display in specs
        if username not in existing
    ]
    User.objects.bulk_create(missing, batch_size=500)
    existing.update({u.username: u for u in User.objects.filter(username__in=[u.username for u in missing])})
    return existing


def build_organizations(options: Options) -> tuple[list[DealerInfo], dict[str, User]]:
    """Manufacturer → regions → dealers → the six departments; users per dealer and region."""
    rng = random.Random(options.seed)
    password_hash = make_password(options.password)  # hashed once, shared by every bench user
    mfr = _org(OrgKind.MANUFACTURER, f"{CODE_PREFIX}-MFR", "东风示范汽车有限公司(基准)", None)
    specs: list[tuple[str, str, Organization | None, str]] = [
        ("bench-admin", Role.ADMIN, None, "基准管理员"),
        ("bench-crc", Role.CRC_AGENT, mfr, "厂方客服(基准)"),
    ]
    dealers: list[DealerInfo] = []
    for r in range(options.regions):
        region_name, cities = REGIONS[r % len(REGIONS)]
        region = _org(OrgKind.REGION, f"{CODE_PREFIX}-R{r + 1}", region_name, mfr)
        specs.append((f"bench-region{r + 1}", Role.REGION_MANAGER, region, f"{region_name}经理"))
        for d in range(options.dealers_per_region):
            city, plate_prefix = cities[d % len(cities)]
            word = DEALER_WORDS[(d // len(cities)) % len(DEALER_WORDS)]
            code = f"{CODE_PREFIX}-R{r + 1}-D{d + 1:03d}"
            dealer = _org(OrgKind.DEALER, code, f"{city}{word}4S店{d + 1}", region)
            departments = {
                dept_code: _org(OrgKind.DEPARTMENT, f"{code}-{dept_code}", dept_name, dealer).pk
                for dept_code, dept_name in DEPARTMENTS
            }
            dealers.append(DealerInfo(dealer, plate_prefix, departments, {}))
    org_by_id = {o.pk: o for o in Organization.objects.filter(code__startswith=f"{CODE_PREFIX}-")}
    for number, info in enumerate(dealers, start=1):
        cs, svc = org_by_id[info.departments["CS"]], org_by_id[info.departments["SVC"]]
        for k in range(1, options.agents_per_dealer + 1):
            specs.append((f"bench-d{number:03d}-agent{k}", Role.AGENT, cs, f"客服专员{number}-{k}"))
        specs += [
            (f"bench-d{number:03d}-manager", Role.SERVICE_MANAGER, svc, f"服务经理{number}"),
            (f"bench-d{number:03d}-dept", Role.DEPARTMENT_STAFF, svc, f"对策单位{number}"),
            (f"bench-d{number:03d}-gm", Role.GENERAL_MANAGER, info.org, f"总经理{number}"),
        ]
    users = _users(specs, password_hash)
    for number, info in enumerate(dealers, start=1):
        prefix = f"bench-d{number:03d}-"
        info.users = {
            "agent": [users[f"{prefix}agent{k}"].pk for k in range(1, options.agents_per_dealer + 1)],
            "manager": [users[f"{prefix}manager"].pk],
            "dept": [users[f"{prefix}dept"].pk],
            "gm": [users[f"{prefix}gm"].pk],
        }
    del rng
    return dealers, users


def issue_tokens(dealers: list[DealerInfo], users: dict[str, User]) -> dict[str, dict[str, Any]]:
    """One bearer token per bench user: username → {token, role, dealer_id}."""
    dealer_of = {}
    for info in dealers:
        for ids in info.users.values():
            for pk in ids:
                dealer_of[pk] = info.org.pk
    tokens = {}
    for username, user in sorted(users.items()):
        tokens[username] = {
            "token": ApiToken.issue(user),
            "role": user.role,
            "user_id": user.pk,
            "dealer_id": dealer_of.get(user.pk),
        }
    return tokens


# --- writers ------------------------------------------------------------------------------------


class CopyWriter:
    """``COPY … FROM STDIN`` through psycopg 3 (PostgreSQL)."""

    def __init__(self) -> None:
        from psycopg.types.json import Jsonb

        self.jsonb = Jsonb
        self.cursor = connection.cursor().cursor  # the raw psycopg cursor

    def write(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        json_at = [
            i
            for i, c in enumerate(columns)
            if isinstance(model._meta.get_field(c.removesuffix("_id")), models.JSONField)
        ]
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with self.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                if json_at:
                    row = tuple(self.jsonb(v) if i in json_at else v for i, v in enumerate(row))
                copy.write_row(row)


@contextlib.contextmanager
def _explicit_timestamps(*model_list: type[models.Model]) -> Iterator[None]:
    """bulk_create would overwrite auto_now/auto_now_add fields with "now": keep our values."""
    saved = []
    for model in model_list:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField | models.DateField) and (f.auto_now or f.auto_now_add):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class OrmWriter:
    """``bulk_create`` in big batches (SQLite, or ``--method orm``)."""

    def write(self, model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        with _explicit_timestamps(model):
            queryset: models.QuerySet[Any] = models.QuerySet(model=model)
            queryset.bulk_create(objects, batch_size=2000)


# --- numbers ------------------------------------------------------------------------------------


class Numberer:
    """Complaint numbers exactly as kesu.complaints.numbering makes them, reserved up front."""

    def __init__(self, count: int) -> None:
        self.prefix = settings.KESU_NUMBER_PREFIX
        self.postgres = connection.vendor == "postgresql"
        self.counters: dict[int, int] = {}
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(%s)", [POSTGRES_SEQUENCE])
                self.value = int(cursor.fetchone()[0]) - 1
                # Past every number we hand out: the app's next intake gets value + count + 1.
                cursor.execute("SELECT setval(%s, %s)", [POSTGRES_SEQUENCE, self.value + count])
        else:
            self.counters = dict(NumberCounter.objects.values_list("year", "last_value"))

    def next(self, year: int) -> str:
        if self.postgres:
            self.value += 1
            value = self.value
        else:
            value = self.counters.get(year, 0) + 1
            self.counters[year] = value
        return f"{self.prefix}-{year}-{value:06d}"

    def finish(self) -> None:
        if not self.postgres:
            for year, last in self.counters.items():
                NumberCounter.objects.update_or_create(year=year, defaults={"last_value": last})


# --- indexes ------------------------------------------------------------------------------------


def drop_secondary_indexes() -> list[str]:
    """Drop the indexes that no constraint needs; returns their CREATE statements."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
               JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
               WHERE t.relname = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
               ORDER BY i.relname""",
            [list(INDEXED_TABLES)],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in found]


def create_indexes(definitions: list[str], options: Options) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for definition in definitions:
            started = time.monotonic()
            cursor.execute(definition)
            _log(options, f"  {time.monotonic() - started:6.1f}s  {definition[:110]}")


# --- rows ---------------------------------------------------------------------------------------

CUSTOMER_COLUMNS = (
    "id",
    "dealer_id",
    "name",
    "mobile",
    "is_vip",
    "notes",
    "consent_sms",
    "consent_calls",
    "consent_marketing",
    "created_at",
    "version",
)
VEHICLE_COLUMNS = (
    "id",
    "customer_id",
    "plate",
    "vin",
    "model_name",
    "mileage_km",
    "purchase_date",
    "warranty_end",
    "version",
)
COMPLAINT_COLUMNS = (
    "id",
    "number",
    "dealer_id",
    "channel",
    "received_at",
    "received_by_id",
    "customer_id",
    "vehicle_id",
    "verbatim",
    "facts",
    "emotion",
    "category",
    "nature",
    "severity",
    "demands",
    "department_id",
    "assignee_id",
    "status",
    "version",
    "promised_plan_at",
    "root_cause",
    "plan",
    "refusal_reason",
    "satisfaction",
    "escalated_at",
    "due_at",
    "closed_at",
    "created_at",
    "updated_at",
    "search_tokens",
    "escalation_rung",
)
TIMELINE_COLUMNS = (
    "id",
    "complaint_id",
    "at",
    "actor_id",
    "kind",
    "action",
    "from_status",
    "to_status",
    "changes",
    "note",
)


def _next_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


def random_plate(rng: random.Random, prefix: str) -> str:
    if rng.random() < 0.2:  # new-energy plate: D/F, then a letter or digit, then 4 digits
        return (
            prefix
            + rng.choice("DF")
            + rng.choice(PLATE_LETTERS + "0123456789")
            + f"{rng.randrange(10000):04d}"
        )
    tail = "".join(rng.choice("0123456789012345678901234567ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(4))
    return prefix + tail + rng.choice("0123456789")


def random_vin(rng: random.Random) -> str:
    body = rng.choice(("LGB", "LVS", "LSV", "LFV", "LHG")) + "".join(rng.choices(VIN_ALPHABET, k=14))
    return with_check_digit(body)


def random_mobile(rng: random.Random) -> str:
    return (
        rng.choice(("138", "139", "186", "135", "150", "177", "199", "131", "158"))
        + f"{rng.randrange(10**8):08d}"
    )


def _weighted(table: dict[str, int]) -> tuple[list[str], list[int]]:
    keys, cum, total = list(table), [], 0
    for key in keys:
        total += table[key]
        cum.append(total)
    return keys, cum


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class ComplaintMaker:
    """Builds complaint and timeline rows, following the workflow table and the services' rules."""

    def __init__(
        self,
        rng: random.Random,
        dealers: list[DealerInfo],
        customers: list[tuple[int, int, int]],
        numberer: Numberer,
        options: Options,
        now: datetime,
    ) -> None:
        self.rng, self.dealers, self.customers, self.numberer = rng, dealers, customers, numberer
        self.now = now
        self.start = now - timedelta(days=365 * options.years)
        self.span = (now - timedelta(minutes=10) - self.start).total_seconds()
        self.count = options.complaints
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.dealer_cum: list[float] = []
        total = 0.0
        for info in dealers:
            total += info.customer_count
            self.dealer_cum.append(total)
        self.old_status = _weighted(OLD_STATUS)
        self.recent_status = _weighted(RECENT_STATUS)
        self.channels = list(Channel.values)
        # Django's Choices.values builds a new list on every access: computed once here.
        self.categories = ("product",) * 4 + tuple(Category.values)
        self.emotions = ("", *Emotion.values)
        self.natures = ("", *Nature.values)
        self.severities = tuple(Severity.values)
        self.targets = {action: str(t.target.value) for action, t in BY_ACTION.items()}
        self.dealer_range = range(len(dealers))
        self.demands = [d for d in Demand.values if d != "other"]
        # Interim resolution time of the pre-SLA model (the SLA clocks are not generated).
        self.interim = timedelta(days=getattr(settings, "KESU_INTERIM_RESOLUTION_DAYS", 3))

    def _status(self, received_at: datetime) -> str:
        keys, cum = self.recent_status if self.now - received_at < RECENT else self.old_status
        return self.rng.choices(keys, cum_weights=cum)[0]

    def make(
        self, index: int, complaint_id: int, next_event_id: int
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        rng = self.rng
        received_at = self.start + timedelta(seconds=self.span * (index + rng.random()) / self.count)
        info = self.dealers[rng.choices(self.dealer_range, cum_weights=self.dealer_cum)[0]]
        customer_id, first_vehicle, vehicles = self.customers[
            info.customer_first + rng.randrange(info.customer_count)
        ]
        vehicle_id = first_vehicle + rng.randrange(vehicles) if rng.random() < 0.95 else None
        verbatim, facts = complaint_text(rng)
        category = rng.choice(self.categories)
        status = self._status(received_at)
        path = PATH_TO[status]
        agent = rng.choice(info.users["agent"])
        department = info.departments["QA" if category == Category.PRODUCT else "SVC"]
        assignee = rng.choice((agent, info.users["dept"][0], None))
        # Events spaced between receipt and now (or a few days for finished cases).
        age = (self.now - received_at).total_seconds()
        spread = min(age * 0.9, rng.uniform(0.5, 12) * 86400)
        times = sorted(received_at + timedelta(seconds=rng.uniform(60, max(spread, 120))) for _ in path)
        values: dict[str, Any] = {
            "promised_plan_at": None,
            "root_cause": "",
            "plan": "",
            "refusal_reason": "",
            "satisfaction": "",
            "escalated_at": None,
            "due_at": received_at + self.interim,
            "closed_at": None,
        }
        events: list[tuple[Any, ...]] = [
            (
                next_event_id,
                complaint_id,
                received_at,
                agent,
                "created",
                "",
                "",
                "received",
                {},
                verbatim[:500],
            )
        ]
        current = "received"
        for action, at in zip(path, times, strict=True):
            target = self.targets[action]
            role = ACTOR_ROLE[action]
            actor = agent if role == "agent" else info.users[role][0]
            effects: dict[str, Any] = {}
            note = NOTES.get(action, "")
            if action == "start_investigation":
                effects["promised_plan_at"] = at + timedelta(hours=24)
            elif action == "propose_plan":
                effects["root_cause"] = facts or "经检测确认故障原因，详见检测报告。"
                effects["plan"] = rng.choice(PLANS)
            elif action == "close":
                effects["satisfaction"] = rng.choice(("satisfied", "satisfied", "very_satisfied", "neutral"))
            elif action == "refuse":
                note = effects["refusal_reason"] = rng.choice(REFUSALS)
            if target in ("closed", "refused"):
                effects["closed_at"], effects["due_at"] = at, None
            if action == "reopen":
                effects["closed_at"], effects["due_at"] = None, at + self.interim
            if action == "escalate":
                effects["escalated_at"] = at
            changes = {
                k: [
                    _iso(values[k]) if isinstance(values[k], datetime) else values[k],
                    _iso(v) if isinstance(v, datetime) else v,
                ]
                for k, v in effects.items()
            }
            values.update(effects)
            events.append(
                (
                    next_event_id + len(events),
                    complaint_id,
                    at,
                    actor,
                    "transition",
                    action,
                    current,
                    target,
                    changes,
                    note,
                )
            )
            current = target
        updated_at = times[-1] if times else received_at
        row = (
            complaint_id,
            self.numberer.next(received_at.astimezone(self.tz).year),
            info.org.pk,
            rng.choice(self.channels),
            received_at,
            agent,
            customer_id,
            vehicle_id,
            verbatim,
            facts,
            rng.choice(self.emotions),
            category,
            rng.choice(self.natures),
            rng.choices(self.severities, cum_weights=(80, 94, 99, 100))[0],
            sorted(rng.sample(self.demands, rng.choice((0, 1, 1, 2)))),
            department,
            assignee,
            current,
            1 + len(path),
            values["promised_plan_at"],
            values["root_cause"],
            values["plan"],
            values["refusal_reason"],
            values["satisfaction"],
            values["escalated_at"],
            values["due_at"],
            values["closed_at"],
            received_at,
            updated_at,
            document_tokens(verbatim, facts),
            # an escalation of the generated history reached the carmaker (escalated_at is set)
            "crc_agent" if values["escalated_at"] and current == "escalated" else "",
        )
        return row, events


def make_customers(
    rng: random.Random,
    dealers: list[DealerInfo],
    options: Options,
    now: datetime,
    first_customer: int,
    first_vehicle: int,
) -> tuple[list[tuple], list[tuple], list[tuple[int, int, int]]]:
    """Customer rows, vehicle rows and (customer_id, first_vehicle_id, vehicles) per customer."""
    total = max(len(dealers), int(options.complaints * options.customers_per_complaint))
    weights = [rng.lognormvariate(0, 0.5) for _ in dealers]
    scale = total / sum(weights)
    customers: list[tuple[Any, ...]] = []
    vehicles: list[tuple[Any, ...]] = []
    index: list[tuple[int, int, int]] = []
    customer_id, vehicle_id = first_customer, first_vehicle
    start = now - timedelta(days=365 * options.years)
    for info, weight in zip(dealers, weights, strict=True):
        info.customer_first = len(index)
        info.customer_count = max(1, round(weight * scale))
        for _ in range(info.customer_count):
            created = start - timedelta(days=rng.uniform(0, 400))
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", rng.choice(GIVEN)))
            customers.append(
                (
                    customer_id,
                    info.org.pk,
                    name,
                    random_mobile(rng),
                    rng.random() < 0.05,
                    "",
                    True,
                    True,
                    rng.random() < 0.3,
                    created,
                    1,
                )
            )
            count = 2 if rng.random() < 0.1 else 1
            index.append((customer_id, vehicle_id, count))
            for _ in range(count):
                purchase = created.date() - timedelta(days=rng.randrange(0, 200))
                vehicles.append(
                    (
                        vehicle_id,
                        customer_id,
                        random_plate(rng, info.plate_prefix),
                        random_vin(rng),
                        rng.choice(MODELS),
                        rng.randrange(300, 150000),
                        purchase,
                        purchase + timedelta(days=3 * 365),
                        1,
                    )
                )
                vehicle_id += 1
            customer_id += 1
    return customers, vehicles, index


# --- the load -----------------------------------------------------------------------------------


def generate(options: Options) -> Result:
    """Create the organisation, customers, vehicles, complaints and timelines; returns counts."""
    result = Result()
    began = time.monotonic()
    postgres = connection.vendor == "postgresql"
    method = options.method if options.method != "auto" else ("copy" if postgres else "orm")
    if method == "copy" and not postgres:
        raise SystemExit("--method copy needs PostgreSQL")
    rebuild = options.rebuild_indexes
    if rebuild is None:
        rebuild = postgres and method == "copy" and options.complaints >= BIG_LOAD
    rng = random.Random(options.seed)
    now = timezone.now()
    with transaction.atomic():
        dealers, users = build_organizations(options)
    result.dealers = [d.org.pk for d in dealers]
    result.seconds["organizations"] = time.monotonic() - began
    _log(
        options,
        f"{len(dealers)} dealers, {len(users)} users ({method}, rebuild indexes: {rebuild})",
    )

    with transaction.atomic():
        writer: CopyWriter | OrmWriter = CopyWriter() if method == "copy" else OrmWriter()
        definitions: list[str] = []
        if postgres and method == "copy":
            with connection.cursor() as cursor:
                # As pg_restore --disable-triggers: the ids below are consistent by construction.
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL synchronous_commit = off")
            if rebuild:
                definitions = drop_secondary_indexes()
        step = time.monotonic()
        customers, vehicles, index = make_customers(
            rng, dealers, options, now, _next_id(Customer), _next_id(Vehicle)
        )
        for rows, model, columns in (
            (customers, Customer, CUSTOMER_COLUMNS),
            (vehicles, Vehicle, VEHICLE_COLUMNS),
        ):
            for at in range(0, len(rows), options.batch):
                writer.write(model, columns, rows[at : at + options.batch])
        result.customers, result.vehicles = len(customers), len(vehicles)
        del customers, vehicles
        result.seconds["customers"] = time.monotonic() - step
        _log(
            options,
            f"{result.customers} customers, {result.vehicles} vehicles in {result.seconds['customers']:.1f}s",
        )

        step = time.monotonic()
        numberer = Numberer(options.complaints)
        maker = ComplaintMaker(rng, dealers, index, numberer, options, now)
        complaint_id, event_id = _next_id(Complaint), _next_id(TimelineEntry)
        result.first_complaint_id = complaint_id
        done = 0
        while done < options.complaints:
            chunk = min(options.batch, options.complaints - done)
            complaint_rows, event_rows = [], []
            for i in range(done, done + chunk):
                row, events = maker.make(i, complaint_id, event_id)
                complaint_rows.append(row)
                event_rows.extend(events)
                complaint_id += 1
                event_id += len(events)
            with _explicit_timestamps(Complaint, TimelineEntry):
                writer.write(Complaint, COMPLAINT_COLUMNS, complaint_rows)
                writer.write(TimelineEntry, TIMELINE_COLUMNS, event_rows)
            done += chunk
            result.timeline_entries += len(event_rows)
            elapsed = time.monotonic() - step
            _log(
                options,
                f"  {done:>9} complaints, {result.timeline_entries:>9} events, "
                f"{elapsed:6.1f}s, {done / elapsed:8.0f}/s",
            )
        numberer.finish()
        result.complaints, result.last_complaint_id = done, complaint_id - 1
        result.seconds["complaints"] = time.monotonic() - step

        if postgres and method == "copy":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
        step = time.monotonic()
        if definitions:
            _log(options, f"rebuilding {len(definitions)} indexes")
            create_indexes(definitions, options)
        result.seconds["indexes"] = time.monotonic() - step
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [Customer, Vehicle, Complaint, TimelineEntry]
            ):
                cursor.execute(statement)

    step = time.monotonic()
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table) for m in (Customer, Vehicle, Complaint, TimelineEntry)
    )
    with connection.cursor() as cursor:
        if postgres and not connection.in_atomic_block:
            cursor.execute(f"VACUUM (ANALYZE) {tables}")
        elif postgres:
            cursor.execute(f"ANALYZE {tables}")
        else:
            cursor.execute("ANALYZE")
    result.seconds["analyze"] = time.monotonic() - step

    if options.tokens_out is not None:
        result.tokens = issue_tokens(dealers, users)
        options.tokens_out.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "generated_at": now.isoformat(),
            "database": connection.settings_dict["NAME"],
            "password": options.password,
            "complaints": result.complaints,
            "first_complaint_id": result.first_complaint_id,
            "last_complaint_id": result.last_complaint_id,
            "dealers": result.dealers,
            "users": result.tokens,
        }
        options.tokens_out.write_text(json.dumps(payload, ensure_ascii=False, indent=1))
    result.seconds["total"] = time.monotonic() - began
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=Options.complaints)
    parser.add_argument("--regions", type=int, default=Options.regions)
    parser.add_argument("--dealers-per-region", type=int, default=Options.dealers_per_region)
    parser.add_argument("--agents-per-dealer", type=int, default=Options.agents_per_dealer)
    parser.add_argument("--customers-per-complaint", type=float, default=Options.customers_per_complaint)
    parser.add_argument("--years", type=float, default=Options.years)
    parser.add_argument("--seed", type=int, default=Options.seed)
    parser.add_argument("--batch", type=int, default=Options.batch)
    parser.add_argument("--method", choices=("auto", "copy", "orm"), default="auto")
    parser.add_argument("--password", default=Options.password)
    parser.add_argument("--tokens-out", type=Path, default=RESULTS_DIR / "tokens.json")
    parser.add_argument("--rebuild-indexes", action=argparse.BooleanOptionalAction, default=None)
    args = parser.parse_args(argv)
    options = Options(**{k: v for k, v in vars(args).items()})
    result = generate(options)
    summary = {k: v for k, v in vars(result).items() if k not in ("tokens", "dealers")}
    summary["dealers"] = len(result.dealers)
    summary["database"] = connection.settings_dict["NAME"]
    print(json.dumps(summary, indent=1, default=str))


if __name__ == "__main__":
    main()
