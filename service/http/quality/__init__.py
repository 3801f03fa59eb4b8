"""Routes of the quality context."""
