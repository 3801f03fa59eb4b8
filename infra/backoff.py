"""Waiting out a server that went away: growing delays, a log line as it goes and as it returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging


class Outage:
    """Whether a retry loop's server is down, and how long to wait before the next attempt.

    Loops retry every few seconds; a log line per attempt would bury everything else, so only
    the start and the end of an outage are logged.
    """

    def __init__(
        self,
        logger: logging.Logger,
        what: str,
        *,
        first_delay: float,
        max_delay: float,
        traceback: bool = False,
    ) -> None:
        self._logger, self._what, self._traceback = logger, what, traceback
        self._first_delay, self._max_delay = first_delay, max(first_delay, max_delay)
        self.delay = 0.0  # seconds before the next attempt; 0 while up

    @property
    def down(self) -> bool:
        return self.delay > 0

    def failed(self, error: BaseException) -> float:
        """Notes a failed attempt; the delay before the next one, doubling up to the ceiling."""
        if self.down:
            self.delay = min(self.delay * 2, self._max_delay)
        else:
            self.delay = self._first_delay
            self._logger.warning(
                "%s is unreachable (%s: %s); retrying until it is back",
                self._what,
                type(error).__name__,
                error,
                exc_info=error if self._traceback else None,
            )
        return self.delay

    def recovered(self) -> None:
        if self.down:  # at the outage's level, so that whoever saw one line sees the other
            self._logger.warning("%s is reachable again", self._what)
        self.delay = 0.0
