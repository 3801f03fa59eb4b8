"""Commands of the quality context: sittings, results, analyses."""
