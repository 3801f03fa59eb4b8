"""Numbered SQL migrations, applied in order by `jgt migrate`."""
