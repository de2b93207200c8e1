"""What may be attached to a report: a few document and image types, 20 MB at most."""

from pathlib import Path

from django.utils.translation import gettext as _

from config.errors import ServiceError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

# extension: (content type, how the file starts)
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK",)),
}


def check_upload(upload) -> str:
    """The upload's content type, or a translated refusal; judged by name and first bytes."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ServiceError(_("An attachment may be at most 20 MB."))
    extension = Path(upload.name).suffix.lower()
    if extension not in ALLOWED_TYPES:
        raise ServiceError(_("Attach PDF, JPG, PNG, Word (.docx) or Excel (.xlsx) files only."))
    content_type, signatures = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(signatures):
        raise ServiceError(_("The file's content does not match its type."))
    return content_type


def check_photo(upload) -> str:
    """A photo: JPG or PNG only, judged like any attachment."""
    extension = Path(upload.name).suffix.lower()
    if extension not in {".jpg", ".jpeg", ".png"}:
        raise ServiceError(_("Attach photos as JPG or PNG files."))
    return check_upload(upload)
