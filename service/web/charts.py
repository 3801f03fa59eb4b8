"""Charts drawn on the server as SVG: bars, a stacked share, lines. Pure: data in, text out.

Text stays text (labels and figures are `<text>`, so screen readers, search and print keep
them), each chart has a `<title>`, `role="img"` (`group` when its figures are links) and an
`aria-label`, and colours come from a small palette that reads in grey print too. No script, no
outside asset.

Drawn for a phone: the picture is WIDTH user units wide and its text FONT units tall, and the
stylesheet lets a chart be at most about as wide as a phone's column on every screen but the
wall, so text is drawn at 11 px or more at 360 px wide and about 17 px on a desktop (a picture
640 wide shrank its 13 units of text to 7 px on a phone).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from itertools import pairwise

PALETTE = ("#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d")
WIDTH = 400
FONT = 14  # the text's size in user units: app.css says the same
ROW = 28  # the height of one bar
LABEL_WIDTH = 150
FIGURE_WIDTH = 44  # room for a bar's figure after it
PLOT_HEIGHT = 170  # a line chart's plot, for a picture 400 wide
CJK_FROM = 0x2E80  # from here on, characters are about as wide as they are high


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    href: str | None = None  # where the figure links to (what it counts)
    colour: str | None = None  # the palette's, by position, unless given (a status's own)


@dataclass(frozen=True)
class Progress:
    """Done against required (a quota), with the status the rules gave it."""

    label: str
    done: float
    required: float
    status: str  # a ComplianceStatus code: the bar's colour
    status_label: str
    href: str | None = None


STATUS_COLOURS = {"met": "#2e8b57", "at_risk": "#d9822b", "missed": "#c0392b", "open": "#1f5fa8"}


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[float | None, ...]  # one per x label; None where there is no figure


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _figure(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def text_width(label: str) -> float:
    """About how wide a text is at FONT: a CJK character full, others a little over half."""
    return sum(FONT if ord(char) >= CJK_FROM else FONT * 0.58 for char in label)


def _cut(label: str, room: float) -> str:
    """The label, cut with an ellipsis to fit `room` (the bar's <title> keeps it whole)."""
    if text_width(label) <= room:
        return label
    while label and text_width(label + "…") > room:
        label = label[:-1]
    return label + "…"


def _open(title: str, height: int) -> list[str]:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}"'
        f' width="100%" role="img" aria-label="{_text(title)}" class="chart">'
    )
    return [head, f"<title>{_text(title)}</title>"]


def _close(parts: list[str]) -> str:
    """The chart's text, closed.

    One whose figures are links is a labelled group, not an image: an image's content is
    presentational, so links in it would be out of reach (axe: nested-interactive).
    """
    parts.append("</svg>")
    if any(part.startswith("<a ") for part in parts):
        parts[0] = parts[0].replace(' role="img"', ' role="group"', 1)
    return "".join(parts)


def _linked(inner: str, href: str | None) -> str:
    return inner if href is None else f'<a href="{_text(href)}">{inner}</a>'


def bar_chart(title: str, bars: list[Bar]) -> str:
    """Horizontal bars, one per label, each with its figure written beside it."""
    height = max(1, len(bars)) * ROW + 8
    parts = _open(title, height)
    top = max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - FIGURE_WIDTH
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        length = round(room * bar.value / top, 1) if bar.value > 0 else 0
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + ROW * 0.65:.1f}" text-anchor="end"'
            f' class="label">{_text(_cut(bar.label, LABEL_WIDTH - 12))}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="{ROW - 8}"'
            f' fill="{colour}"><title>{_text(bar.label)}: {_figure(bar.value)}</title></rect>'
        )
        figure = (
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + ROW * 0.65:.1f}"'
            f' class="figure">{_figure(bar.value)}</text>'
        )
        parts.append(_linked(figure, bar.href))
    if not bars:
        parts.append(f'<text x="8" y="20" class="label">{_text("—")}</text>')
    return _close(parts)


def share_bar(title: str, parts_of_whole: list[Bar]) -> str:
    """One bar split into the shares of a whole, each share's figure and percentage as text."""
    total = sum(bar.value for bar in parts_of_whole if bar.value > 0)
    height = 40 + ROW * max(1, len(parts_of_whole))
    parts = _open(title, height)
    x = 0.0
    for index, bar in enumerate(parts_of_whole):
        if bar.value <= 0 or total == 0:
            continue
        width = WIDTH * bar.value / total
        colour = bar.colour or PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x:.1f}" y="4" width="{width:.1f}" height="24" fill="{colour}">'
            f"<title>{_text(bar.label)}: {_figure(bar.value)}</title></rect>"
        )
        x += width
    for index, bar in enumerate(parts_of_whole):
        share = round(100 * bar.value / total) if total else 0
        y = 40 + index * ROW
        colour = bar.colour or PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="0" y="{y}" width="14" height="14" fill="{colour}"/>')
        legend = (
            f'<text x="22" y="{y + 12}" class="label">{_text(bar.label)}:'
            f" {_figure(bar.value)} ({share}%)</text>"
        )
        parts.append(_linked(legend, bar.href))
    return _close(parts)


