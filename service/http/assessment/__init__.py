"""Routes of the assessment context: rule sets (考核细则)."""
