"""The money context: funding and subsidy entries, and their totals."""
