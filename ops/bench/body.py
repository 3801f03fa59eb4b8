"""What the request-body gate costs, beside what decoding the same body costs anyway.

python -m ops.bench.body [--json]

For a typical 1 KB activity and a 200 KB one (many participants), in UTF-8 and with every
non-ASCII character escaped (as Python's json.dumps sends it): the gate (service.body.check_body),
msgspec decoding the body as Litestar does, and decoding plus conversion into the command's
struct. Microseconds per body, best of 5 rounds; no database.
"""

from __future__ import annotations

import argparse
import json
import timeit
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import msgspec

from service.body import check_body
from service.commands.community.activities import RecordActivity

if TYPE_CHECKING:
    from collections.abc import Callable


def activity(participants: int) -> dict[str, Any]:
    host = str(uuid4())
    return {
        "community_id": str(uuid4()),
        "kind": "sending_lessons",
        "title": "送教下乡：四年级数学",
        "host_school_id": host,
        "participating_school_ids": [str(uuid4()) for _ in range(3)],
        "held_on": "2023-03-15",
        "subjects": ["math", "chinese"],
        "participants": [
            {"name": f"李华{i}", "school_id": host, "role": "授课教师"} for i in range(participants)
        ],
        "mode": "on_site",
        "evidence": [
            {"name": "签到表.jpg", "sha256": "ab" * 32, "size": 2048, "media_type": "image/jpeg"}
        ],
        "note": "课后与乡村教师交流教学设计。\n第二课时由村小教师执教。",
    }


def micros(work: Callable[[], object], number: int) -> float:
    return round(min(timeit.repeat(work, number=number, repeat=5)) / number * 1e6, 1)


def measure(name: str, body: bytes, number: int) -> dict[str, Any]:
    def convert() -> object:
        # The struct caps participants at 500: a bigger body is refused there, after decoding.
        value = msgspec.json.decode(body)
        value["participants"] = value["participants"][:500]
        return msgspec.convert(value, RecordActivity)

    return {
        "body": name,
        "bytes": len(body),
        "gate_us": micros(lambda: check_body(body), number),
        "decode_us": micros(lambda: msgspec.json.decode(body), number),
        "decode_convert_us": micros(convert, number),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object, last line")
    args = parser.parse_args()
    small, large = activity(5), activity(2100)
    rows = [
        measure("1 KB, UTF-8", msgspec.json.encode(small), 2000),
        measure("1 KB, \\u-escaped", json.dumps(small).encode(), 2000),
        measure("200 KB, UTF-8", msgspec.json.encode(large), 20),
        measure("200 KB, \\u-escaped", json.dumps(large).encode(), 20),
    ]
    print(f"{'body':<20} {'bytes':>8} {'gate µs':>10} {'decode µs':>10} {'+convert µs':>12}")
    for row in rows:
        print(
            f"{row['body']:<20} {row['bytes']:>8} {row['gate_us']:>10} {row['decode_us']:>10}"
            f" {row['decode_convert_us']:>12}"
        )
    if args.json:
        print(msgspec.json.encode({"bodies": rows}).decode())


if __name__ == "__main__":
    main()
