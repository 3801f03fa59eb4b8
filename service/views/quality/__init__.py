"""Views of the quality context."""
