"""Pages for people: `/` and the Swagger UI reference, every asset from an installed package.

Google Fonts is blocked in mainland China and public CDNs are unreliable there, so no page we
serve names another host: the Swagger UI files come from `openapi-ui-bundles` (pinned).
"""

from __future__ import annotations

import functools
import html
from typing import TYPE_CHECKING, Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.params import FromPath
from openapi_ui_bundles import swagger_ui

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA = "/schema"
ASSETS = f"{SCHEMA}/assets"
REFERENCE = f"{SCHEMA}/swagger"

# The only files served, by name: the bundle's own index.html names an outside host.
_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
    "favicon-16x16.png": "image/png",
}
_FAVICON = f'<link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png">'


@functools.cache
def _asset(name: str) -> bytes:
    path: Path = swagger_ui.static_path / name
    return path.read_bytes()


@get(f"{ASSETS}/{{name:str}}", include_in_schema=False, sync_to_thread=False)
def reference_asset(name: FromPath[str]) -> Response[bytes]:
    """A file of the installed Swagger UI, cached by browsers for a day."""
    media_type = _ASSETS.get(name)
    if media_type is None:
        raise NotFoundException
    return Response(
        _asset(name), media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
    )


class LocalSwagger(OpenAPIRenderPlugin):
    """Swagger UI 5 from the installed bundle; "Authorize" takes a bearer token."""

    def __init__(self) -> None:
        super().__init__(path="/swagger", favicon=_FAVICON)

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        del request  # every page names the same local files
        title = html.escape(str(openapi_schema["info"]["title"]))
        # validatorUrl null: the default shows a badge fetched from validator.swagger.io. The
        # token "Authorize" takes is not kept in the browser's storage (a shared computer).
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{self.favicon}
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<style>body {{ margin: 0 }}</style>
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: "{SCHEMA}/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout"
}});
</script>
</body>
</html>
""".encode()


FRONT_PAGE = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>教共体台账 jiaogongti</title>
{_FAVICON}
<style>
body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto;
       padding: 0 1rem; line-height: 1.6; color: #222 }}
h1 {{ font-size: 1.6rem }} li {{ margin: .4rem 0 }} .en {{ color: #555 }}
</style>
</head>
<body>
<h1>教共体台账 <span class="en">jiaogongti</span></h1>
<p>县域教育共同体的活动台账：每一次送教、教研、视导都是不可更改的事件。<br>
<span class="en">The ledger of county education communities: every action is an immutable
event.</span></p>
<ul>
<li><a href="/app/sign-in">督导看板</a> <span class="en">the dashboard (sign in)</span></li>
<li><a href="{REFERENCE}">接口文档</a> <span class="en">API reference</span>
 (<a href="{SCHEMA}/openapi.json">OpenAPI JSON</a>)</li>
<li><a href="/v1/catalogue">代码目录</a> <span class="en">the catalogue: every code and its
label</span></li>
<li><a href="/healthz">运行状态</a> <span class="en">health</span></li>
</ul>
<p>其余接口需要令牌：<code>Authorization: Bearer &lt;token&gt;</code>。<br>
<span class="en">Every other route takes a token.</span></p>
</body>
</html>
""".encode()


@get("/", include_in_schema=False, sync_to_thread=False)
def front_page() -> Response[bytes]:
    """What a browser pointed at the service sees first."""
    return Response(FRONT_PAGE, media_type="text/html; charset=utf-8")
