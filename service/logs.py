"""One log format for uvicorn, Litestar, arq and ours: text lines, or one JSON object a line.

Everything goes through the standard library's root logger: uvicorn runs with `log_config=None`
and Litestar with `logging_config=None`, so neither installs handlers of its own.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from typing import TextIO

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TRACE = 5  # uvicorn's level below debug

# What every record has; anything else came as `extra=` and is a field of the line.
# uvicorn's `color_message` repeats the message with terminal colours.
_STANDARD = frozenset(
    {*vars(logging.LogRecord("", 0, "", 0, "", None, None)), "message", "asctime", "color_message"}
)


def fields_of(record: logging.LogRecord) -> dict[str, Any]:
    found = vars(record)
    extra = found.keys() - _STANDARD
    return {k: found[k] for k in found if k in extra} if extra else {}  # in the order given


class _Clock:
    """`2026-12-01T08:00:00.123+00:00`; the seconds' part made once a second (a line is hot)."""

    def __init__(self) -> None:
        self._second, self._text = -1, ""

    def iso(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            self._second = second
            self._text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return f"{self._text}.{int((created - second) * 1000):03d}+00:00"


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message key=value…`, the fields before any traceback."""

    def __init__(self) -> None:
        super().__init__(TEXT)

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        line = super().formatMessage(record)
        fields = fields_of(record)
        if not fields:
            return line
        return line + " " + " ".join(f"{k}={v}" for k, v in fields.items())


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the fields, any traceback."""

    def __init__(self) -> None:
        super().__init__()
        self._clock = _Clock()

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self._clock.iso(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **fields_of(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return msgspec.json.encode(line, enc_hook=str).decode()


# arq's line as a job starts (it quotes the job's arguments: titles of actions, in Chinese)
# and as it ends (its result): one of each per job.
_JOB_LINES = frozenset({"%6.2fs → %s(%s)%s", "%6.2fs ← %s ● %s"})


class QuietJobLines(logging.Filter):
    """Moves arq's two lines per job to debug; our job logs one line of its own instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO or record.msg not in _JOB_LINES:
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        # The logger let it through as info; handlers do not look at the logger's level again.
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


QUIET_JOB_LINES = QuietJobLines()


def quiet_arq() -> None:
    logging.getLogger("arq.worker").addFilter(QUIET_JOB_LINES)  # once: addFilter skips a repeat


class _Ours(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure_logging` installs, so that a second call replaces it."""


def level_of(name: str) -> int:
    return TRACE if name == "trace" else logging.getLevelNamesMapping()[name.upper()]


def configure_logging(level: str, log_format: str, stream: TextIO | None = None) -> logging.Handler:
    """Every logger's lines on stderr (or `stream`) at `level`, as text or JSON; the handler."""
    handler = _Ours(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Ours)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level_of(level))
    # Neither format shows the caller's file and line, thread or process: the logging HOWTO's
    # "Optimization" switches spare every line the work of finding them (a stack walk).
    logging._srcfile = None  # noqa: SLF001 - the documented switch
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    quiet_arq()
    return handler
