"""Backup and restore round trip on a small installation: every table's row count and checksum
and every attachment come back identical, on the suite's database vendor (SQLite: the online
backup API; PostgreSQL: pg_dump / pg_restore into a scratch database named after the test's)."""

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from kesu.complaints.attachments import add_attachment
from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.ops.backup import backup, database_checksums, file_checksums

from .procs import ROOT, kesu_env


@pytest.fixture
def scratch_url(tmp_path):
    """An empty target database: a SQLite file, or a PostgreSQL database named after the test's."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    dsn = f"host={host} port={port} user={params['USER']} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{params['USER']}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _kesu(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kesu", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_keeps_every_row_and_attachment(demo, tmp_path, settings, scratch_url):
    for n in range(3):
        customer = make_customer(demo, mobile=f"1381234{n:04d}", plate=f"粤A1234{n}")
        complaint = make_complaint(demo, customer=customer, verbatim=f"第{n}次：发动机异响，客户要求退车")
        upload = SimpleUploadedFile(
            f"检测报告{n}.txt", f"报告 {n}\n".encode() * 50, content_type="text/plain"
        )
        add_attachment(actor=demo.users["agent1"], complaint_id=complaint.pk, upload=upload)
    before = database_checksums()
    media = file_checksums(Path(settings.MEDIA_ROOT))
    assert len(media) == 3 and before["complaints_complaint"]["rows"] == 3

    manifest = backup(tmp_path / "backup")
    assert manifest["tables"] == before and manifest["files"]["media"] == media

    restored_dir = tmp_path / "restored"
    env = kesu_env(restored_dir, DATABASE_URL=scratch_url, KESU_MEDIA_ROOT=str(restored_dir / "media"))
    done = _kesu(env, "restore", str(tmp_path / "backup"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{len(before)} tables" in done.stdout

    # independently of the command's own check: read the restored installation back
    script = (
        "import json; from kesu.ops.backup import database_checksums; print(json.dumps(database_checksums()))"
    )
    after = json.loads(_kesu(env, "shell", "-c", script).stdout.strip().splitlines()[-1])
    assert after == before
    assert {k: v["rows"] for k, v in after.items()} == {k: v["rows"] for k, v in before.items()}
    assert file_checksums(restored_dir / "media") == media

    # a second restore onto the restored installation is refused without --replace
    again = _kesu(env, "restore", str(tmp_path / "backup"))
    assert again.returncode != 0 and "--replace" in again.stderr
    assert _kesu(env, "restore", "--replace", str(tmp_path / "backup")).returncode == 0


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_does_not_match_its_manifest_fails(demo, tmp_path, scratch_url):
    backup(tmp_path / "backup")
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["organizations_user"]["rows"] += 1  # as if a row were lost on the way
    manifest_path.write_text(json.dumps(manifest))
    env = kesu_env(tmp_path / "restored", DATABASE_URL=scratch_url)
    failed = _kesu(env, "restore", str(tmp_path / "backup"))
    assert failed.returncode != 0 and "organizations_user" in failed.stderr
