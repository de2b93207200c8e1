"""One upload policy for every stored file: what may be kept, in what form, and how it is served.

A file's type is read from its bytes, never from its name. Images are decoded and written anew
with Pillow, so nothing appended to or hidden in them survives; anything else that is allowed is
served as a download. Every model file field is a `PolicyFileField` naming its policy, and every
view that serves a stored file calls `serve_stored_file`; tests/test_upload_policy.py checks both.
"""

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from core.errors import ServiceError

MB = 1024 * 1024
# Larger pictures are refused before they are decoded (a small file can claim a huge size).
MAX_IMAGE_PIXELS = 50_000_000


@dataclass(frozen=True)
class FileType:
    name: str
    content_type: str
    extension: str
    # Pillow's name of the format, for images: these are re-encoded and may be shown inline.
    image_format: str = ""

    @property
    def is_image(self) -> bool:
        return bool(self.image_format)


JPEG = FileType("jpeg", "image/jpeg", ".jpg", "JPEG")
PNG = FileType("png", "image/png", ".png", "PNG")
PDF = FileType("pdf", "application/pdf", ".pdf")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
)
# An Office Open XML file is a zip; what it holds tells a document from a workbook.
OFFICE_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


def detect(file) -> FileType | None:
    """The type of a file from its first bytes (and, for a zip, its table of contents)."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return office_type(file)
    return None


def office_type(file) -> FileType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for file_type, part in OFFICE_PARTS.items():
        if part in names:
            return file_type
    return None


class UploadRefused(ServiceError):
    """A file the policy does not store; the message says what would be accepted."""


class CheckedFile(File):
    """A file the policy has accepted (an image already re-encoded), named after its type."""

    def __init__(self, file, name, file_type):
        super().__init__(file, name)
        self.file_type = file_type

    @property
    def content_type(self) -> str:
        return self.file_type.content_type


@dataclass(frozen=True)
class UploadPolicy:
    name: str
    types: tuple[FileType, ...]
    max_bytes: int
    wrong_type: str
    too_large: str
    # False for files only the server writes (exports): nobody uploads them, the policy still
    # checks what is stored and how it is served.
    uploaded: bool = True

    def allows(self, file_type: FileType | None) -> bool:
        return file_type in self.types

    def named_as_allowed(self, name: str) -> bool:
        extension = Path(name).suffix.lower()
        return extension in {file_type.extension for file_type in self.types} | (
            {".jpeg"} if JPEG in self.types else set()
        )

    def check(self, upload, name: str = "") -> CheckedFile:
        """The upload as it may be stored, or UploadRefused with a translated reason."""
        name = name or getattr(upload, "name", "") or "file"
        if isinstance(upload, CheckedFile) and self.allows(upload.file_type):
            return upload
        size = upload.size if upload.size is not None else 0
        if size > self.max_bytes:
            raise UploadRefused(self.too_large)
        file_type = detect(upload)
        if not self.allows(file_type):
            # The name decides nothing; it only tells a mislabelled file from a wrong one.
            if self.named_as_allowed(name):
                raise UploadRefused(_("The file's content does not match its type."))
            raise UploadRefused(self.wrong_type)
        stored_name = (Path(name).stem or "file") + file_type.extension
        if file_type.is_image:
            return CheckedFile(reencode(upload, file_type), stored_name, file_type)
        return CheckedFile(upload, stored_name, file_type)


UNREADABLE_IMAGE = _("This picture cannot be read. Upload a real JPG or PNG photo.")


def reencode(upload, file_type: FileType) -> io.BytesIO:
    """The picture decoded and written anew: no metadata, nothing appended, nothing hidden."""
    from PIL import Image, ImageOps

    upload.seek(0)
    output = io.BytesIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[file_type.image_format]) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise UploadRefused(_("The picture is too large; at most 50 megapixels."))
                image.load()
                picture = ImageOps.exif_transpose(image)
                if file_type is JPEG:
                    if picture.mode not in {"L", "RGB"}:
                        picture = picture.convert("RGB")
                    picture.save(output, format="JPEG", quality=90)
                else:
                    if picture.mode not in {"1", "L", "LA", "RGB", "RGBA"}:
                        picture = picture.convert("RGBA")
                    picture.save(output, format="PNG")
    except UploadRefused:
        raise
    except (
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise UploadRefused(UNREADABLE_IMAGE) from error
    finally:
        upload.seek(0)
    output.seek(0)
    return output


DOCUMENTS = UploadPolicy(
    name="documents",
    types=(PDF, JPEG, PNG, DOCX, XLSX),
    max_bytes=20 * MB,
    wrong_type=_("Attach PDF, JPG, PNG, Word (.docx) or Excel (.xlsx) files only."),
    too_large=_("An attachment may be at most 20 MB."),
)
PHOTOS = UploadPolicy(
    name="photos",
    types=(JPEG, PNG),
    max_bytes=20 * MB,
    wrong_type=_("Attach photos as JPG or PNG files."),
    too_large=_("A photo may be at most 20 MB."),
)
SERVER_EXPORTS = UploadPolicy(
    name="server-exports",
    types=(XLSX,),
    max_bytes=200 * MB,
    wrong_type=_("Only Excel workbooks made by the platform are kept here."),
    too_large=_("The workbook is too large to keep."),
    uploaded=False,
)
POLICIES = {policy.name: policy for policy in (DOCUMENTS, PHOTOS, SERVER_EXPORTS)}


# Model and form fields ---------------------------------------------------------------------


class PolicyFieldFile(FieldFile):
    """Whatever way a file reaches storage (a form, a service, `.save()`), the policy sees it."""

    def save(self, name, content, save=True):
        checked = self.field.policy.check(content, name)
        super().save(checked.name, checked, save)


class PolicyFormFileField(forms.FileField):
    """A form's file field that refuses what the policy refuses and hands on the checked file."""

    def __init__(self, *, policy: UploadPolicy, **kwargs):
        self.policy = policy
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            try:
                return self.policy.check(value)
            except UploadRefused as refusal:
                raise forms.ValidationError(refusal.message, code="upload_refused") from refusal
        return value


