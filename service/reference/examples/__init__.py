"""Examples of every body and answer the API describes, by type: real values, not random ones.

Each module lists instances of the request and view structs of its routes; a list answer's
example is its item's, in a list. tests/service/test_openapi.py fails on an operation whose
body or answer has none, and on an example its schema refuses.
"""

from __future__ import annotations

from typing import get_args, get_origin

import msgspec

from service.reference.examples import access, community, reads

_ALL: dict[type, msgspec.Struct] = {
    type(found): found for module in (access, community, reads) for found in module.EXAMPLES
}


def example_value(annotation: object) -> object:
    """The example of a body or answer of type `annotation`, as JSON builtins; None if none."""
    if get_origin(annotation) is list:
        item = example_value(get_args(annotation)[0])
        return None if item is None else [item]
    found = _ALL.get(annotation) if isinstance(annotation, type) else None
    return None if found is None else msgspec.to_builtins(found)
