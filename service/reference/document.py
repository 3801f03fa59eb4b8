"""What Litestar's description of the routes lacks, added from the routes themselves.

For every operation: its security (the bearer token, or none for a public route), the problems
it can give with an example each, `X-Request-ID` on every answer, and examples of its body and
its answer. Which problems a route gives follows from its shape (a token, parameters, a path
id, a body); what only the route knows it names in its decorator: `problems=gives(...)`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import msgspec
from litestar import Request, Response
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.routes import HTTPRoute
from litestar.serialization import encode_json

from service.reference.examples import example_value
from service.reference.problems import (
    CONTENT_LANGUAGE,
    FORBIDDEN,
    KEY_REUSED,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    NOT_JSON,
    REQUEST_ID,
    SHARED_HEADERS,
    SUSPENDED,
    THROTTLED,
    TOKEN_EXPIRED,
    TOO_LARGE,
    UNEXPECTED_BODY,
    VARY,
    VERSION_CONFLICT,
    Problematic,
    invalid,
    problem_answer,
    problem_schemas,
    shared_examples,
)

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.handlers import HTTPRouteHandler

PUBLIC: list[dict[str, list[str]]] = [{}]  # an operation's security when it takes no token
_RENDERED = "jgt.openapi"  # the app's description, completed on first ask
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_JSON = "application/json"


class DescribedJson(JsonRenderPlugin):
    """`/schema/openapi.json`: Litestar's description, completed once per app."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        state = request.app.state
        if _RENDERED not in state:
            state[_RENDERED] = encode_json(described(request.app, openapi_schema))
        rendered: bytes = state[_RENDERED]
        return rendered


def described(app: Litestar, schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of Litestar's `schema` with every operation of `app` described in full."""
    document = copy.deepcopy(schema)
    components = document.setdefault("components", {})
    components.setdefault("schemas", {}).update(problem_schemas())
    components.setdefault("headers", {}).update(copy.deepcopy(SHARED_HEADERS))
    components.setdefault("examples", {}).update(shared_examples())
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _) in route.route_handler_map.items():
            if method in {"HEAD", "OPTIONS"} or not handler.resolve_include_in_schema():
                continue
            operation = document["paths"][route.path_format][method.lower()]
            _describe(operation, handler, method, route.path_format)
            _say_language(operation, document["components"]["schemas"])
    return document


def _say_language(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """An answer with labels is written in a language: it says so (service/negotiation.py)."""
    for status, answer in operation["responses"].items():
        media = answer.get("content", {}).get(_JSON)
        if int(status) < 400 and media is not None and _labelled(media["schema"], schemas, set()):  # noqa: PLR2004
            answer["headers"] |= {"Content-Language": CONTENT_LANGUAGE, "Vary": VARY}


def _labelled(schema: dict[str, Any], schemas: dict[str, Any], seen: set[str]) -> bool:
    """Whether a schema holds a label, through its references.

    A label is a `…_label`, a `label` beside a `code`, or a text beside its `…_code` (a
    chain check's `problem`); a token's own `label` is the admin's text, in no language.
    """
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return False
        seen.add(name)
        return _labelled(schemas[name], schemas, seen)
    properties: dict[str, Any] = schema.get("properties", {})
    keys = set(properties)
    if {"label", "code"} <= keys or any(
        key.endswith("_label") or f"{key}_code" in keys for key in keys
    ):
        return True
    nested = [*properties.values(), *schema.get("oneOf", []), *schema.get("anyOf", [])]
    if "items" in schema:
        nested.append(schema["items"])
    return any(_labelled(item, schemas, seen) for item in nested if isinstance(item, dict))


def _describe(operation: dict[str, Any], handler: HTTPRouteHandler, method: str, path: str) -> None:
    authenticated = bool(handler.resolve_guards())  # a guard asks for a token; public: none
    if not authenticated:
        operation["security"] = PUBLIC
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for guessed in [s for s in responses if 400 <= int(s) < 500]:  # noqa: PLR2004
        del responses[guessed]  # Litestar's own guesses, in its own error format
    # Statuses a route declares itself (`responses=problems(...)`) are kept; their examples
    # come from `problems=gives(...)`, or the description has none (and the test says so).
    by_status: dict[int, list[Problematic]] = {
        status: []
        for status in handler.responses or {}
        if 400 <= status < 500  # noqa: PLR2004
    }
    for error in _problems(operation, handler, method, authenticated=authenticated):
        by_status.setdefault(error.status, []).append(error)
    for status, errors in sorted(by_status.items()):
        responses[str(status)] = problem_answer(status, errors, path)
    responses.get("204", {}).pop("content", None)  # Litestar describes no body as JSON null
    for answer in responses.values():
        answer.setdefault("headers", {})["X-Request-ID"] = REQUEST_ID
        for header in answer["headers"].values():
            if "$ref" not in header:
                header.setdefault("schema", {"type": "string"})
    _examples(operation, handler)


def _problems(
    operation: dict[str, Any], handler: HTTPRouteHandler, method: str, *, authenticated: bool
) -> list[Problematic]:
    """The problems the route can answer: those its shape implies, then its own."""
    parameters = operation.get("parameters", [])
    where = {parameter["in"] for parameter in parameters}
    names = {parameter["name"] for parameter in parameters}
    found: list[Problematic] = []
    if authenticated:
        found += [NOT_AUTHENTICATED, TOKEN_EXPIRED, FORBIDDEN, SUSPENDED, THROTTLED]
    if "requestBody" in operation:
        found += [invalid(_first_field(handler)), TOO_LARGE, NOT_JSON]
    elif method in _WRITES:  # the body gate refuses a body, and reads it to know
        found += [UNEXPECTED_BODY, TOO_LARGE]
    if where & {"query", "header"} and "requestBody" not in operation:
        found.append(invalid(next(p["name"] for p in parameters if p["in"] != "path")))
    if "path" in where:
        found.append(NOT_FOUND)
    if "If-Match" in names and handler.status_code != 201:  # noqa: PLR2004 - creations refuse it
        found.append(VERSION_CONFLICT)
    if "Idempotency-Key" in names:
        found.append(KEY_REUSED)
    return found + list(handler.opt.get("problems", ()))


def _first_field(handler: HTTPRouteHandler) -> str:
    """A field of the body, to name in the example of a 400."""
    body = handler.parsed_fn_signature.parameters["data"].annotation
    info = msgspec.inspect.type_info(body)
    if isinstance(info, msgspec.inspect.StructType) and info.fields:
        return info.fields[0].encode_name
    return "$"


def _examples(operation: dict[str, Any], handler: HTTPRouteHandler) -> None:
    """An example of the body and of the answer, from the registry of examples by type."""
    signature = handler.parsed_fn_signature
    body = signature.parameters.get("data")
    media = operation.get("requestBody", {}).get("content", {}).get(_JSON)
    if body is not None and media is not None:  # a JSON body (an upload takes no example)
        _set_example(media, body.annotation)
    answer = operation["responses"].get(str(handler.status_code), {})
    returned = signature.return_type
    if returned.is_subclass_of(Response) and returned.inner_types:
        returned = returned.inner_types[0]
    if _JSON in answer.get("content", {}):
        _set_example(answer["content"][_JSON], returned.annotation)


def _set_example(media: dict[str, Any], annotation: object) -> None:
    value = example_value(annotation)
    if value is not None:
        media["examples"] = {"example": {"summary": "example", "value": value}}
