"""The domain of county education communities (教共体): aggregates, events, rules; pure Python."""
