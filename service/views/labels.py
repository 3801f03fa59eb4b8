"""Codes answered with a label in the asked language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.codes import Label, label

if TYPE_CHECKING:
    from enum import StrEnum


def in_language(found: Label, lang: str) -> str:
    """A label in `lang` (zh unless en)."""
    return found.en if lang == "en" else found.zh


def text(code: StrEnum, lang: str) -> str:
    """The label of a code in `lang` (zh unless en)."""
    return in_language(label(code), lang)
