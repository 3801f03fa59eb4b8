"""A code's label in Chinese and English."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    zh: str
    en: str
