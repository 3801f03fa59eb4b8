"""Commands of review before counting."""
