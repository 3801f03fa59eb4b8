"""Checks of free-text values shared by the aggregates."""

from domain.errors import InvalidValueError


def required(value: str, *, field: str, limit: int) -> str:
    """Strip `value`; refuse it blank or longer than `limit` characters."""
    value = value.strip()
    if not value:
        raise InvalidValueError(field=field, reason="blank")
    return optional(value, field=field, limit=limit)


def optional(value: str, *, field: str, limit: int) -> str:
    """Strip `value`, which may be blank; refuse it longer than `limit` characters."""
    value = value.strip()
    if len(value) > limit:
        raise InvalidValueError(field=field, reason="too_long", limit=limit)
    return value
