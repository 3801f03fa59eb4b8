"""A community's set-up over HTTP: agreement, leading group, base schools, studios, phases."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx

from tests.service.api import school, setup_community, teacher
from tests.service.conftest import County

SHA = "ab" * 32  # the signed document's digest


async def post(
    client: httpx.AsyncClient, county: County, community_id: UUID, part: str, body: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/communities/{community_id}/{part}", json=body, headers=county.auth("admin", "en")
    )


async def test_a_community_records_its_set_up_and_its_record_shows_it(
    client: httpx.AsyncClient, county: County
) -> None:
    community_id, lead, first, _ = await setup_community(client, county, "U")
    principal = await teacher(client, county, lead, "校长甲")
    member = await teacher(client, county, first, "教师乙")
    agreement = {
        "rights": "共享优质教育资源",
        "duties": "每学期送教不少于两次",
        "mode": "共建型",
        "targets": "三年内成员校教学质量达到县平均水平",
        "evaluation": "捆绑考核",
        "signed_on": "2022-08-25",
        "document_name": "合作协议.pdf",
        "document_sha256": SHA,
    }
    group = {
        "members": [
            {"role": "leader", "name": "局长丙", "post": "教育局局长"},
            {"role": "deputy", "teacher_id": str(principal), "post": "牵头学校校长"},
            {"role": "member", "teacher_id": str(member)},
        ],
        "appointed_on": "2022-09-01",
    }
    steps: list[tuple[str, Any]] = [
        ("agreement", agreement),
        ("leading-group", group),
        ("base-schools", {"school_ids": [str(lead)], "designated_on": "2022-09-01"}),
        (
            "studios",
            {
                "name": "小学数学名师工作室",
                "leader_id": str(principal),
                "member_ids": [str(member)],
                "opened_on": "2022-10-01",
            },
        ),
        (
            "phases",
            {
                "phases": [
                    {"kind": "launch", "starts_on": "2022-09-01", "ends_on": "2022-12-31"},
                    {"kind": "implementation", "starts_on": "2023-01-01", "ends_on": "2024-06-30"},
                    {"kind": "long_term", "starts_on": "2024-07-01", "ends_on": "2024-08-31"},
                ]
            },
        ),
        (
            "external-schools",
            {"name": "平阳县实验小学", "county": "平阳县", "paired_on": "2022-09-01"},
        ),
    ]
    for version, (part, body) in enumerate(steps, start=2):
        answer = await post(client, county, community_id, part, body)
        assert answer.status_code == 200, (part, answer.text)
        assert answer.headers["etag"] == f'"{version}"'

    read = await client.get(f"/v1/communities/{community_id}", headers=county.auth("auditor"))
    set_up = read.json()["set_up"]
    assert set_up["agreement_signed"] == agreement
    assert [(m["role_label"], m["teacher_id"], m["name"]) for m in set_up["leading_group"]] == [
        ("组长", None, "局长丙"),
        ("副组长", str(principal), None),
        ("成员", str(member), None),
    ]
    assert set_up["base_school_ids"] == [str(lead)]
    [studio] = set_up["studios"]
    assert (studio["leader_id"], studio["member_ids"]) == (str(principal), [str(member)])
    assert [p["kind_label"] for p in set_up["phases"]] == ["启动阶段", "实施阶段", "长效阶段"]
    assert set_up["external_schools"] == [
        {"name": "平阳县实验小学", "county": "平阳县", "paired_on": "2022-09-01", "note": ""}
    ]

    # What the rules refuse, each with its code.
    outsider = await school(client, county, "U09")
    for part, body, status, code in (
        ("leading-group", {**group, "members": group["members"][1:]}, 422, "leading_group_leader"),
        (
            "leading-group",
            {"members": [{"role": "leader", "teacher_id": str(member), "name": "教师乙"}],
             "appointed_on": "2022-09-01"},
            422,
            "group_member",
        ),
        (
            "leading-group",
            {"members": [{"role": "leader", "teacher_id": str(outsider)}],
             "appointed_on": "2022-09-01"},
            422,
            "unknown_reference",
        ),
        ("base-schools", {"school_ids": [str(outsider)], "designated_on": "2022-09-01"}, 409, "not_member"),
        (
            "phases",
            {"phases": [{"kind": "long_term", "starts_on": "2022-09-01", "ends_on": "2022-12-31"},
                        {"kind": "launch", "starts_on": "2023-01-01", "ends_on": "2023-06-30"}]},
            422,
            "phase_order",
        ),
        (
            "studios",
            {"name": "工作室", "leader_id": str(member), "member_ids": [str(member)], "opened_on": "2022-10-01"},
            422,
            "studio_members",
        ),
    ):  # fmt: skip
        refused = await post(client, county, community_id, part, body)
        assert (refused.status_code, refused.json()["code"]) == (status, code), refused.text
    forbidden = await client.post(
        f"/v1/communities/{community_id}/phases",
        json={"phases": []},
        headers=county.auth("supervisor"),
    )
    assert forbidden.status_code == 403
    again = await client.get(f"/v1/communities/{community_id}", headers=county.auth("admin"))
    assert again.json()["version"] == 7  # nothing refused was recorded
