"""Compliance over the ledgers: the county's facts kept folded per process, and what is judged."""
