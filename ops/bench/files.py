"""What keeping an evidence file costs, step by step, and what a sign-in link costs.

python -m ops.bench.files [--json]

For uploads of 100 KB, 2 MB and 20 MB (the default limit): SHA-256 of the bytes, the content
check (infra.media_types.sniff), writing them to the folder store (draft, fsync, rename) and
reading them back; MB/s, best of 3. Then a sign-in link: signing, checking, and drawing its QR
code as SVG (segno), microseconds each, best of 5. No database.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import json
import tempfile
import time
import timeit
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import uuid4

import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infra.file_store import FolderStore
from infra.media_types import sniff
from infra.sign_in_links import SignInLink, read_link
from infra.signing import Signer

if TYPE_CHECKING:
    from collections.abc import Callable

SIZES = {"100 KB": 100 * 1024, "2 MB": 2 * 1024**2, "20 MB": 20 * 1024**2}


def _best(call: Callable[[], object], rounds: int) -> float:
    return min(timeit.repeat(call, number=1, repeat=rounds))


async def _store_rates(data: bytes, rounds: int) -> tuple[float, float]:
    write = read = float("inf")
    with tempfile.TemporaryDirectory(prefix="jgt-bench-files-") as folder:
        store = FolderStore(Path(folder))
        for _ in range(rounds):
            digest = uuid4().hex * 2  # a new name each round: put skips a file it has
            started = time.perf_counter()
            await store.put(digest, data)
            write = min(write, time.perf_counter() - started)
            started = time.perf_counter()
            await store.get(digest)
            read = min(read, time.perf_counter() - started)
    return write, read


def files(rounds: int = 3) -> dict[str, dict[str, float]]:
    figures = {}
    for label, size in SIZES.items():
        data = b"%PDF-1.7\n" + bytes(size - 9)
        megabytes = size / 1024**2
        hashing = _best(functools.partial(hashlib.sha256, data), rounds)
        sniffing = _best(functools.partial(sniff, data), rounds)
        write, read = asyncio.run(_store_rates(data, rounds))
        figures[label] = {
            "sha256 MB/s": megabytes / hashing,
            "content check µs": sniffing * 1e6,
            "store write MB/s": megabytes / write,
            "store read MB/s": megabytes / read,
        }
    return figures


def links(rounds: int = 5) -> dict[str, float]:
    signer = Signer.of(Ed25519PrivateKey.generate())
    link = SignInLink(
        tenant_id=uuid4(),
        activity_id=uuid4(),
        link_id=uuid4(),
        expires_at=(datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0),
    )
    token = link.token(signer)
    public_key = signer.public_key
    url = f"https://jgt.example.cn/v1/sign-in/{token}"
    return {
        "sign µs": _best(lambda: link.token(signer), rounds) * 1e6,
        "check µs": _best(lambda: read_link(token, public_key), rounds) * 1e6,
        "QR code SVG µs": _best(lambda: segno.make(url, error="m").svg_inline(scale=6), rounds)
        * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args()
    kept, link = files(), links()
    if args.json:
        print(json.dumps({"files": kept, "sign_in_link": link}, ensure_ascii=False))
        return
    columns = list(next(iter(kept.values())))
    print("| file | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for label, row in kept.items():
        print(f"| {label} | " + " | ".join(f"{row[c]:,.0f}" for c in columns) + " |")
    print()
    for name, value in link.items():
        print(f"sign-in link {name}: {value:,.0f}")


if __name__ == "__main__":
    main()
