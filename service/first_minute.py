"""What `jgt serve --demo` and `jgt demo` print: the demo county's tokens and commands, once.

The text is a shell script in which everything but the commands is a comment, so a person may
paste all of it or any block; tokens and ids sit alone on their lines, in shell variables, so
no id is glued to punctuation and each command stays short. Running a block twice is harmless:
the record carries an Idempotency-Key, and the inbox command waits for the notice it expects.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from service.demo import DemoCounty

RULE = "# " + "─" * 70
NEWLINE = r"'\n'"  # curl's -w: each answer ends its line


def curl(token: str, rest: str) -> str:
    return f'curl -s -w {NEWLINE} -H "Authorization: Bearer ${token}" {rest}'


LESSON = "五年级英语"  # the printed lesson's title ends so; the inbox command waits for it


def first_minute(base: str, county: DemoCounty, today: date, lead: str, member: str) -> str:
    """The text, for a server at `base`; `lead` and `member` are the two schools' codes.

    Each command prints its answer on a line of its own.
    """
    key = f"demo-lesson-{secrets.token_hex(4)}"  # a new one per print: tokens change too
    lines = [
        RULE,
        f"# 教共体台账 demo county 示范县: {county.name}",
        "#",
        f"#   API reference 接口文档   {base}/schema/swagger",
        f"#   front page 首页          {base}/",
        "#",
        "# Paste these lines into a shell; the tokens are shown once (a restart prints new ones).",
        "# 把下面几行粘贴到终端运行；令牌只显示这一次，重启后会打印新的。",
        "",
        f"API={base}",
        *(f"{role.upper()}={secret}" for role, secret in county.tokens.items()),
        f"COUNTY={county.tenant_id}",
        f"COMMUNITY={county.community_id}",
        f"LEAD={county.schools[lead]}",
        f"MEMBER={county.schools[member]}",
        "",
        "# 1. The lead school's recorder records a 送教下乡 lesson (run twice, recorded once).",
        "#    牵头学校登记一次送教下乡（重复运行只记录一次）。",
        curl("RECORDER", "-H 'Content-Type: application/json' \\"),
        f"  -H 'Idempotency-Key: {key}' --data-binary @- \"$API/v1/activities\" <<EOF",
        '{"community_id": "$COMMUNITY", "kind": "sending_lessons", "mode": "on_site",',
        f' "title": "送教下乡：{LESSON}", "held_on": "{today.isoformat()}",',
        ' "host_school_id": "$LEAD", "participating_school_ids": ["$MEMBER"],',
        ' "subjects": ["english"],',
        ' "participants": [{"name": "李华", "school_id": "$LEAD", "role": "主讲教师"}]}',
        "EOF",
        "",
        "# 2. The supervisor's dashboard counts it (within a second). 督导看板的统计。",
        curl("SUPERVISOR", "\\"),
        '  "$API/v1/dashboards/activity-counts?community=$COMMUNITY"',
        "",
        "# 3. The lead school's inbox: waits up to 10 s for the lesson's notice, then lists the",
        "#    newest. 牵头学校的通知：等待新活动的通知到达后列出。",
        "for i in $(seq 20); do",
        '  curl -s -H "Authorization: Bearer $RECORDER" "$API/v1/inbox?limit=5" \\',
        f"    | grep -q {LESSON} && break",
        "  sleep 0.5",
        "done",
        curl("RECORDER", '"$API/v1/inbox?limit=3"'),
        "",
        "# 4. The auditor checks the county's hash chain. 审计核验哈希链。",
        curl("AUDITOR", '"$API/v1/audit/verify"'),
        "",
        "# 5. The auditor reads the first events. 审计查看事件。",
        curl("AUDITOR", '"$API/v1/audit/events?limit=5"'),
        "",
        "# 6. The admin reads the lead school as its events rebuild it. 管理员查看学校。",
        curl("ADMIN", '"$API/v1/schools/$LEAD"'),
        RULE,
    ]
    return "\n".join(lines)