class PolicyFileField(models.FileField):
    """A FileField bound to one upload policy (`policy` names one of POLICIES)."""

    attr_class = PolicyFieldFile

    def __init__(self, *args, policy: str = "", **kwargs):
        self.policy = POLICIES[policy]
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["policy"] = self.policy.name
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        if not self.policy.uploaded:
            return None  # no form offers to upload what only the server writes
        return super().formfield(
            **{"form_class": PolicyFormFileField, "policy": self.policy, **kwargs}
        )


# Serving -----------------------------------------------------------------------------------

# No script, no plugin, no form, no same-origin powers, even if a browser renders the file.
STORED_FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
UNKNOWN = "application/octet-stream"


def serve_stored_file(fieldfile, *, content_type: str = "", filename: str = "") -> FileResponse:
    """A stored file as its policy allows: its type read again from its bytes (and matching
    `content_type` when one was stored), `nosniff`, a sandbox, and a download unless it is a
    re-encoded image. A file the policy would not accept today (kept from before it) is served
    as opaque bytes to download."""
    policy = fieldfile.field.policy
    try:
        handle = fieldfile.open("rb")
    except (OSError, ValueError) as error:  # no file, or gone from storage
        raise Http404 from error
    file_type = detect(handle)
    accepted = policy.allows(file_type) and content_type in {"", file_type.content_type}
    stem = Path(filename or fieldfile.name).stem or "file"
    response = FileResponse(
        handle,
        as_attachment=not (accepted and file_type.is_image),
        filename=stem + (file_type.extension if accepted else ".bin"),
        content_type=file_type.content_type if accepted else UNKNOWN,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = STORED_FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
