"""Review and what counts: a correction reopens an approved action's review, and compliance
(a rule set with `require_approval`) counts an action only while its version is approved."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from service.views.people import ActedBy
from service.views.review.review import StepView
from service.web.i18n import word
from service.web.render import TEMPLATES, _environment
from tests.service.compliance_api import draft, lessons_rule_set, publish
from tests.service.test_review import folded, listed, people, queue, record, step, total

if TYPE_CHECKING:
    import asyncpg
    import httpx

    from tests.service.conftest import County

LEVELS = {"levels": ["school", "county"]}


async def approve_all(client: httpx.AsyncClient, county: County, action: str) -> None:
    for who, level in (("张老师", "school"), ("李局长", "county")):
        done = await step(client, county, who, action, "approve", level=level)
        assert done.status_code == 200, done.text
    assert done.json()["state"] == "approved", done.text


async def correct(
    client: httpx.AsyncClient, county: County, action: str, who: str = "张老师", **body: Any
) -> None:
    fixed = await client.post(
        f"/v1/activities/{action}/corrections",
        json={"reason": "补充说明", **body},
        headers=county.auth(who),
    )
    assert fixed.status_code == 200, fixed.text


async def spring(client: httpx.AsyncClient, county: County) -> dict[str, Any]:
    """The 2023-spring result of the one rule, with its records."""
    listed = await client.get(
        "/v1/compliance", params={"period": "2023-spring"}, headers=county.auth("supervisor")
    )
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    one = await client.get(item["href"], headers=county.auth("auditor", "en"))
    assert one.status_code == 200, one.text
    [result] = one.json()["results"]
    found: dict[str, Any] = result
    return found


def records(result: dict[str, Any]) -> tuple[list[str], list[tuple[str, str, str]]]:
    counted = sorted(r["href"] for r in result["counted_records"])
    excluded = sorted(
        (r["href"], r["reason"], r["reason_label"]) for r in result["excluded_records"]
    )
    return counted, excluded


async def test_a_corrected_approved_action_waits_in_the_queue_and_stops_counting_until_approved(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    at = await people(client, county)
    set_ = await client.post("/v1/review-levels", json=LEVELS, headers=county.auth("李局长"))
    assert set_.status_code == 200, set_.text
    action = await record(client, county, at, "送教下乡：五年级语文")
    await approve_all(client, county, action)
    await folded(system_pool, county)
    assert await queue(client, county) == []
    assert await total(client, county, "approved") == 1

    await correct(client, county, action, note="补充照片说明")
    await folded(system_pool, county)
    [waiting] = await queue(client, county, level="school")
    assert (waiting["id"], waiting["round"]) == (action, 2)
    assert await listed(client, county, review="approved") == []
    assert (await total(client, county, "approved"), await total(client, county, "all")) == (0, 1)
    shown = await client.get(f"/v1/activities/{action}/review", headers=county.auth("auditor"))
    steps = shown.json()["steps"]
    assert [s["step"] for s in steps][-1] == "reopened", shown.text
    assert (steps[-1]["by"]["name"], steps[-1]["activity_version"]) == ("张老师", 2)
    # A second correction while it waits at the first level reopens nothing more.
    await correct(client, county, action, note="再补充")
    again = await client.get(f"/v1/activities/{action}/review", headers=county.auth("auditor"))
    assert len(again.json()["steps"]) == len(steps)

    await approve_all(client, county, action)
    await folded(system_pool, county)
    assert await listed(client, county, review="approved") == [action]
    assert await total(client, county, "approved") == 1
    # Corrected by a token of before (no person): reopened all the same, by no one named.
    await correct(client, county, action, note="第三次补充", who="admin")
    shown = await client.get(f"/v1/activities/{action}/review", headers=county.auth("auditor"))
    last = shown.json()["steps"][-1]
    assert (last["step"], last["by"], shown.json()["round"]) == ("reopened", None, 3), shown.text


async def test_compliance_counts_an_action_only_while_its_version_is_approved(
    client: httpx.AsyncClient, county: County
) -> None:
    at = await people(client, county)
    source = {**lessons_rule_set(minimum=1), "require_approval": True}
    await publish(client, county, await draft(client, county, source))
    assert (
        await client.post("/v1/review-levels", json=LEVELS, headers=county.auth("李局长"))
    ).status_code == 200
    action = await record(client, county, at, "送教下乡：五年级语文")
    returned = await record(client, county, at, "送教下乡：六年级英语")
    href = f"/v1/activities/{action}"
    back = f"/v1/activities/{returned}"
    assert (await step(client, county, "张老师", action, "approve", level="school")).is_success
    sent_back = await step(
        client, county, "李局长", returned, "return", level="county", reason="缺签到表"
    )
    assert sent_back.status_code == 409, sent_back.text  # it waits at the school first
    assert (await step(client, county, "张老师", returned, "approve", level="school")).is_success
    sent_back = await step(
        client, county, "李局长", returned, "return", level="county", reason="缺签到表"
    )
    assert sent_back.is_success, sent_back.text
    result = await spring(client, county)
    pending = (href, "not_approved", "Awaiting review: not yet approved at every level")
    returned_in_review = (back, "returned_in_review", "Returned in review, to be corrected")
    assert records(result) == ([], sorted([pending, returned_in_review]))
    assert (result["done"], result["status"]) == (0, "missed")

    done = await step(client, county, "李局长", action, "approve", level="county")
    assert done.json()["state"] == "approved", done.text
    assert records(await spring(client, county)) == ([href], [returned_in_review])

    # Corrected once approved: the first version is replaced, the new one waits again.
    await correct(client, county, action, note="补充照片说明")
    corrected = (href, "corrected", "Replaced by a correction")
    assert records(await spring(client, county)) == (
        [],
        sorted([corrected, pending, returned_in_review]),
    )
    await approve_all(client, county, action)
    result = await spring(client, county)
    assert records(result) == ([href], sorted([corrected, returned_in_review]))
    assert (result["done"], result["status"]) == (1, "met")


def test_the_action_page_shows_a_reopening_by_no_person() -> None:
    page = (TEMPLATES / "activity.html").read_text()
    start = page.index("{% for s in steps %}")
    trail = page[start : page.index("{% endfor %}", start) + len("{% endfor %}")]
    person = uuid4()
    who = ActedBy(
        id=person,
        user_id=person,
        name="张老师",
        role="recorder",
        role_label="学校填报员",
        through_token=False,
    )
    steps = [
        StepView(step=kind, level=None, by=by, at=datetime(2023, 4, 2, 10, tzinfo=UTC),
                 activity_version=2, note="", reason="")
        for kind, by in (("approved", who), ("reopened", None))
    ]  # fmt: skip
    shown = _environment().from_string(trail).render(steps=steps, t=lambda key: word(key, "zh"))
    assert "审核通过 · 张老师" in shown  # the step in words (web-polish), not its code
    assert "更正后重新审核</li>" in shown
