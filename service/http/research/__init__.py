"""Routes of the research context."""
