"""`python -m kesu backup FOLDER`: the database and the attachment and model folders, with a
manifest of row counts and checksums (kesu/ops/backup.py; docs/operations.md, "Backup")."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kesu.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the files (attachments, trained models) into a new folder."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["folder"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        files = sum(len(f) for f in manifest["files"].values())
        self.stdout.write(
            f"backup in {options['folder']}: {len(manifest['tables'])} tables, {rows} rows, {files} files"
        )
