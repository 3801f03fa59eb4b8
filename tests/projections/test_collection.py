"""A kept fold set aside from the collector's scans is still freed whole once it is dropped."""

from __future__ import annotations

import gc
from datetime import date

from domain.assessment.codes import EvaluationMode
from projections.collection import SET_ASIDE_AFTER, no_collection, set_aside
from service.assessment.judging import judge, question
from tests.projections.test_review_facts import at, county


def test_a_fold_set_aside_is_out_of_the_scans_and_freed_once_dropped() -> None:
    gc.collect()
    gc.freeze()  # what the test process holds already: not counted below
    before = gc.get_freeze_count()
    try:
        made = county()
        with no_collection():
            for day in range(SET_ASIDE_AFTER):
                made.action(at(3, 1 + day % 28), held_on=date(2023, 3, 1 + day % 28))
        judge(made.fold, question("2023-spring", date(2023, 8, 31), EvaluationMode.AS_KNOWN))
        set_aside(SET_ASIDE_AFTER - 1)  # too few positions: nothing set aside
        assert gc.get_freeze_count() <= before
        set_aside(made.fold.last_seq)
        held = gc.get_freeze_count() - before
        assert held > 10 * SET_ASIDE_AFTER  # each action's records, its version and review
        assert len(gc.get_objects()) < held / 10  # what the collector walks: not the fold
        del made
        # No reference cycle holds a fold together: dropped, it is freed by reference counts.
        assert gc.get_freeze_count() - before < held / 100
    finally:
        gc.unfreeze()
        gc.collect()
