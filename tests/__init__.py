"""Tests against real PostgreSQL and Redis."""
