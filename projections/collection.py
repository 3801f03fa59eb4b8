"""The cyclic collector and the folds: off while one builds, and kept folds out of its scans."""

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


SET_ASIDE_AFTER = 2_000  # positions of the log a kept fold took in at once


def set_aside(taken: int) -> None:
    """After a kept fold took in many positions, the collector leaves what the process holds out.

    (`gc.freeze`: what is held now is not scanned again.)
    A county's fold is some 300,000 records (a county-year) that live until it is dropped, and
    every full collection walked all of them: a pause of a tenth of a second or more in
    whichever request it fell. A fold holds no reference cycles, so once dropped its records
    are freed all the same. What else is held then is frozen too: its cycles, garbage then or
    later (a request in flight), are never collected; a few hundred objects each time a county
    is folded whole (`tests/projections/test_collection.py`).

    Called with the collector still off from the fold (`no_collection`, across its reads of the
    log too): else each page's end, and the first collection after, scan all the fold took in
    (a fifth of a second a county-year). Meanwhile other tasks' cycles wait for the collector.
    """
    if taken >= SET_ASIDE_AFTER:
        gc.freeze()
