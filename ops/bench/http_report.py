"""The HTTP bench's figures as lines beside their targets."""

from __future__ import annotations

from typing import Any

from ops.bench.open_loop import OPEN_SHARES


def report(f: dict[str, Any]) -> str:
    def share(part: float, whole: float) -> str:
        return f"{100 * part / whole:.0f} %" if whole else "-"

    return "\n".join(
        [
            f"ceiling (50-row page from memory)     {f['ceiling_rps']:>9,.0f} req/s",
            (
                f"GET dashboard                         {f['dashboard_rps']:>9,.0f} req/s"
                f"  {share(f['dashboard_rps'], f['ceiling_rps'])} of ceiling (target 40 %)"
            ),
            (
                f"GET dashboard, fixed rate {'/'.join(map(str, OPEN_SHARES))} % of ceiling  p99 "
                + " / ".join(str(f[f"dashboard_p99_at_{p}pct_ms"]) for p in OPEN_SHARES)
                + f" ms (target < 25 at {f['open_rps']:,.0f} req/s;"
                f" ceiling {f['ceiling_open_p99_ms']})"
            ),
            (
                f"GET activities?limit=50               {f['list_rps']:>9,.0f} req/s"
                f"  {share(f['list_rps'], f['ceiling_rps'])} of ceiling (target 30 %)"
            ),
            (
                f"POST activities, 50 clients           {f['post_rps']:>9,.0f} req/s"
                f"  {share(f['post_rps'], f['store_rps'])} of the store (target 20 %)"
            ),
            f"store, 50 single-event commands       {f['store_rps']:>9,.0f} events/s",
            (
                f"dashboard p99 idle / during verify    {f['dashboard_p99_idle_ms']} /"
                f" {f['dashboard_p99_during_verify_ms']} ms (target < 2x)"
            ),
            f"answers >= 400 (should be 0)          {f['errors']:>9}",
        ]
    )
