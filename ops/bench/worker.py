"""`python -m ops.bench.http --worker`: the background work in a `jgt worker` of its own.

`jgt serve` then runs with JGT_SERVE_BACKGROUND=false and answers requests only, as a deployment
that keeps the background work off its web processes does.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextlib.contextmanager
def worker_process(env: dict[str, str]) -> Iterator[None]:
    """A `jgt worker` on the same servers, from its ready line until SIGTERM."""
    with subprocess.Popen(
        [sys.executable, "-m", "service", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as child:
        assert child.stdout is not None  # noqa: S101 - piped above
        first = child.stdout.readline()
        if not first.startswith("jiaogongti worker"):
            raise RuntimeError("the worker did not start:\n" + first + child.stdout.read())
        threading.Thread(target=child.stdout.read, daemon=True).start()  # a full pipe stalls it
        try:
            yield
        finally:
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=30)


def background(env: dict[str, str], *, apart: bool) -> contextlib.AbstractContextManager[None]:
    """With `apart`, a worker process (and `env` tells `jgt serve` to leave the work to it)."""
    if not apart:
        return contextlib.nullcontext()
    env["JGT_SERVE_BACKGROUND"] = "false"
    return worker_process(env)
