"""Commendations (表彰): annual, of dispatched teachers and of communities."""
