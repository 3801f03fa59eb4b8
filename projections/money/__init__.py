"""Read models of the money context: the ledger of entries, and its totals."""
