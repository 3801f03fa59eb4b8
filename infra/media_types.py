"""What a file is, judged by its first bytes (and a zip's entries), never by its name.

Evidence is photos, scans and documents: JPEG, PNG, PDF, Word and Excel (DOCX/XLSX, zip
archives told apart by their entries) and MP4 video. Anything else is refused.
"""

from __future__ import annotations

import io
import zipfile

JPEG, PNG, PDF, MP4 = "image/jpeg", "image/png", "application/pdf", "video/mp4"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED = (JPEG, PNG, PDF, DOCX, XLSX, MP4)

_MAGIC = ((b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"%PDF-", PDF))
# The part each kind of Office Open XML package must hold (ECMA-376 part 2).
_OOXML = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))
_MP4_BRANDS = (b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"3gp4", b"3gp5")


def sniff(data: bytes) -> str | None:
    """The allowed media type `data` is, or None."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if data[4:8] == b"ftyp" and data[8:12] in _MP4_BRANDS:
        return MP4
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def _office(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):  # a damaged or truncated archive
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, media_type in _OOXML:
        if part in names:
            return media_type
    return None
