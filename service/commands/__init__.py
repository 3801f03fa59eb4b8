"""Command handlers: load an aggregate, call one domain method, save."""
