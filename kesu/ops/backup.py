"""Backup and restore of a whole installation: the database and the files beside it.

A backup is a folder: the database (``kesu.dump`` from ``pg_dump -Fc``, or ``kesu.sqlite3`` made
with SQLite's online backup API), one ``.tar.gz`` per file folder (uploaded attachments, trained
classifier models) and ``manifest.json`` with every table's row count and checksum and every
file's SHA-256. On PostgreSQL the checksums and the dump read one exported snapshot, so they
describe the same moment although the application keeps writing. ``restore`` loads the folder
into the configured database and folders and checks the result against the manifest: a
mismatch is an error, not a warning.

The checksum of a table is order-free: the MD5 of the sorted MD5s of its rows' text, so a
restore that stores the rows in another physical order still matches.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from kesu.insights.conf import models_dir

MANIFEST = "manifest.json"
PG_DUMP = "kesu.dump"
SQLITE_COPY = "kesu.sqlite3"


class BackupError(Exception):
    """The backup or restore could not be made, or does not match its manifest."""


def file_folders() -> dict[str, Path]:
    """The folders a backup carries besides the database."""
    return {"media": Path(settings.MEDIA_ROOT), "insights-models": models_dir()}


def _db() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _vendor() -> str:
    engine = _db()["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"no backup for {engine}")


def _pg_env() -> dict[str, str]:
    db = _db()
    env = {**os.environ, "PGHOST": db.get("HOST") or "127.0.0.1", "PGPORT": str(db.get("PORT") or 5432)}
    env["PGUSER"] = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _pg_connect(dbname: str | None = None) -> Any:
    import psycopg

    env, db = _pg_env(), _db()
    return psycopg.connect(
        host=env["PGHOST"],
        port=env["PGPORT"],
        user=env["PGUSER"],
        password=db.get("PASSWORD") or None,
        dbname=dbname or db["NAME"],
        autocommit=True,
    )


# --- checksums ---------------------------------------------------------------------------------


def _pg_checksums(cursor: Any) -> dict[str, dict[str, Any]]:
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    result = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(
            f"SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "
            f"FROM (SELECT md5(t::text) AS h FROM {quoted} t) rows"
        )
        count, checksum = cursor.fetchone()
        result[table] = {"rows": count, "checksum": checksum}
    return result


def _sqlite_checksums(path: Path) -> dict[str, dict[str, Any]]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        result = {}
        for (table,) in names:
            quoted = '"' + table.replace('"', '""') + '"'
            hashes = sorted(
                hashlib.md5(repr(row).encode()).hexdigest() for row in db.execute(f"SELECT * FROM {quoted}")
            )
            checksum = hashlib.md5("".join(hashes).encode()).hexdigest() if hashes else ""
            result[table] = {"rows": len(hashes), "checksum": checksum}
        return result
    finally:
        db.close()


def database_checksums() -> dict[str, dict[str, Any]]:
    """Row count and checksum of every table of the configured database, as it is now."""
    if _vendor() == "sqlite":
        return _sqlite_checksums(Path(_db()["NAME"]))
    with _pg_connect() as conn, conn.cursor() as cursor:
        return _pg_checksums(cursor)


def file_checksums(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# --- backup ------------------------------------------------------------------------------------


@contextmanager
def _pg_snapshot() -> Iterator[tuple[str, dict[str, dict[str, Any]]]]:
    """An exported snapshot (for pg_dump --snapshot) and the checksums read in it."""
    conn = _pg_connect()
    try:
        conn.autocommit = False
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            checksums = _pg_checksums(cursor)
            yield snapshot, checksums  # the transaction stays open while pg_dump reads
        conn.rollback()
    finally:
        conn.close()


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def backup(destination: Path) -> dict[str, Any]:
    """Write a backup folder; returns its manifest."""
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty")
    vendor = _vendor()
    if vendor == "sqlite":
        source = sqlite3.connect(_db()["NAME"])
        target = sqlite3.connect(destination / SQLITE_COPY)
        try:
            with target:
                source.backup(target)  # online: a consistent copy while the app runs
        finally:
            source.close()
            target.close()
        tables = _sqlite_checksums(destination / SQLITE_COPY)
    else:
        with _pg_snapshot() as (snapshot, tables):
            dump = [
                "pg_dump",
                "-Fc",
                "--no-owner",
                f"--snapshot={snapshot}",
                "-f",
                str(destination / PG_DUMP),
            ]
            _run([*dump, _db()["NAME"]], env=_pg_env())
    files: dict[str, dict[str, str]] = {}
    for name, folder in file_folders().items():
        files[name] = file_checksums(folder)
        with tarfile.open(destination / f"{name}.tar.gz", "w:gz") as archive:
            if folder.is_dir():
                archive.add(folder, arcname=".")
    manifest = {
        "format": 1,
        "vendor": vendor,
        "created_at": timezone.now().isoformat(),
        "tables": tables,
        "files": files,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


# --- restore -----------------------------------------------------------------------------------


def _target_is_empty() -> bool:
    if _vendor() == "sqlite" and not Path(_db()["NAME"]).exists():
        return True
    tables = database_checksums()
    return not tables.get("django_migrations", {}).get("rows")


def restore(source: Path, *, replace: bool = False) -> dict[str, Any]:
    """Load a backup folder into the configured database and folders, then check it against the
    manifest. ``replace`` allows overwriting a database that already holds an installation.
    Returns {"tables": n, "files": n} checked."""
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    vendor = _vendor()
    if manifest["vendor"] != vendor:
        raise BackupError(f"the backup is from {manifest['vendor']}, the configured database is {vendor}")
    if not replace and not _target_is_empty():
        raise BackupError("the configured database already holds an installation (use --replace)")
    if vendor == "sqlite":
        target_path = Path(_db()["NAME"])
        target_path.parent.mkdir(parents=True, exist_ok=True)
        source_db = sqlite3.connect(f"file:{source / SQLITE_COPY}?mode=ro", uri=True)
        target = sqlite3.connect(target_path)
        try:
            with target:
                source_db.backup(target)
        finally:
            source_db.close()
            target.close()
    else:
        command = [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "-d",
            _db()["NAME"],
        ]
        _run([*command, str(source / PG_DUMP)], env=_pg_env())
    for name, folder in file_folders().items():
        if folder.exists() and replace:
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / f"{name}.tar.gz", "r:gz") as archive:
            archive.extractall(folder, filter="data")
    return verify(manifest)


def verify(manifest: dict[str, Any]) -> dict[str, Any]:
    """Compare the configured database and folders with a manifest; raise on any difference."""
    tables = database_checksums()
    wrong = sorted(
        name
        for name in set(manifest["tables"]) | set(tables)
        if manifest["tables"].get(name) != tables.get(name)
    )
    files = {name: file_checksums(folder) for name, folder in file_folders().items()}
    wrong_files = sorted(name for name in manifest["files"] if manifest["files"][name] != files.get(name, {}))
    if wrong or wrong_files:
        raise BackupError(f"restore does not match the backup: tables {wrong}, folders {wrong_files}")
    rows = sum(entry["rows"] for entry in tables.values())
    return {"tables": len(tables), "rows": rows, "files": sum(len(f) for f in files.values())}
