"""Attachments: photos, audio and documents, checked by size, extension and content."""

import os

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kesu.core.errors import Forbidden, InvalidInput, PayloadTooLarge
from kesu.core.validators import safe_file_name
from kesu.organizations.models import User
from kesu.organizations.permissions import Capability, has_capability

from . import events
from .models import Attachment
from .services import get_complaint

# extension → (kind, content type, magic prefixes; empty tuple = text, checked for NUL bytes)
ALLOWED: dict[str, tuple[str, str, tuple[bytes, ...]]] = {
    ".jpg": ("photo", "image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("photo", "image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("photo", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".webp": ("photo", "image/webp", (b"RIFF",)),
    ".heic": ("photo", "image/heic", (b"",)),
    ".mp3": ("audio", "audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".wav": ("audio", "audio/wav", (b"RIFF",)),
    ".m4a": ("audio", "audio/mp4", (b"",)),
    ".amr": ("audio", "audio/amr", (b"#!AMR",)),
    ".pdf": ("document", "application/pdf", (b"%PDF",)),
    ".docx": (
        "document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK",),
    ),
    ".xlsx": (
        "document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK",),
    ),
    ".txt": ("document", "text/plain", ()),
}


def _sniff_ok(head: bytes, magics: tuple[bytes, ...]) -> bool:
    if not magics:
        return b"\x00" not in head
    return any(head.startswith(magic) for magic in magics)


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(kind, content type) of an acceptable upload, else PayloadTooLarge / InvalidInput."""
    limit = settings.KESU_MAX_ATTACHMENT_BYTES
    if upload.size is None or upload.size > limit:
        raise PayloadTooLarge(
            _("Attachments are limited to %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
            fields={"file": _("Too large.")},
        )
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in ALLOWED:
        message = _("Allowed: %(types)s.") % {"types": " ".join(sorted(ALLOWED))}
        raise InvalidInput(message, fields={"file": message})
    kind, content_type, magics = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if not head or not _sniff_ok(head, magics):
        message = _("The file's content does not match its %(ext)s name.") % {"ext": extension}
        raise InvalidInput(message, fields={"file": message})
    return kind, content_type


@transaction.atomic
def add_attachment(*, actor: User, complaint_id: int, upload: UploadedFile) -> Attachment:
    complaint = get_complaint(actor=actor, complaint_id=complaint_id, for_update=True)
    if not has_capability(actor, Capability.EDIT_COMPLAINT):
        raise Forbidden(_("Your role cannot add attachments."))
    kind, content_type = check_upload(upload)
    original = safe_file_name(upload.name or "file")
    attachment = Attachment(
        complaint=complaint,
        original_name=original,
        content_type=content_type,
        size=upload.size or 0,
        kind=kind,
        uploaded_by=actor,
    )
    attachment.file.save(original, upload, save=False)
    try:  # if the row fails, the stored file must not linger
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    events.record_attachment(complaint, actor, original, attachment.size)
    return attachment
