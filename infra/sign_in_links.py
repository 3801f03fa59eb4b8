"""Sign-in links: a county, an action, a link id and an expiry, signed with the service's key.

The link is the authority of a phone sign-in (no bearer token): whoever holds it may open
the action's sign-in page until it expires. It is signed with the Ed25519 key of
`infra.signing` under a prefix of its own, so no other signature of the service passes for one.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from infra.signing import Signer, signature_holds

_DOMAIN = b"jiaogongti sign-in link v1\x00"
_BODY = struct.Struct(">16s16s16sq")  # county, action, link, expiry (seconds since 1970)
_SIGNATURE = 64


class BadLinkError(ValueError):
    """Not a link this service signed (malformed, altered or forged)."""


@dataclass(frozen=True)
class SignInLink:
    tenant_id: UUID
    activity_id: UUID
    link_id: UUID
    expires_at: datetime

    def body(self) -> bytes:
        return _BODY.pack(
            self.tenant_id.bytes,
            self.activity_id.bytes,
            self.link_id.bytes,
            int(self.expires_at.timestamp()),
        )

    def token(self, signer: Signer) -> str:
        """The link's text, for a URL path: base64url without padding."""
        body = self.body()
        signed = body + signer.sign(_DOMAIN + body)
        return base64.urlsafe_b64encode(signed).decode().rstrip("=")


def read_link(token: str, public_key: bytes) -> SignInLink:
    """The link a token carries, if the service signed it; BadLinkError otherwise."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError) as error:
        raise BadLinkError("not base64url") from error
    if len(raw) != _BODY.size + _SIGNATURE:
        raise BadLinkError("wrong length")
    body, signature = raw[: _BODY.size], raw[_BODY.size :]
    if not signature_holds(public_key, signature, _DOMAIN + body):
        raise BadLinkError("bad signature")
    tenant, activity, link, expires = _BODY.unpack(body)
    return SignInLink(
        tenant_id=UUID(bytes=tenant),
        activity_id=UUID(bytes=activity),
        link_id=UUID(bytes=link),
        expires_at=datetime.fromtimestamp(expires, UTC),
    )
