"""Routes of review before counting."""
