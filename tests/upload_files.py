"""Real files of each type the upload policy knows, made in memory, and a few it refuses."""

import io
import zipfile


def picture_bytes(image_format="PNG", size=(8, 6), color=(200, 30, 90)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()


def png_bytes(**kwargs) -> bytes:
    return picture_bytes("PNG", **kwargs)


def jpeg_bytes(**kwargs) -> bytes:
    return picture_bytes("JPEG", **kwargs)


def office_bytes(main_part: str) -> bytes:
    """A minimal Office Open XML package: the content types and the main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return office_bytes("word/document.xml")


def xlsx_bytes() -> bytes:
    return office_bytes("xl/workbook.xml")


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SCRIPT = b"window.__xss = 1; alert(document.domain);\n"
HTML = b"<!doctype html><html><body><script>window.__xss = 1</script></body></html>\n"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss = 1">'
    b"<script>window.__xss = 1</script></svg>\n"
)
