"""The day and mode a page is read as of (`?as_of=&mode=`), and the links that keep them.

Today as known is the default. A page asked as of another day, or as happened, reads the
county's compliance facts the way the API's `as_of` does (service.assessment.judging); the links
it renders carry the same choice, so a shared or printed page shows the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

from litestar.exceptions import ValidationException

from domain.assessment.codes import EvaluationMode
from domain.periods import check_in_range
from service.assessment.judging import question

if TYPE_CHECKING:
    from collections.abc import Callable

    from litestar import Request

    from projections.assessment.judge import Question
    from service.services import Services

HAPPENED = "happened"  # the page's word for EvaluationMode.AS_HAPPENED
MODES = {
    "": EvaluationMode.AS_KNOWN,
    "known": EvaluationMode.AS_KNOWN,
    EvaluationMode.AS_KNOWN.value: EvaluationMode.AS_KNOWN,
    HAPPENED: EvaluationMode.AS_HAPPENED,
    EvaluationMode.AS_HAPPENED.value: EvaluationMode.AS_HAPPENED,
}
CARRIED = ("as_of", "mode", "screen")  # what every link of a page keeps


def today(services: Services) -> date:
    return datetime.now(ZoneInfo(services.settings.timezone)).date()


@dataclass(frozen=True)
class When:
    day: date  # as_of: today unless the URL names a day
    today: date
    mode: EvaluationMode = EvaluationMode.AS_KNOWN
    given: bool = False  # the URL names the day (today's too: then the facts answer)

    @property
    def happened(self) -> bool:
        return self.mode is EvaluationMode.AS_HAPPENED

    @property
    def now(self) -> bool:
        """No day asked, as known: the read models answer; otherwise the facts as of the day."""
        return not self.given and not self.happened

    def question(self, period: str | None = None) -> Question:
        return question(period, self.day, self.mode)

    def knows(self, at: datetime | None) -> bool:
        """Whether a record stamped `at` counts: as happened always, as known by the day."""
        return at is not None and (self.happened or at.date() <= self.day)


def when_of(request: Request[Any, Any, Any], services: Services) -> When:
    """The page's day and mode; a bad one is a 400 problem, as a bad filter is."""
    params, now = request.query_params, today(services)
    asked = params.get("as_of") or ""
    try:
        day = date.fromisoformat(asked) if asked else now
    except ValueError as error:
        raise ValidationException(f"as_of: {asked} (YYYY-MM-DD)") from error
    check_in_range("as_of", day)
    mode = MODES.get(params.get("mode") or "")
    if mode is None:
        raise ValidationException(f"mode: {params.get('mode')} (known or {HAPPENED})")
    return When(day, now, mode, given=bool(asked))


def carrier(request: Request[Any, Any, Any]) -> Callable[[str], str]:
    """`link(href)`: an /app link with the page's as_of, mode and screen added to its query."""
    kept = {k: str(request.query_params[k]) for k in CARRIED if request.query_params.get(k)}

    def link(href: str) -> str:
        if not kept or not href.startswith("/app"):
            return href
        rest, hash_mark, fragment = href.partition("#")
        path, _, query = rest.partition("?")
        params = dict(parse_qsl(query, keep_blank_values=True))
        params.update({k: v for k, v in kept.items() if k not in params})
        return f"{path}?{urlencode(params)}{hash_mark}{fragment}"

    return link
