"""Answers of the assessment context: rule sets."""
