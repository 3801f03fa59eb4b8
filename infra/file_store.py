"""Where evidence files' bytes are kept, by SHA-256: one small interface, a folder by default.

An S3-compatible store is a later drop-in: it implements the same three calls. Rows of
`evidence_files` (infra/evidence_files.py) say which county may read which file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileStore(Protocol):
    async def put(self, sha256: str, data: bytes) -> None:
        """Keeps `data` under its digest; keeping it again changes nothing."""

    async def get(self, sha256: str) -> bytes | None:
        """The file's bytes, or None when the store has none under that digest."""

    async def delete(self, sha256: str) -> None:
        """Removes the file; a missing one is not an error."""


class FolderStore:
    """Files in a folder, `ab/abcdef…` (the first two hex digits spread them over 256 folders).

    A file is written whole to a name of its own, synced, then renamed into place, so a reader
    finds either no file or the complete one.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):  # the digest names a path: never a `..`
            raise ValueError(f"not a SHA-256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    async def put(self, sha256: str, data: bytes) -> None:
        await asyncio.to_thread(self._put, self.path(sha256), data)

    async def get(self, sha256: str) -> bytes | None:
        return await asyncio.to_thread(self._get, self.path(sha256))

    async def delete(self, sha256: str) -> None:
        path = self.path(sha256)
        await asyncio.to_thread(path.unlink, missing_ok=True)

    @staticmethod
    def _put(path: Path, data: bytes) -> None:
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{id(data)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            draft.replace(path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                draft.unlink()

    @staticmethod
    def _get(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
