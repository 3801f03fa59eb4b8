"""Rules as data (考核细则), the facts they read, and their pure evaluation (issue 9)."""
