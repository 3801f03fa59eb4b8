"""Time from `jgt serve` to a healthy /healthz on embedded servers: cold (new data folder), warm.

python -m ops.bench.startup [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def start_once(data_dir: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(JGT_DATA_DIR=str(data_dir), JGT_PORT="0")
    started = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-m", "service", "serve"],
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
        elapsed = time.perf_counter() - started
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="jgt-start-") as folder:
            cold.append(start_once(Path(folder) / "data"))
            warm.append(start_once(Path(folder) / "data"))
    print(f"cold start to healthy: {', '.join(f'{s:.2f}' for s in cold)} s")
    print(f"warm start to healthy: {', '.join(f'{s:.2f}' for s in warm)} s")


if __name__ == "__main__":
    main()
