"""Answers of review before counting."""
