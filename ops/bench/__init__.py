"""Benchmarks: figures printed side by side in one run."""
