"""Accept-Language is read with its q-values; Chinese when nothing we speak is asked for."""

from __future__ import annotations

import pytest

from service.problems import preferred_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en;q=0.9, zh;q=0.8", "en"),
        ("zh;q=0.1, en;q=0.5", "en"),
        ("fr", "zh"),
        ("", "zh"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("fr, en-GB;q=0.7", "en"),
        ("en;q=bad, zh;q=0.2", "zh"),
    ],
)
def test_the_language_is_the_best_weighted_one_we_speak(header: str, expected: str) -> None:
    assert preferred_language(header) == expected
