"""The OpenAPI description at /schema covers every route, with its problems."""

from __future__ import annotations

import re

import httpx
from litestar import Litestar

from service.access import PUBLIC


async def test_every_route_is_described_with_its_problem_answers(
    client: httpx.AsyncClient, app: Litestar
) -> None:
    answer = await client.get("/schema/openapi.json")
    assert answer.status_code == 200
    schema = answer.json()
    assert schema["info"]["title"] == "jiaogongti 教共体台账"
    operations = {
        (path, method): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }
    served = {
        (route.path, method.lower())
        for route in app.routes
        for method in getattr(route, "methods", set())
        if method not in {"HEAD", "OPTIONS"} and not route.path.startswith("/schema")
    }
    assert len(operations) == len(served) > 20
    for (path, method), operation in operations.items():
        assert operation.get("summary"), f"{method} {path} has no summary"
        public = (method.upper(), re.sub(r"\{(\w+):\w+\}", r"{\1}", path)) in PUBLIC
        if path.startswith("/v1/") and not public:
            assert "401" in operation["responses"], f"{method} {path} does not document 401"
            problem = operation["responses"]["401"]["content"]
            assert "application/problem+json" in problem, f"{method} {path}"
        if public and path.startswith("/v1/sign-in/"):  # the link: bad, expired, throttled
            assert {"404", "410", "429"} <= set(operation["responses"]), f"{method} {path}"
        if method == "post" and path == "/v1/files":  # an upload: its form, its size, its kind
            assert {"400", "413", "415"} <= set(operation["responses"]), f"{method} {path}"
        elif method == "post":
            assert {"400", "409", "422"} <= set(operation["responses"]), f"{method} {path}"
    assert "Idempotency-Key" in {
        p["name"] for p in operations[("/v1/schools", "post")]["parameters"]
    }
