"""Commands of the research context: projects and papers."""
