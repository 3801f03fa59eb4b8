"""Read models: pure folds of events, the runner that keeps their tables current, and replay."""
