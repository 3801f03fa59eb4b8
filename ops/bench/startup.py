"""Time from `jgt serve` to a healthy /healthz on embedded servers: cold (new data folder), warm.

python -m ops.bench.startup [--runs 3] [--demo] [--json]

With `--demo`, `jgt serve --demo`: the cold start creates the demo county, the warm one finds it
and issues new tokens; each is timed to the end of the printed first-minute block (the county
folded and its notices sent, or the 10 s the start waits for them), and to /healthz.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from service.first_minute import RULE

if TYPE_CHECKING:
    from collections.abc import Iterable


def start_once(data_dir: Path, *, demo: bool = False) -> tuple[float, float]:
    """Seconds to a healthy /healthz and to the end of the start-up text (the same without demo)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(JGT_DATA_DIR=str(data_dir), JGT_PORT="0")
    started = time.perf_counter()
    with subprocess.Popen(  # noqa: S603 - this interpreter, our own module
        [sys.executable, "-m", "service", "serve", *(["--demo"] if demo else [])],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        if process.stdout is None:
            raise RuntimeError("no output pipe")
        base = None
        for line in process.stdout:
            if "listening on " in line:
                base = line.split("listening on ")[1].split()[0]
                break
        if base is None:
            raise RuntimeError("jgt serve did not start")
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:  # noqa: S310
                    if json.load(answer)["status"] == "ok":
                        break
            except OSError:
                pass
            time.sleep(0.02)
        healthy = time.perf_counter() - started
        if demo:
            read_the_block(process.stdout)
        printed = time.perf_counter() - started
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    return healthy, printed


def read_the_block(lines: Iterable[str]) -> None:
    """Up to the block's second rule: the first-minute text is complete."""
    rules = 0
    for line in lines:
        rules += line.startswith(RULE)
        if rules == 2:
            return
    raise RuntimeError("jgt serve --demo printed no first-minute block")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--demo", action="store_true", help="jgt serve --demo")
    parser.add_argument("--json", action="store_true", help="one JSON object, last line")
    args = parser.parse_args()
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="jgt-start-") as folder:
            cold.append(start_once(Path(folder) / "data", demo=args.demo))
            warm.append(start_once(Path(folder) / "data", demo=args.demo))
    figures: dict[str, float | bool] = {"demo": args.demo}
    for name, runs in (("cold", cold), ("warm", warm)):
        print(f"{name} start to healthy: {', '.join(f'{h:.2f}' for h, _ in runs)} s")
        figures[f"{name}_healthy_s"] = round(statistics.median(h for h, _ in runs), 2)
        if args.demo:
            shown = ", ".join(f"{p:.2f}" for _, p in runs)
            print(f"{name} start to the demo's printed block: {shown} s")
            figures[f"{name}_printed_s"] = round(statistics.median(p for _, p in runs), 2)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
