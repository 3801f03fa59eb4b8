"""The commendation context: annual commendations."""
