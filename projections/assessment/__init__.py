"""The assessment context's questions of the other read models (county KPIs)."""
