"""The mobile sign-in page: plain HTML with its style and script inline, nothing fetched."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime
    from uuid import UUID

    from domain.community.activity import Activity

_STYLE = """
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;
padding:1rem;background:#f6f7f9;color:#222}h1{font-size:1.25rem;margin:.2rem 0}
p{margin:.3rem 0;color:#555}ul{list-style:none;padding:0}li{margin:.5rem 0}
button{width:100%;padding:.9rem;font-size:1.1rem;border:1px solid #ccd;border-radius:.5rem;
background:#fff;text-align:left}button:disabled{color:#999;background:#eee}
#result{font-size:1.1rem;padding:.6rem 0;min-height:1.5rem}
"""

# Posts the chosen name as JSON to the page's own address and says how it went.
_SCRIPT = """
document.querySelectorAll("button[data-name]").forEach(function (b) {
  b.addEventListener("click", function () {
    if (!confirm("确认以“" + b.dataset.name + "”的身份签到？")) return;
    var out = document.getElementById("result");
    out.textContent = "正在签到…";
    fetch(location.pathname, {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({name: b.dataset.name, school_id: b.dataset.school})})
      .then(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); })
      .then(function (a) {
        if (a[0]) { out.textContent = "签到成功：" + a[1].name + (a[1].late ? "（迟到）" : "");
                    b.disabled = true; }
        else { out.textContent = a[1].detail || "签到失败"; }
      })
      .catch(function () { out.textContent = "网络不通，请稍后再试。"; });
  });
});
"""


def sign_in_page(
    activity: Activity, school_names: Mapping[UUID, str], expires_at: datetime, nonce: str
) -> str:
    """The action's expected participants, each a button; those signed in are greyed out."""
    facts = activity.facts
    signed = set(activity.sign_ins) | {(m.name, m.school_id) for m in facts.attendance}
    items = []
    for person in facts.participants:
        school = school_names.get(person.school_id, "")
        label = html.escape(f"{person.name}（{school}）" if school else person.name)
        disabled = " disabled" if (person.name, person.school_id) in signed else ""
        items.append(
            f'<li><button type="button" data-name="{html.escape(person.name, quote=True)}"'
            f' data-school="{person.school_id}"{disabled}>{label}</button></li>'
        )
    day = facts.held_on.isoformat()
    until = expires_at.strftime("%Y-%m-%d %H:%M UTC")
    names = "".join(items) or "<li>本次活动没有应到名单，请联系组织者。</li>"
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>签到：{html.escape(facts.title)}</title>"
        f'<style nonce="{nonce}">{_STYLE}</style></head><body>'
        f"<h1>{html.escape(facts.title)}</h1><p>{day} · 请点选您的姓名签到</p>"
        f"<p>本链接有效至 {until}</p>"
        f'<div id="result" role="status"></div><ul>{names}</ul>'
        "<noscript>请开启浏览器的 JavaScript 后签到。</noscript>"
        f'<script nonce="{nonce}">{_SCRIPT}</script></body></html>'
    )


def content_security_policy(nonce: str) -> str:
    """Nothing from elsewhere; only this page's own style, script and sign-in request."""
    return (
        f"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
