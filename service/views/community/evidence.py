"""Evidence files and sign-in links as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from infra.sign_in_links import SignInLink

if TYPE_CHECKING:
    from domain.community.activity import Activity
    from infra.evidence_files import StoredFile
    from infra.signing import Signer


class FileView(msgspec.Struct, frozen=True, kw_only=True):
    """An uploaded file: name it by `sha256` in an action's evidence."""

    sha256: str
    size: int
    media_type: str  # as its content shows, whatever the upload said
    uploaded_at: datetime


def file_view(stored: StoredFile) -> FileView:
    return FileView(
        sha256=stored.sha256,
        size=stored.size,
        media_type=stored.media_type,
        uploaded_at=stored.uploaded_at,
    )


class SignInLinkView(msgspec.Struct, frozen=True, kw_only=True):
    """The link to show as a QR code: anyone holding it may sign in until `expires_at`."""

    activity_id: UUID
    link_id: UUID
    expires_at: datetime
    url: str  # the mobile sign-in page
    qr_svg_url: str  # the link as a QR code (SVG), for the organiser's screen


def sign_in_link_of(activity: Activity, tenant_id: UUID) -> SignInLink:
    """The action's newest link (the one a command just issued)."""
    link_id, expires_at = list(activity.sign_in_links.items())[-1]
    return SignInLink(
        tenant_id=tenant_id, activity_id=activity.id, link_id=link_id, expires_at=expires_at
    )


def sign_in_link_view(link: SignInLink, signer: Signer, base_url: str) -> SignInLinkView:
    url = f"{base_url.rstrip('/')}/v1/sign-in/{link.token(signer)}"
    return SignInLinkView(
        activity_id=link.activity_id,
        link_id=link.link_id,
        expires_at=link.expires_at,
        url=url,
        qr_svg_url=f"{url}/qr.svg",
    )
