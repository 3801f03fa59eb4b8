"""A small JSON Schema check, for the parts of JSON Schema our OpenAPI description uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
    "object": (dict,),
    "array": (list,),
}
_FORMATS: dict[str, Callable[[str], object]] = {
    "uuid": UUID,
    "date": date.fromisoformat,
    "date-time": datetime.fromisoformat,
}


def refused(
    value: Any, schema: dict[str, Any], document: dict[str, Any], at: str = "$"
) -> list[str]:
    """What in `value` the `schema` refuses, each with its place; empty when it is valid."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        return refused(value, document["components"]["schemas"][name], document, at)
    problems = _alternatives(value, schema, document, at)
    if "type" in schema and not _typed(value, schema["type"]):
        return [*problems, f"{at}: {value!r} is not {schema['type']}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{at}: {value!r} not in {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        problems.append(f"{at}: {value!r} is not {schema['const']!r}")
    return problems + _by_kind(value, schema, document, at)


def _alternatives(
    value: Any, schema: dict[str, Any], document: dict[str, Any], at: str
) -> list[str]:
    for key in ("oneOf", "anyOf"):
        if key in schema:
            passing = [s for s in schema[key] if not refused(value, s, document, at)]
            if not passing or (key == "oneOf" and len(passing) > 1):
                return [f"{at}: {value!r} matches {len(passing)} of {key}"]
    return [p for s in schema.get("allOf", []) for p in refused(value, s, document, at)]


def _typed(value: Any, declared: str | list[str]) -> bool:
    kinds = declared if isinstance(declared, list) else [declared]
    number = isinstance(value, bool)  # a bool is an int in Python, not in JSON
    return any(
        isinstance(value, _TYPES[kind]) and not (kind in {"integer", "number"} and number)
        for kind in kinds
    )


def _by_kind(value: Any, schema: dict[str, Any], document: dict[str, Any], at: str) -> list[str]:
    if isinstance(value, str):
        return _string(value, schema, at)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value, schema, at)
    if isinstance(value, list):
        problems = []
        if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
            problems.append(f"{at}: {len(value)} items")
        for i, item in enumerate(value):
            problems += refused(item, schema.get("items", {}), document, f"{at}[{i}]")
        return problems
    if isinstance(value, dict):
        return _object(value, schema, document, at)
    return []


def _string(value: str, schema: dict[str, Any], at: str) -> list[str]:
    problems = []
    if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
        problems.append(f"{at}: length {len(value)}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{at}: {value!r} does not match {schema['pattern']}")
    parse = _FORMATS.get(schema.get("format", ""))
    if parse is not None:
        try:
            parse(value)
        except ValueError:
            problems.append(f"{at}: {value!r} is not a {schema['format']}")
    return problems


def _number(value: float, schema: dict[str, Any], at: str) -> list[str]:
    low, high = schema.get("minimum", value), schema.get("maximum", value)
    above = schema.get("exclusiveMinimum", value - 1) < value
    below = value < schema.get("exclusiveMaximum", value + 1)
    return [] if low <= value <= high and above and below else [f"{at}: {value} out of range"]


def _object(
    value: dict[str, Any], schema: dict[str, Any], document: dict[str, Any], at: str
) -> list[str]:
    problems = [f"{at}: missing {key}" for key in schema.get("required", []) if key not in value]
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            problems += refused(item, properties[key], document, f"{at}.{key}")
        elif extra is False:
            problems.append(f"{at}: unknown field {key}")
        elif isinstance(extra, dict):
            problems += refused(item, extra, document, f"{at}.{key}")
    return problems
