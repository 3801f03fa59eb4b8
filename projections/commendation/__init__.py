"""Read models of the commendation context."""
