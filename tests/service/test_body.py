"""The body gate's edges: what passes it, and where exactly it starts refusing."""

from __future__ import annotations

import pytest

from service.body import MAX_DEPTH, check_body
from service.problems import ApiError


@pytest.mark.parametrize(
    "body",
    [
        b'{"note": "two\\nlines\\tand a tab"}',
        b'{"note": "\\\\u0000 is how one writes NUL"}',  # an escaped backslash, then text
        b'{"title": "\\ud83d\\ude00 \\u9001\\u6559"}',  # a surrogate pair and escaped 送教
        '{"title": "送教下乡：四年级数学", "names": ["李华", "王芳"]}'.encode(),
        b'{"a": ' + b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1) + b"}",
        b"",
    ],
)
def test_storable_json_passes_the_gate(body: bytes) -> None:
    if body:
        check_body(body)


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (b'{"a": ' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}", "too_deep", "a" + "[0]" * 31),
        (b'{"a": {"b": [1, {"c": 1, "c": 2}]}}', "duplicate_key", "a.b[1].c"),
        (b'{"a": NaN}', "malformed_request", None),
        (b'{"a": "x"', "malformed_request", None),
        (b'{"a": "\\u0000"}', "unstorable_text", "a"),
        (b'{"a": ["ok", "\\udfff"]}', "unstorable_text", "a[1]"),
        (b'{"\\u001b": 1}', "unstorable_text", "\\u001b"),
        (b'"\\f"', "unstorable_text", "$"),
        (b'{"a": "\xed\xa0\x80"}', "invalid_utf8", None),  # a surrogate encoded as UTF-8
    ],
)
def test_the_gate_names_what_it_refuses(body: bytes, code: str, field: str | None) -> None:
    with pytest.raises(ApiError) as refused:
        check_body(body)
    assert (refused.value.status, refused.value.code) == (400, code)
    assert refused.value.params.get("field") == field
