"""Accept-Language is read with its q-values; Chinese when nothing we speak is asked for."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from service.problems import preferred_language
from tests.service.api import school, setup_community
from tests.service.conftest import County


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en;q=0.9, zh;q=0.8", "en"),
        ("zh;q=0.1, en;q=0.5", "en"),
        ("fr", "zh"),
        ("", "zh"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("fr, en-GB;q=0.7", "en"),
        ("en;q=bad, zh;q=0.2", "zh"),
    ],
)
def test_the_language_is_the_best_weighted_one_we_speak(header: str, expected: str) -> None:
    assert preferred_language(header) == expected


async def test_answers_in_a_language_say_which_and_vary_with_accept_language(
    client: httpx.AsyncClient, county: County
) -> None:
    school_id = await school(client, county, "LANG-1")
    for header, lang in (("en;q=0.9, zh;q=0.8", "en"), ("zh-CN", "zh"), ("", "zh")):
        asked = {"Accept-Language": header} if header else {}
        problem = await client.get("/v1/schools", headers=asked)  # no token: 401
        catalogue = await client.get("/v1/catalogue", headers=asked)
        one = await client.get(
            f"/v1/schools/{school_id}", headers={**county.auth("admin"), **asked}
        )
        assert one.json()["stage_label"] == ("Primary school" if lang == "en" else "小学")
        for answer in (problem, catalogue, one):
            assert answer.headers["content-language"] == lang, answer.request.url
            assert answer.headers["vary"] == "Accept-Language"
        assert problem.json()["title"] == (
            "Not authenticated" if lang == "en" else "未通过身份验证"
        )
        assert catalogue.json()["school_stages"][1]["label"] == (
            "Primary school" if lang == "en" else "小学"
        )


async def test_answers_that_do_not_depend_on_the_language_say_nothing_of_it(
    client: httpx.AsyncClient, county: County
) -> None:
    """No label or message in them: the token list, the description, a 204, an empty list."""
    empty = await client.get("/v1/communities", headers=county.auth("admin", "en"))
    assert empty.json()["items"] == []
    tokens = await client.get("/v1/tokens", headers=county.auth("admin", "en"))
    assert tokens.status_code == 200
    health_page = await client.get("/schema/openapi.json", headers={"Accept-Language": "en"})
    for answer in (tokens, health_page, empty):
        assert "content-language" not in answer.headers
        assert "vary" not in answer.headers
    issued = await client.post(
        "/v1/tokens",
        json={"role": "supervisor", "label": "督导"},
        headers=county.auth("admin", "en"),
    )
    revoked = await client.delete(
        f"/v1/tokens/{issued.json()['token_id']}", headers=county.auth("admin", "en")
    )
    assert revoked.status_code == 204
    assert "content-language" not in revoked.headers


async def test_the_description_says_which_answers_carry_content_language_as_they_do(
    client: httpx.AsyncClient, county: County, operator_token: str
) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    community_id, lead, _, _ = await setup_community(client, county, "CL")
    admin = county.auth("admin", "en")
    calls = {
        "/v1/catalogue": {},
        "/v1/schools/{school_id}": admin,
        "/v1/communities/{community_id}": admin,
        "/v1/audit/verify": admin,
        "/v1/audit/checkpoints": admin,
        "/v1/audit/events": admin,
        "/v1/tokens": admin,
        "/v1/inbox": admin,
        "/v1/projections/status": admin,
        "/v1/tenants": {"Authorization": f"Bearer {operator_token}", "Accept-Language": "en"},
    }
    said = set()
    for template, headers in calls.items():
        path = template.format(school_id=lead, community_id=community_id)
        answer = await client.get(path, headers=headers)
        assert answer.status_code == 200, (path, answer.text)
        documented = document["paths"][template]["get"]["responses"]["200"]["headers"]
        # Documented where it can be said: an intact chain check holds no problem text.
        assert "content-language" not in answer.headers or "Content-Language" in documented
        if "content-language" in answer.headers:
            said.add(template)
            assert answer.headers["content-language"] == ("zh" if not headers else "en")
    assert said == {"/v1/catalogue", "/v1/schools/{school_id}", "/v1/communities/{community_id}"}
    undocumented = {t for t in calls if "Content-Language" not in _answer_headers(document, t)}
    assert undocumented == set(calls) - said - {"/v1/audit/verify"}


def _answer_headers(document: dict[str, Any], template: str) -> dict[str, Any]:
    headers: dict[str, Any] = document["paths"][template]["get"]["responses"]["200"]["headers"]
    return headers
