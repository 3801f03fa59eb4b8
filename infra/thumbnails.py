"""Thumbnails of evidence photos: small JPEGs made once per file and kept by its SHA-256.

Only JPEG and PNG are opened (the image kinds infra/media_types.py lets in), and only when
their header says they hold no more pixels than their limit: a small file that claims a huge
image (a decompression bomb) is refused before any of it is decoded. A JPEG is decoded at a
reduced scale (1/2 to 1/8, Pillow's draft mode), so a large photo costs little memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from PIL import Image, ImageOps

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from pathlib import Path

log = logging.getLogger(__name__)

MAX_SIDE = 400  # pixels of the longer side: sharp at 200 CSS px on a phone's screen
QUALITY = 80
# Pixels a header may claim, by format: below Pillow's own bomb warning (89 M) for a JPEG,
# which is decoded at a reduced scale; a PNG is decoded whole (4 bytes a pixel at most). MPO
# is a JPEG with more pictures after the first (many phones' and cameras' photos).
MAX_PIXELS = {"JPEG": 80_000_000, "MPO": 80_000_000, "PNG": 25_000_000}
_DECODED = ("JPEG", "PNG")  # the only decoders opened (Pillow's JPEG one reads MPO too)
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Decoding is CPU work: at most two at once, off the event loop, whichever loop asks.
_DECODERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="jgt-thumbnail")


def make(data: bytes, max_side: int = MAX_SIDE) -> bytes | None:
    """A JPEG of at most `max_side` pixels a side, or None for a file that gets none."""
    try:
        with Image.open(io.BytesIO(data), formats=_DECODED) as image:
            width, height = image.size
            limit = MAX_PIXELS.get(image.format or "", 0)
            if width * height > limit:
                return None
            image.draft("RGB", (max_side, max_side))  # a JPEG only; others ignore it
            upright = ImageOps.exif_transpose(image)  # a phone's photo as it was held
            upright.thumbnail((max_side, max_side))
            flat = _on_white(upright)
            out = io.BytesIO()
            flat.save(out, "JPEG", quality=QUALITY, optimize=True)
            return out.getvalue()
    except Exception as error:  # noqa: BLE001 - whatever a damaged image raises: no thumbnail
        log.info("no thumbnail: %s", error)
        return None


def _on_white(image: Image.Image) -> Image.Image:
    """An RGB image; what was transparent shows white, as on the page."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


class ThumbnailCache:
    """Thumbnails in a folder, `ab/abcdef…-400.jpg`; an empty file: that one gets none.

    The folder can be removed at any time: what is missing is made again.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):  # the digest names a path: never a `..`
            raise ValueError(f"not a SHA-256 digest: {sha256!r}")
        return self.root / sha256[:2] / f"{sha256}-{MAX_SIDE}.jpg"

    async def get(
        self, sha256: str, original: Callable[[], Awaitable[bytes | None]]
    ) -> bytes | None:
        """The thumbnail of the file, made from `original()` the first time it is asked for."""
        path = self.path(sha256)
        kept = await asyncio.to_thread(_read, path)
        if kept is not None:
            return kept or None
        data = await original()
        if data is None:
            return None
        made = await asyncio.get_running_loop().run_in_executor(_DECODERS, make, data)
        await asyncio.to_thread(_write, path, made or b"")
        return made


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write(path: Path, data: bytes) -> None:
    """Written whole under a name of its own, then renamed: a reader sees all of it or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{id(data)}")
    try:
        draft.write_bytes(data)
        draft.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            draft.unlink()
