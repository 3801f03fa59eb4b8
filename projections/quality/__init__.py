"""Read models of the quality context: sittings, and the shared quality database."""
