"""Examples of every body and answer the API describes, by type: real values, not random ones.

Each module lists instances of the request and view structs of its routes; a list answer's
example is its item's, in a list. tests/service/test_openapi.py fails on an operation whose
body or answer has none, and on an example its schema refuses.
"""

from __future__ import annotations

import functools
import importlib
from typing import get_args, get_origin

import msgspec

# One module per context; a new context adds its own.
MODULES = (
    "access",
    "assessment",
    "community",
    "compliance",
    "reads",
    "research",
    "review",
    "staff",
)


@functools.cache
def _registry() -> dict[type, msgspec.Struct]:
    # Imported on the description's first render: a view that gained a field then fails the
    # description (and its test), not the start of the app.
    found: dict[type, msgspec.Struct] = {}
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        found |= {type(example): example for example in module.EXAMPLES}
    return found


def example_value(annotation: object) -> object:
    """The example of a body or answer of type `annotation`, as JSON builtins; None if none."""
    if get_origin(annotation) is list:
        item = example_value(get_args(annotation)[0])
        return None if item is None else [item]
    found = _registry().get(annotation) if isinstance(annotation, type) else None
    return None if found is None else msgspec.to_builtins(found)
