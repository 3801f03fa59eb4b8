"""The Ed25519 key that signs chain checkpoints, kept outside the database.

From `JGT_SIGNING_KEY` (PKCS#8 PEM text) when set, else from a file in the data folder,
created on first use, readable by its owner only.
"""

from __future__ import annotations

import functools
import os
import stat
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

if TYPE_CHECKING:
    from pathlib import Path

KEY_FILE = "signing_key.pem"


class SigningKeyError(ValueError):
    """The configured signing key cannot be used."""


class Signer:
    """Signs with the configured key; the key is read (or made) once, when first needed."""

    def __init__(self, *, pem: str | None = None, path: Path | None = None) -> None:
        if pem is None and path is None:
            raise ValueError("a signer needs a key (PEM text) or a key file")
        self._pem, self._path = pem, path

    @classmethod
    def of(cls, private_key: Ed25519PrivateKey) -> Signer:
        return cls(pem=_pem(private_key).decode())

    @functools.cached_property
    def _key(self) -> Ed25519PrivateKey:
        if self._pem is not None:
            return _load(self._pem.encode(), "JGT_SIGNING_KEY")
        assert self._path is not None  # noqa: S101 - __init__ insists on one of the two
        return _load_or_create(self._path)

    @functools.cached_property
    def public_key(self) -> bytes:
        """The raw 32 bytes that verify this signer's signatures."""
        return self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def public_key_if_present(self) -> bytes | None:
        """The public key, or None where no key is configured yet (never makes one)."""
        if self._pem is None and self._path is not None and not self._path.exists():
            return None
        return self.public_key

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


def signature_holds(public_key: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _load(pem: bytes, where: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise SigningKeyError(f"{where} is not an unencrypted PEM private key") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{where} is not an Ed25519 key")
    return key


def _load_or_create(path: Path) -> Ed25519PrivateKey:
    """The key in `path`; a new one written there (mode 0600) if there is none yet.

    The new key is written whole to a file of its own, then linked to `path`: a process
    starting at the same moment finds either no file or a complete one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(_pem(key))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: use its key
        else:
            return key
        finally:
            draft.unlink()
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SigningKeyError(f"{path} may be read by others (mode {mode & 0o777:o}): chmod 600 it")
    return _load(path.read_bytes(), str(path))
