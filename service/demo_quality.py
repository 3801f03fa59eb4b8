"""The demo county's quality tests (教学质量检测) over two school years, and their analyses.

The year before the community's (its schools' own tests, no community named) is the baseline:
each term's end-of-term test of the community's first year compares with it, so the change
from the year before shows; this year's midterm shows once it has been held.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING

from domain.codes import SittingKind, Subject
from domain.quality.sitting import Sitting
from service.command import change, create
from service.commands.quality.sittings import (
    HoldSitting,
    RecordAnalysis,
    RecordResults,
    ResultIn,
    hold_sitting,
    record_analysis,
    record_results,
)

if TYPE_CHECKING:
    from uuid import UUID

    from service.command import Env

SUBJECTS = (Subject.CHINESE, Subject.MATH, Subject.ENGLISH)
GRADES = (4, 5)


def figure(key: str, low: int, high: int) -> int:
    """A plausible figure from `low` to `high`, the same for the same key."""
    digest = hashlib.sha256(key.encode()).digest()
    return low + int.from_bytes(digest[:4]) % (high - low + 1)


def sittings(starts_on: date, today: date) -> list[tuple[date, SittingKind, str, bool]]:
    """(day, kind, title, in the community) from the year before to this autumn's midterm."""
    year = starts_on.year
    held = [
        (date(year, 1, 12), SittingKind.END_OF_TERM, f"{year - 1}学年第一学期期末检测", False),
        (date(year, 6, 26), SittingKind.END_OF_TERM, f"{year - 1}学年第二学期期末检测", False),
        (date(year + 1, 1, 10), SittingKind.JOINT, f"{year}学年第一学期期末联考", True),
        (date(year + 1, 6, 25), SittingKind.END_OF_TERM, f"{year}学年第二学期期末检测", True),
    ]
    midterm = date(year + 1, 11, 12)
    if midterm <= today:
        held.append((midterm, SittingKind.MIDTERM, f"{year + 1}学年第一学期期中检测", True))
    return held


def results(schools: list[UUID], number: int, lead: UUID) -> list[ResultIn]:
    """Each school, subject and grade; the member schools' rates rise each sitting."""
    found = []
    for school in schools:
        for subject in SUBJECTS:
            for grade in GRADES:
                key = f"{school}:{subject}:{grade}"
                rise = 0 if school == lead else 250 * number
                passed = min(figure(key, 7000, 9000) + rise, 9900)
                found.append(
                    ResultIn(
                        school_id=school,
                        subject=subject,
                        grade=grade,
                        students=figure(key + "n", 18, 48),
                        pass_rate=passed / 100,
                        good_rate=figure(f"{key}:{number}g", 2500, passed - 500) / 100,
                        mean=(figure(key + "m", 6500, 8500) + rise // 3) / 100,
                    )
                )
    return found


async def record_quality(
    writer: Env,
    *,
    lead: UUID,
    partners: list[UUID],
    community_id: UUID,
    starts_on: date,
    today: date,
) -> None:
    """The sittings with their results, the analysis of each, and one member school's own."""
    schools = [lead, *partners]
    for number, (held_on, kind, title, joint) in enumerate(sittings(starts_on, today)):
        sitting, _ = await create(
            writer,
            hold_sitting,
            HoldSitting(
                kind=kind,
                title=title,
                held_on=held_on,
                grades=list(GRADES),
                subjects=list(SUBJECTS),
                school_ids=schools,
                community_id=community_id if joint else None,
            ),
        )
        body = RecordResults(results=results(schools, number, lead))
        await change(writer, None, record_results, Sitting, sitting.id, body)
        text = f"{title}质量分析：成员校合格率、优良率与上年同期相比均有提高，英语学科仍需加强。"
        await change(writer, None, record_analysis, Sitting, sitting.id, RecordAnalysis(text=text))
        if joint:
            own = RecordAnalysis(
                school_id=partners[0], text=f"{title}本校分析：四年级数学计算题失分较多。"
            )
            await change(writer, None, record_analysis, Sitting, sitting.id, own)
