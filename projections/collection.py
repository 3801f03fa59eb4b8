"""No cyclic garbage collection while a fold builds what it keeps (synchronous work only)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextmanager
def no_collection() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state is as it was after.

    A fold only adds records that stay until its answer is made or written: the collector
    would scan them again and again (a county-year's fold took twice as long).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
