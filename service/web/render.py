"""The pages' template engine and the one helper that renders a page with what every page needs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar.datastructures import Cookie
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template import TemplateConfig
from markupsafe import Markup

from service.web.i18n import LANG_COOKIE, LANGUAGES, page_language, period_label, word
from service.web.session import CSRF_COOKIE, cookie_secure, new_csrf
from service.web.when import HAPPENED, When, carrier, when_of

if TYPE_CHECKING:
    from litestar import Request

    from service.services import Services

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
REFRESH_SECONDS = 60  # the large screen reloads itself
SCREENS = {"1", "wall"}  # ?screen=wall (or 1): the bureau's large screen


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,  # a misspelt name fails the test, not shows nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["svg"] = Markup  # charts.py escapes every text it writes
    return env


TEMPLATE_CONFIG = TemplateConfig(instance=JinjaTemplateEngine.from_environment(_environment()))


DATED = {"as_of", "mode"}  # the date form's own fields; the page's other query values ride along


def render(
    request: Request[Any, Any, Any],
    services: Services,
    name: str,
    *,
    status: int = 200,
    when: When | None = None,
    **context: object,
) -> Template:
    """A page in the reader's language, with its CSRF token, its day and mode, the switches."""
    lang = page_language(request)
    csrf = request.cookies.get(CSRF_COOKIE) or new_csrf()
    screen = request.query_params.get("screen") in SCREENS
    when = when or when_of(request, services)
    secure = cookie_secure(services)
    cookies = [
        Cookie(key=CSRF_COOKIE, value=csrf, path="/app", httponly=True, secure=secure,
               samesite="strict")
    ]  # fmt: skip
    if request.query_params.get("lang") in LANGUAGES:
        cookies.append(
            Cookie(key=LANG_COOKIE, value=lang, path="/", secure=secure, samesite="lax",
                   max_age=365 * 24 * 3600)
        )  # fmt: skip
    ctx = request.state.get("jgt_context")

    def t(key: str, **params: object) -> str:
        return word(key, lang, **params)

    def switch(**changes: str | None) -> str:
        """The page's URL with some query values changed (None takes one away)."""
        params = dict(request.query_params)
        params.update(changes)
        kept = {k: v for k, v in params.items() if v is not None}
        return request.url.path + ("?" + urlencode(kept) if kept else "")

    return Template(
        template_name=name,
        status_code=status,
        context={
            "lang": lang,
            "t": t,
            "period_label": lambda code: period_label(code, lang),
            "csrf": csrf,
            "screen": screen,
            "refresh": REFRESH_SECONDS if screen else None,
            "switch": switch,
            "other_lang": "en" if lang == "zh" else "zh",
            "when": when,
            "link": carrier(request),
            "happened_word": HAPPENED,
            "kept": {k: v for k, v in request.query_params.items() if k not in DATED},
            "kept_all": dict(request.query_params),
            "user": None if ctx is None else ctx.principal,
            **context,
        },
        cookies=cookies,
        headers={"Cache-Control": "no-store"},  # county data: never kept by a shared cache
    )
