"""Reading a JSON-like value by hand: every error names the path of the value it is about."""

from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from typing import TypeVar

from domain._text import storable
from domain.assessment.errors import InvalidRuleError

TEXT_LIMIT = 500
_E = TypeVar("_E", bound=StrEnum)


class Reader:
    """A value at `path`; objects track which keys were read so unknown ones are refused."""

    def __init__(self, value: object, path: str) -> None:
        self.value = value
        self.path = path

    def fail(self, reason: str, **params: object) -> InvalidRuleError:
        return InvalidRuleError(path=self.path, reason=reason, **params)

    def _child_path(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def obj(self, allowed: set[str]) -> "Obj":
        if not isinstance(self.value, dict) or not all(isinstance(k, str) for k in self.value):
            raise self.fail("not_object")
        for key in self.value:
            if key not in allowed:
                raise Reader(None, self._child_path(key)).fail("unknown_field")
        return Obj(self.value, self.path)

    def items(self, *, allow_empty: bool = False) -> Iterator["Reader"]:
        if not isinstance(self.value, list):
            raise self.fail("not_list")
        if not self.value and not allow_empty:
            raise self.fail("empty_list")
        for index, item in enumerate(self.value):
            yield Reader(item, self._child_path(index))

    def text(self, limit: int = TEXT_LIMIT) -> str:
        if not isinstance(self.value, str):
            raise self.fail("not_text")
        value = self.value.strip()
        if not value:
            raise self.fail("blank")
        if len(value) > limit:
            raise self.fail("too_long", limit=limit)
        if not storable(value):
            raise self.fail("control_character")
        return value

    def integer(self, *, minimum: int = 0) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail("not_integer")
        if self.value < minimum:
            raise self.fail("negative")
        return self.value

    def number(self) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self.fail("not_number")
        if self.value < 0:
            raise self.fail("negative")
        return float(self.value)

    def fraction(self) -> float:
        value = self.number()
        if value > 1:
            raise self.fail("not_fraction")
        return value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail("not_boolean")
        return self.value

    def day(self) -> date:
        if not isinstance(self.value, str):
            raise self.fail("not_date")
        try:
            return date.fromisoformat(self.value)
        except ValueError:
            raise self.fail("not_date") from None

    def code(self, enum: type[_E]) -> _E:
        if isinstance(self.value, str) and self.value in enum._value2member_map_:
            return enum(self.value)
        raise self.fail("bad_code", allowed=", ".join(m.value for m in enum))

    def one_of(self, allowed: tuple[str, ...]) -> str:
        if isinstance(self.value, str) and self.value in allowed:
            return self.value
        raise self.fail("bad_code", allowed=", ".join(allowed))

    def codes(self, enum: type[_E]) -> tuple[_E, ...]:
        return tuple(item.code(enum) for item in self.items())


class Obj:
    """An object's fields; `get` gives a Reader, `opt` one or None when the key is absent."""

    def __init__(self, value: dict[str, object], path: str) -> None:
        self.value = value
        self.path = path

    def _path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self.value and self.value[key] is not None

    def get(self, key: str) -> Reader:
        if not self.has(key):
            raise InvalidRuleError(path=self._path(key), reason="missing")
        return Reader(self.value[key], self._path(key))

    def opt(self, key: str) -> Reader | None:
        return self.get(key) if self.has(key) else None

    def fail(self, key: str, reason: str, **params: object) -> InvalidRuleError:
        return InvalidRuleError(path=self._path(key), reason=reason, **params)
