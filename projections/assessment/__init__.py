"""The assessment context's reads: county KPIs from the read models; compliance folded from the log."""
