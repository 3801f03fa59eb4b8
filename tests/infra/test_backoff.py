import logging

import pytest

from infra.backoff import Outage


def test_delays_double_up_to_the_ceiling_and_an_outage_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("tests.backoff")
    outage = Outage(logger, "Redis", first_delay=0.5, max_delay=3)
    with caplog.at_level(logging.WARNING, logger="tests.backoff"):
        assert not outage.down
        outage.recovered()  # up all along: nothing to say
        delays = [outage.failed(ConnectionError("refused")) for _ in range(5)]
        assert outage.delay == 3  # down, waiting the longest
        outage.recovered()
        outage.recovered()
        assert outage.failed(OSError("again")) == 0.5  # a new outage starts from the beginning
    assert delays == [0.5, 1, 2, 3, 3]
    assert [record.getMessage() for record in caplog.records] == [
        "Redis is unreachable (ConnectionError: refused); retrying until it is back",
        "Redis is reachable again",
        "Redis is unreachable (OSError: again); retrying until it is back",
    ]
