"""Views of the research context."""
