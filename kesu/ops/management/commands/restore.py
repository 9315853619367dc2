"""`python -m kesu restore FOLDER`: load a backup into the configured database and folders and
check every table and file against its manifest (kesu/ops/backup.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kesu.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder into the configured database and folders, and verify it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--replace", action="store_true", help="overwrite an existing installation")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checked = restore(options["folder"], replace=options["replace"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables, rows, files = checked["tables"], checked["rows"], checked["files"]
        self.stdout.write(f"restored and verified: {tables} tables, {rows} rows, {files} files")
