"""The pages for people: `/` and the API reference, with no file from another host."""

from __future__ import annotations

import re

import httpx

from tests.service.conftest import County
from tests.service.test_sign_in import lesson, link_of, path_of

PAGES = ("/", "/schema", "/schema/swagger")
# Hosts a page would load fonts or scripts from; blocked or unreliable in mainland China.
OUTSIDE = re.compile(r"fonts\.googleapis|fonts\.gstatic|jsdelivr|unpkg|cdnjs|googleapis\.com")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"  # names the format; nothing is fetched from it
LINKS = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


async def test_every_page_and_what_it_loads_comes_from_this_server(
    client: httpx.AsyncClient,
) -> None:
    assets: set[str] = set()
    for page in PAGES:
        answer = await client.get(page)
        assert answer.status_code == 200, page
        assert answer.headers["content-type"].startswith("text/html"), page
        html = answer.text
        assert not re.search(r"https?://", html), (page, re.findall(r"https?://\S+", html))
        assets |= {link for link in LINKS.findall(html) if link.startswith("/schema/assets/")}
        for link in LINKS.findall(html):
            assert link.startswith(("/", "#")), (page, link)
    assert {
        "/schema/assets/swagger-ui-bundle.js",
        "/schema/assets/swagger-ui.css",
        "/schema/assets/favicon-32x32.png",
    } <= assets
    for asset in sorted(assets):
        answer = await client.get(asset)
        assert answer.status_code == 200, asset
        assert answer.headers["cache-control"] == "public, max-age=86400"
        if asset.endswith(".css"):
            # Only data: URIs (their SVGs name the SVG namespace, which nothing fetches).
            urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", answer.text)
            assert urls and all(url.startswith("data:") for url in urls), urls
            assert "@import" not in answer.text
        if asset.endswith(".js"):
            assert not OUTSIDE.search(answer.text), OUTSIDE.search(answer.text)
            assert "SwaggerUIBundle" in answer.text
    swagger = (await client.get("/schema/swagger")).text
    assert "validatorUrl: null" in swagger  # Swagger UI's default badge comes from outside
    assert 'url: "/schema/openapi.json"' in swagger


async def test_the_cdn_pages_are_gone_and_only_the_bundles_own_files_are_served(
    client: httpx.AsyncClient,
) -> None:
    for page in ("/schema/redoc", "/schema/elements", "/schema/rapidoc", "/schema/scalar"):
        assert (await client.get(page)).status_code == 404, page
    # The bundle's own index.html names the petstore on another host: it is not served.
    for name in ("index.html", "swagger-initializer.js", "..%2F__init__.py", "../__init__.py"):
        assert (await client.get(f"/schema/assets/{name}")).status_code == 404, name


async def test_the_front_page_points_to_the_reference_and_the_catalogue_in_both_languages(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/")
    assert answer.status_code == 200
    links = set(LINKS.findall(answer.text))
    assert {"/schema/swagger", "/v1/catalogue", "/healthz"} <= links
    for words in ("接口文档", "API reference", "代码目录", "catalogue"):
        assert words in answer.text
    for link in links - {"/healthz"}:  # /healthz needs the servers: its own tests cover it
        assert (await client.get(link)).status_code == 200, link


async def test_the_sign_in_page_and_its_qr_code_name_no_other_host(
    client: httpx.AsyncClient, county: County
) -> None:
    activity = await lesson(client, county)
    link = await link_of(client, county, activity["id"], minutes=30)
    own = str(client.base_url).rstrip("/")
    for url in (link["url"], link["qr_svg_url"]):
        answer = await client.get(path_of(url))
        assert answer.status_code == 200, answer.text
        named = set(re.findall(r"https?://[^\s\"'<>)]+", answer.text)) - {SVG_NAMESPACE}
        assert all(found.startswith(own) for found in named), named
        assert not OUTSIDE.search(answer.text)
