"""The SVG charts: text as text, a title and a role for readers, figures where the data says."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from service.web import charts
from service.web.charts import (
    Bar,
    Progress,
    Series,
    bar_chart,
    line_chart,
    progress_bars,
    share_bar,
)

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def accessible(root: ET.Element, title: str) -> None:
    # An image holds no links (its content is presentational): a chart with links is a group.
    linked = root.find(f"{SVG}a") is not None
    assert root.get("role") == ("group" if linked else "img")
    assert root.get("aria-label") == title
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}title").text == title  # type: ignore[union-attr]


def test_a_bar_chart_writes_each_label_and_figure_and_links_the_figure() -> None:
    root = parsed(
        bar_chart(
            "本学期活动",
            [Bar("送教下乡", 12, "/app/activities?kind=sending_lessons"), Bar("集体备课", 3)],
        )
    )
    accessible(root, "本学期活动")
    assert texts(root) == ["送教下乡", "12", "集体备课", "3"]
    widths = [float(rect.get("width", "0")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == 4 * widths[1]  # lengths in proportion to the figures
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == ["/app/activities?kind=sending_lessons"]


def test_text_from_records_is_escaped_not_markup() -> None:
    svg = bar_chart('<script>"x"</script> & co', [Bar("<b>学校</b>", 1)])
    root = parsed(svg)
    assert "<script>" not in svg
    assert texts(root)[0] == "<b>学校</b>"
    assert root.find(f"{SVG}title").text == '<script>"x"</script> & co'  # type: ignore[union-attr]


def test_an_empty_bar_chart_is_still_a_valid_image() -> None:
    root = parsed(bar_chart("无数据", []))
    accessible(root, "无数据")
    assert root.find(f"{SVG}rect") is None


def test_a_share_bar_splits_the_whole_and_writes_each_share() -> None:
    root = parsed(
        share_bar("在教共体中的学校", [Bar("在", 3, "/app/schools?in=yes"), Bar("不在", 1)])
    )
    accessible(root, "在教共体中的学校")
    assert texts(root) == ["在: 3 (75%)", "不在: 1 (25%)"]
    rects = list(root.iter(f"{SVG}rect"))
    assert float(rects[0].get("width", "0")) == 3 * float(rects[1].get("width", "0"))


def test_a_line_chart_puts_a_point_and_its_figure_per_period_and_skips_the_missing() -> None:
    root = parsed(
        line_chart(
            "合格率",
            ["2022 秋", "2023 春", "2023 秋"],
            [Series("合格率", (90.5, None, 93.0)), Series("优良率", (60.0, 62.0, 65.0))],
            y_max=100,
        )
    )
    accessible(root, "合格率")
    written = texts(root)
    assert written[:3] == ["2022 秋", "2023 春", "2023 秋"]
    assert {"90.5", "93", "60", "62", "65", "合格率", "优良率"} <= set(written)
    assert len(list(root.iter(f"{SVG}circle"))) == 5  # the missing figure has no point
    lines = [p.get("points", "").split() for p in root.iter(f"{SVG}polyline")]
    assert [len(points) for points in lines] == [2, 3]
    # Higher figures sit higher: y of 93 is above (smaller than) y of 90.5.
    first = [float(point.split(",")[1]) for point in lines[0]]
    assert first[1] < first[0]


def test_progress_bars_fill_done_over_required_capped_and_say_the_figures() -> None:
    long = "每学年管理专题报告会或座谈会不少于两次且每次均有记录与反思并上传佐证材料"
    root = parsed(
        progress_bars(
            "进度",
            [
                Progress("送教", 1, 4, "at_risk", "预警", "/app/compliance/x"),
                Progress(long, 6, 3, "met", "达标"),  # more than required: a full bar
                Progress("培训 <b>", 0, 0, "open", "进行中"),  # nothing required: full
            ],
        )
    )
    accessible(root, "进度")
    shown = texts(root)
    assert shown[0] == "送教: 1 / 4 · 预警"
    cut, figures = shown[1].split(": ")
    assert cut.endswith("…") and long.startswith(cut[:-1]) and figures == "6 / 3 · 达标"
    assert len(cut) > 10 and charts.text_width(shown[1]) <= charts.WIDTH  # cut to fit the width
    assert shown[2] == "培训 <b>: 0 / 0 · 进行中"  # escaped, read back as text
    fills = [r for r in root.iter(f"{SVG}rect") if r.get("fill") != "#e5e5e5"]
    track = charts.WIDTH - 8
    assert [float(r.get("width", "")) for r in fills] == [track / 4, track, track]
    titles = ["".join(t.itertext()) for r in fills for t in r.iter(f"{SVG}title")]
    assert titles[1] == f"{long}: 6 / 3 · 达标"  # the whole label kept for readers
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == ["/app/compliance/x"]


def test_a_share_bar_takes_each_parts_own_colour() -> None:
    root = parsed(share_bar("状态", [Bar("达标", 1, colour="#2e8b57"), Bar("未达标", 1)]))
    colours = [r.get("fill") for r in root.iter(f"{SVG}rect")][:2]
    assert colours == ["#2e8b57", "#d9822b"]  # the second by its place in the palette


def test_a_line_chart_keeps_long_period_labels_inside_and_apart() -> None:
    labels = [f"{year} Autumn semester" for year in range(2021, 2027)]
    root = parsed(line_chart("Actions", labels, [Series("Actions", (1, 2, 3, 4, 5, 6))]))
    placed = [node for node in root.iter(f"{SVG}text") if node.text in labels]
    xs = [float(node.get("x", "0")) for node in placed]
    half = charts.text_width(labels[0]) / 2
    assert placed[0].text == labels[0] and xs[0] >= half  # the first, its left half inside
    assert xs[-1] <= charts.WIDTH - half  # and the last one's right half
    rows = [node.get("y") for node in placed]
    assert len(set(rows)) == 2  # neighbours alternate between two rows
    assert rows[0] == rows[2] != rows[1]
    assert all(b - a >= 2 * half for a, b in zip(xs, xs[2:], strict=False))  # a row's apart
    assert len(placed) < len(labels)  # too many for the width: every second one is written
    short = parsed(line_chart("合格率", ["2022 秋", "2023 春"], [Series("合格率", (1, 2))]))
    assert (
        len({node.get("y") for node in short.iter(f"{SVG}text") if "20" in (node.text or "")}) == 1
    )
