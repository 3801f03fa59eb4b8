"""Checks of free-text values shared by the aggregates and the service's request gate."""

import re

from domain.errors import InvalidValueError

# PostgreSQL's text cannot hold NUL, UTF-8 cannot carry a lone surrogate, and other control
# characters (C0 but tab and newline, DEL, C1) garble every list, export and report that shows them.
_UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def storable(text: str) -> bool:
    """Whether `text` can be stored and shown: no control character but tab and newline."""
    return _UNSTORABLE.search(text) is None


def required(value: str, *, field: str, limit: int) -> str:
    """Strip `value`; refuse it blank or longer than `limit` characters."""
    value = value.strip()
    if not value:
        raise InvalidValueError(field=field, reason="blank")
    return optional(value, field=field, limit=limit)


def optional(value: str, *, field: str, limit: int) -> str:
    """Strip `value`, which may be blank; refuse it longer than `limit` characters or unstorable."""
    value = value.strip()
    if len(value) > limit:
        raise InvalidValueError(field=field, reason="too_long", limit=limit)
    if not storable(value):
        raise InvalidValueError(field=field, reason="control_character")
    return value
