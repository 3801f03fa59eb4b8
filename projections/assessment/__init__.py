"""The assessment context's reads: KPIs from the read models, compliance from the log."""
