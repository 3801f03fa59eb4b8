"""A job's one log line and its count: what it did, for which row and request, how long it took.

It stands in for arq's two lines per job (moved to debug by `service/logs.py`), which quote the
job's arguments; this one names the row, the county id and the request id, never the payload.
"""

from __future__ import annotations

import logging
import time

from prometheus_client import Counter

JOBS_RUN = Counter(
    "jgt_jobs",
    "Jobs this process's worker ran, by job and outcome (done, retry, failed).",
    ["job", "outcome"],
)
log = logging.getLogger("jgt.jobs")


class JobLine:
    def __init__(self, job: str, tenant_id: str, outbox_id: int, request_id: str | None) -> None:
        self._job, self._outbox_id = job, outbox_id
        self._started = time.perf_counter()
        self._fields: dict[str, object] = {
            "job": job,
            "outbox_id": outbox_id,
            "tenant_id": tenant_id,
            "request_id": request_id,
        }

    def _extra(self, **more: object) -> dict[str, object]:
        elapsed = round((time.perf_counter() - self._started) * 1000, 1)
        return {**self._fields, "duration_ms": elapsed, **more}

    def done(self, *, delivered: bool, rows: int) -> None:
        JOBS_RUN.labels(self._job, "done").inc()
        # A job whose row another job finished did nothing: not worth a line at info.
        level = logging.INFO if rows else logging.DEBUG
        log.log(
            level,
            "job %s outbox:%d finished %d rows",
            self._job,
            self._outbox_id,
            rows,
            extra=self._extra(rows=rows, delivered=delivered),
        )

    def retry(self, error: BaseException) -> None:
        JOBS_RUN.labels(self._job, "retry").inc()
        log.warning(
            "job %s outbox:%d will be tried again: %s",
            self._job,
            self._outbox_id,
            type(error).__name__,
            extra=self._extra(),
        )

    def failed(self, error: BaseException) -> None:
        JOBS_RUN.labels(self._job, "failed").inc()
        log.error(  # arq logs the traceback
            "job %s outbox:%d failed: %s",
            self._job,
            self._outbox_id,
            type(error).__name__,
            extra=self._extra(),
        )
