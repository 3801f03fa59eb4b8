"""The OpenAPI description: every operation described, secured, with its problems and examples.

It walks every operation the app serves, so a new route must comply too (README: "Documenting a
route").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from service.access import PUBLIC as ACCESS_PUBLIC
from service.problems import MEDIA_TYPE
from tests.service.schema_check import refused

# The problem statuses an operation may document, by method (RFC 9457 bodies only).
ALLOWED = {
    # 409: a sign-in link its action no longer knows; 422: a period or date the domain refuses
    "get": {400, 401, 403, 404, 409, 410, 422, 429},
    "post": {400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 428, 429},
    "put": {400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 428, 429},
    "patch": {400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 428, 429},
    "delete": {400, 401, 403, 404, 409, 410, 412, 413, 428, 429},
}
PUBLIC = {("get", "/healthz")} | {(method.lower(), path) for method, path in ACCESS_PUBLIC}


@pytest.fixture(scope="module")
async def document(client: httpx.AsyncClient) -> dict[str, Any]:
    answer = await client.get("/schema/openapi.json")
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ALLOWED:
                yield path, method, operation


def served(app: Litestar) -> set[tuple[str, str]]:
    return {
        (route.path_format, method.lower())
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for method, (handler, _) in route.route_handler_map.items()
        if method not in {"HEAD", "OPTIONS"} and handler.resolve_include_in_schema()
    }


def examples_of(media: dict[str, Any], document: dict[str, Any]) -> list[Any]:
    """A media type's example values, those named by reference too."""
    found = []
    named = document["components"].get("examples", {})
    for example in media.get("examples", {}).values():
        shared = named[example["$ref"].rsplit("/", 1)[-1]] if "$ref" in example else example
        found.append(shared["value"])
    return found


def test_every_route_is_an_operation_with_a_summary_description_and_security(
    document: dict[str, Any], app: Litestar
) -> None:
    assert document["info"]["title"] == "jiaogongti 教共体台账"
    found = {(path, method) for path, method, _ in operations(document)}
    assert found == served(app)
    assert len(found) > 25
    assert document["security"] == [{"bearer": []}]
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, method, operation in operations(document):
        where = f"{method} {path}"
        assert operation.get("summary"), where
        assert len(operation.get("description", "")) > 20, where
        if (method, path) in PUBLIC:
            assert operation["security"] == [{}], where
            assert "401" not in operation["responses"], where
        else:
            assert "security" not in operation, where  # the global bearer requirement
            assert {"401", "403", "429"} <= set(operation["responses"]), where


def test_each_operation_documents_only_problems_of_its_kind_with_real_examples(
    document: dict[str, Any],
) -> None:
    for path, method, operation in operations(document):
        where = f"{method} {path}"
        parameters = {p["in"] for p in operation.get("parameters", [])}
        problems = {
            int(s) for s, r in operation["responses"].items() if MEDIA_TYPE in r.get("content", {})
        }
        assert problems <= ALLOWED[method], (where, problems)
        assert ("404" in operation["responses"]) == ("path" in parameters), where
        if "requestBody" not in operation and parameters <= {"path"} and method == "get":
            assert not problems & {400, 422}, where  # nothing it takes can be wrong
        names = {p["name"] for p in operation.get("parameters", [])}
        if "semester" in names:  # the domain parses the period codes
            assert 422 in problems, where
        for status in problems:
            answer = operation["responses"][str(status)]
            assert answer["description"], where
            assert "X-Request-ID" in answer["headers"], where
            values = examples_of(answer["content"][MEDIA_TYPE], document)
            assert values, (where, status)
            for value in values:
                assert value["status"] == status, (where, value)
                instance = value.get("instance", "/")  # shared examples name no route
                assert instance.startswith("/") and "{" not in instance, value
                assert "{" not in value["detail"], (where, value)  # every placeholder filled
                assert not refused(value, answer["content"][MEDIA_TYPE]["schema"], document)


def test_bodies_and_answers_have_examples_their_schemas_accept(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        where = f"{method} {path}"
        medias = []
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            medias.append(operation["requestBody"]["content"]["application/json"])
        for status, answer in operation["responses"].items():
            assert "X-Request-ID" in answer.get("headers", {}), (where, status)
            if int(status) < 400 and "application/json" in answer.get("content", {}):
                medias.append(answer["content"]["application/json"])
        for media in medias:
            values = examples_of(media, document)
            assert values, where
            for value in values:
                assert not refused(value, media["schema"], document), (
                    where,
                    refused(value, media["schema"], document),
                )


def test_every_example_anywhere_is_one_its_schema_accepts(document: dict[str, Any]) -> None:
    """Also the examples of single fields: none is random, like `"status": 2562` was."""
    checked = 0

    def walk(node: object) -> None:
        nonlocal checked
        if isinstance(node, dict):
            if isinstance(node.get("examples"), list):  # a schema's (a media type's are a map)
                for value in node["examples"]:
                    schema = {k: v for k, v in node.items() if k != "examples"}
                    assert not refused(value, schema, document), (value, schema)
                    checked += 1
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    assert checked > 5
    assert '"status":2562' not in msgspec.json.encode(document).decode()


def test_commands_document_their_headers(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        names = {p["name"] for p in operation.get("parameters", [])}
        answers = operation["responses"]
        if "201" in answers and "Idempotency-Key" in names:
            assert {"ETag", "Location", "Idempotent-Replayed"} <= set(answers["201"]["headers"]), (
                path
            )
        if "If-Match" in names and "200" in answers:
            assert {"ETag", "Idempotent-Replayed"} <= set(answers["200"]["headers"]), path
            assert "ETag" in answers["409"]["headers"], path
        one_record = re.fullmatch(r"/v1/\w+/\{\w+\}", path)
        if method == "get" and one_record and "application/json" in answers["200"]["content"]:
            assert "ETag" in answers["200"]["headers"], path  # one record, with its version
    assert "Idempotency-Key" in {
        p["name"] for p in document["paths"]["/v1/schools"]["post"]["parameters"]
    }


def test_request_schemas_refuse_unknown_fields_as_the_structs_do(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    bodies = {
        media["schema"]["$ref"].rsplit("/", 1)[-1]
        for _, _, operation in operations(document)
        for kind, media in operation.get("requestBody", {}).get("content", {}).items()
        if kind == "application/json" and "$ref" in media["schema"]
    }
    assert len(bodies) >= 12
    for name in [*bodies, "ParticipantIn", "EvidenceIn"]:
        assert schemas[name]["additionalProperties"] is False, name
    assert "additionalProperties" not in schemas["SchoolView"]  # answers may grow fields