def line_chart(
    title: str, x_labels: list[str], series: list[Series], *, y_max: float | None = None
) -> str:
    """Lines over the periods in `x_labels`, each point's figure written at it, a legend below.

    Labels that would touch go on two rows, alternately; where even that is too close, only
    every second (third, …) label is written, the first always (each point's <title> names its
    period).
    """
    halves = [text_width(label) / 2 for label in x_labels] or [0.0]
    left, right, plot_top = max(24, halves[0] + 4), WIDTH - max(16, halves[-1] + 4), 16
    step = (right - left) / max(1, len(x_labels) - 1)
    stride, rows = _spacing(halves, step)
    legend_top = PLOT_HEIGHT + 36 + 16 * (rows - 1)
    height = legend_top + ROW * max(1, len(series))
    parts = _open(title, height)
    values = [v for one in series for v in one.points if v is not None]
    top = y_max if y_max is not None else max(values, default=0) or 1

    def at(index: int, value: float) -> tuple[float, float]:
        x = left + step * index if len(x_labels) > 1 else (left + right) / 2
        return x, plot_top + (PLOT_HEIGHT - plot_top) * (1 - value / top)

    parts.append(
        f'<line x1="{left}" y1="{PLOT_HEIGHT}" x2="{right}" y2="{PLOT_HEIGHT}" class="axis"'
        ' stroke="#666"/>'
    )
    for index, label in enumerate(x_labels):
        if index % stride:
            continue
        x, _ = at(index, 0)
        row = (index // stride) % rows
        parts.append(
            f'<text x="{x:.1f}" y="{PLOT_HEIGHT + 18 + 16 * row}" text-anchor="middle"'
            f' class="label">{_text(label)}</text>'
        )
    for number, one in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = [(i, v) for i, v in enumerate(one.points) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(i, v) for i, v in points))
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for index, value in points:
            x, y = at(index, value)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>'
                f"{_text(one.label)} {_text(x_labels[index])}: {_figure(value)}</title></circle>"
            )
            parts.append(
                f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle"'
                f' class="figure">{_figure(value)}</text>'
            )
        y = legend_top + number * ROW
        parts.append(f'<rect x="{left}" y="{y}" width="14" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{left + 22}" y="{y + 6}" class="label">{_text(one.label)}</text>')
    return _close(parts)


def _spacing(halves: list[float], step: float) -> tuple[int, int]:
    """Every how many labels one is written, and on how many rows (1 or 2), so none touch."""
    for stride in range(1, len(halves) + 1):
        shown = halves[::stride]
        gap = step * stride
        if all(a + b + 8 <= gap for a, b in pairwise(shown)):
            return stride, 1
        if all(a + b + 8 <= 2 * gap for a, b in zip(shown, shown[2:], strict=False)):
            return stride, 2
    return max(1, len(halves)), 1


def progress_bars(title: str, items: list[Progress]) -> str:
    """A bar per quota: the track is what is required, the fill what is done, figures as text."""
    line = ROW * 2
    height = max(1, len(items)) * line + 8
    parts = _open(title, height)
    track = WIDTH - 8
    for index, item in enumerate(items):
        y = 4 + index * line
        share = min(1.0, item.done / item.required) if item.required > 0 else 1.0
        colour = STATUS_COLOURS.get(item.status, PALETTE[-1])
        figures = f"{_figure(item.done)} / {_figure(item.required)} · {_text(item.status_label)}"
        caption = f"{_text(item.label)}: {figures}"
        shown = _cut(item.label, WIDTH - text_width(f": {figures}"))
        text = f'<text x="0" y="{y + 14}" class="label">{_text(shown)}: {figures}</text>'
        parts.append(_linked(text, item.href))
        parts.append(
            f'<rect x="0" y="{y + 20}" width="{track}" height="{ROW - 12}" fill="#e5e5e5"/>'
        )
        parts.append(
            f'<rect x="0" y="{y + 20}" width="{round(track * share, 1)}" height="{ROW - 12}"'
            f' fill="{colour}"><title>{caption}</title></rect>'
        )
    if not items:
        parts.append(f'<text x="8" y="20" class="label">{_text("—")}</text>')
    return _close(parts)
