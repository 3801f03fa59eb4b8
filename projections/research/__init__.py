"""Read models of the research context: projects and papers as they stand."""
