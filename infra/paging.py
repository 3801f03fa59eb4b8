"""Keyset paging: a page of `limit` items, and the sort key of its last one as an opaque cursor."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

T = TypeVar("T")


class InvalidCursorError(ValueError):
    """A cursor that no page handed out."""


def encode_cursor(*key: Any) -> str:  # noqa: ANN401 - any JSON value of a sort key
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).decode().rstrip("=")


def decode_cursor(cursor: str, shape: msgspec.json.Decoder[T]) -> T:
    """The sort key a cursor holds, checked by `shape` (a decoder of a tuple type)."""
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        return shape.decode(raw)
    except (binascii.Error, ValueError, msgspec.DecodeError) as error:
        raise InvalidCursorError("malformed cursor") from error


def page_of(
    rows: Sequence[T], limit: int, key: Callable[[T], tuple[Any, ...]]
) -> tuple[list[T], str | None]:
    """The page's items and the cursor of the next page, from `limit + 1` rows asked for.

    The extra row only says that there is a next page: a full last page promises none.
    """
    items = list(rows[:limit])
    more = len(rows) > limit and bool(items)
    return items, encode_cursor(*key(items[-1])) if more else None
