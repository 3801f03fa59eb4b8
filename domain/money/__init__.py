"""Money (经费与补助): funding and subsidies as ledger entries, in fen."""
