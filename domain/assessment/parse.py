"""Reading a rule-set version from its JSON form; a bad field fails naming its path."""

from collections.abc import Mapping
from itertools import pairwise

from domain.assessment.codes import CommunityRole, PeriodGrain, Strictness
from domain.assessment.parse_measures import kinds, measure, predicate
from domain.assessment.reader import Obj, Reader
from domain.assessment.rules import (
    ASSESSORS,
    OWNERS,
    POSITIONS,
    SCOPES,
    SIDES,
    SOURCES,
    AppliesTo,
    Band,
    Counts,
    Funding,
    PeriodSpec,
    Position,
    Rule,
    RuleSetVersion,
    Score,
    Source,
    Substitute,
    Unexpressed,
    Weights,
)
from domain.codes import ActivityMode, AssessmentGrade, CommunityType, ResearchLevel, SchoolStage
from domain.label import Label

ID_LIMIT = 60
TITLE_LIMIT = 200
_MONTHS = 12
_SET_KEYS = {
    "id", "county", "version", "title", "plan", "in_force", "rules", "bands", "weights",
    "funding", "grace_days", "at_risk_margin", "require_approval", "target_credit",
    "not_expressible",
}  # fmt: skip
_RULE_KEYS = {
    "id", "title", "source", "strictness", "applies_to", "scope", "period", "counts",
    "measure", "score", "assessor", "covers",
}  # fmt: skip
_COUNT_KEYS = {
    "source", "kinds", "modes", "substitute", "host", "place", "joint", "min_evidence",
    "sign_in_sheet", "all_present", "no_late", "min_reflection", "reflection_each", "position",
    "presenters", "distinct_presenter_schools", "level_min", "stages", "outcomes", "owner",
    "theme", "member_participant",
}  # fmt: skip


def label(reader: Reader) -> Label:
    obj = reader.obj({"zh", "en"})
    return Label(obj.get("zh").text(TITLE_LIMIT), obj.get("en").text(TITLE_LIMIT))


def _flag(obj: Obj, key: str) -> bool:
    found = obj.opt(key)
    return found.boolean() if found is not None else False


def _int(obj: Obj, key: str, default: int = 0) -> int:
    found = obj.opt(key)
    return found.integer() if found is not None else default


def period(reader: Reader) -> PeriodSpec:
    obj = reader.obj({"grain", "from", "to", "phase", "months", "teaching_only"})
    grain = obj.get("grain").code(PeriodGrain)
    start, end, phase, months = obj.opt("from"), obj.opt("to"), obj.opt("phase"), obj.opt("months")
    spec = PeriodSpec(
        grain=grain,
        starts_on=start.day() if start is not None else None,
        ends_on=end.day() if end is not None else None,
        phase=phase.text(50) if phase is not None else "",
        months=tuple(_month(m) for m in months.items()) if months is not None else (),
        teaching_only=_flag(obj, "teaching_only"),
    )
    if grain == PeriodGrain.WINDOW and (spec.starts_on is None or spec.ends_on is None):
        raise obj.fail("from", "window_needs_dates")
    if spec.starts_on and spec.ends_on and spec.ends_on < spec.starts_on:
        raise obj.fail("to", "ends_before_start")
    if grain == PeriodGrain.PHASE and not spec.phase:
        raise obj.fail("phase", "phase_needs_name")
    return spec


def _month(reader: Reader) -> int:
    month = reader.integer(minimum=1)
    if month > _MONTHS:
        raise reader.fail("bad_code", allowed="1-12")
    return month


def counts(reader: Reader) -> Counts:
    obj = reader.obj(_COUNT_KEYS)
    sub, pos, presenters = obj.opt("substitute"), obj.opt("position"), obj.opt("presenters")
    level, stages, outcomes, theme = (
        obj.opt("level_min"), obj.opt("stages"), obj.opt("outcomes"), obj.opt("theme")
    )  # fmt: skip
    substitute = None
    if sub is not None:
        sobj = sub.obj({"kinds", "modes", "needs_reason"})
        skinds, smodes, reason = sobj.opt("kinds"), sobj.opt("modes"), sobj.opt("needs_reason")
        substitute = Substitute(
            kinds=kinds(skinds) if skinds is not None else (),
            modes=smodes.codes(ActivityMode) if smodes is not None else (),
            needs_reason=reason.boolean() if reason is not None else True,
        )
    position = None
    if pos is not None:
        pobj = pos.obj({"part", "days"})
        position = Position(pobj.get("part").one_of(POSITIONS), pobj.get("days").integer(minimum=1))
    modes, kinds_found = obj.opt("modes"), obj.opt("kinds")
    source = obj.opt("source")
    found_source = source.one_of(SOURCES) if source is not None else "actions"
    if found_source == "actions" and kinds_found is None:
        raise obj.fail("kinds", "missing")

    def side(key: str) -> str:
        found = obj.opt(key)
        return found.one_of(SIDES) if found is not None else "any"

    owner = obj.opt("owner")
    return Counts(
        source=found_source,
        kinds=kinds(kinds_found) if kinds_found is not None else (),
        modes=modes.codes(ActivityMode) if modes is not None else (),
        substitute=substitute,
        host=side("host"),
        place=side("place"),
        joint=_flag(obj, "joint"),
        min_evidence=_int(obj, "min_evidence"),
        sign_in_sheet=_flag(obj, "sign_in_sheet"),
        all_present=_flag(obj, "all_present"),
        no_late=_flag(obj, "no_late"),
        min_reflection=_int(obj, "min_reflection"),
        reflection_each=_flag(obj, "reflection_each"),
        position=position,
        presenters=predicate(presenters) if presenters is not None else None,
        distinct_presenter_schools=_int(obj, "distinct_presenter_schools"),
        level_min=level.code(ResearchLevel) if level is not None else None,
        stages=tuple(s.one_of(("applied", "approved", "concluded")) for s in stages.items())
        if stages is not None
        else (),
        outcomes=tuple(o.one_of(("awarded", "exchanged", "published")) for o in outcomes.items())
        if outcomes is not None
        else (),
        owner=owner.one_of(OWNERS) if owner is not None else "any",
        theme=theme.text(50) if theme is not None else "",
        member_participant=_flag(obj, "member_participant"),
    )


def rule(reader: Reader) -> Rule:
    obj = reader.obj(_RULE_KEYS)
    src = obj.get("source").obj({"plan", "clause", "quote"})
    quote = src.opt("quote")
    applies, scope, count, score = (
        obj.opt("applies_to"), obj.opt("scope"), obj.opt("counts"), obj.opt("score")
    )  # fmt: skip
    applies_to = AppliesTo()
    if applies is not None:
        aobj = applies.obj({"community_types", "roles", "stages"})
        types, roles, stages = aobj.opt("community_types"), aobj.opt("roles"), aobj.opt("stages")
        applies_to = AppliesTo(
            community_types=types.codes(CommunityType) if types is not None else (),
            roles=roles.codes(CommunityRole) if roles is not None else (),
            stages=stages.codes(SchoolStage) if stages is not None else (),
        )
    points = Score()
    if score is not None:
        sobj = score.obj({"points", "partial"})
        found = sobj.opt("points")
        points = Score(found.number() if found is not None else 0, _flag(sobj, "partial"))
    strictness, assessor = obj.opt("strictness"), obj.opt("assessor")
    return Rule(
        id=obj.get("id").text(ID_LIMIT),
        title=label(obj.get("title")),
        source=Source(
            plan=src.get("plan").text(TITLE_LIMIT),
            clause=src.get("clause").text(TITLE_LIMIT),
            quote=quote.text(TITLE_LIMIT) if quote is not None else "",
        ),
        measure=measure(obj.get("measure")),
        period=period(obj.get("period")),
        strictness=strictness.code(Strictness) if strictness is not None else Strictness.HARD,
        applies_to=applies_to,
        scope=scope.one_of(SCOPES) if scope is not None else "community",
        counts=counts(count) if count is not None else Counts(),
        score=points,
        assessor=assessor.one_of(ASSESSORS) if assessor is not None else "bureau",
        covers=tuple(c.text(ID_LIMIT) for c in obj.get("covers").items())
        if obj.has("covers")
        else (),
    )


def rule_set(value: Mapping[str, object] | object) -> RuleSetVersion:
    """The rule-set version `value` (a dict as JSON decodes it) describes."""
    obj = Reader(value, "").obj(_SET_KEYS)
    in_force = obj.get("in_force").obj({"from", "to"})
    start, end = in_force.get("from").day(), in_force.opt("to")
    ends_on = end.day() if end is not None else None
    if ends_on is not None and ends_on < start:
        raise in_force.fail("to", "ends_before_start")
    rules = tuple(rule(item) for item in obj.get("rules").items())
    seen: set[str] = set()
    for index, found in enumerate(rules):
        if found.id in seen:
            raise Reader(None, f"rules[{index}].id").fail("duplicate_id", id=found.id)
        seen.add(found.id)
    return RuleSetVersion(
        id=obj.get("id").text(ID_LIMIT),
        county=obj.get("county").text(TITLE_LIMIT),
        version=obj.get("version").integer(minimum=1),
        title=label(obj.get("title")),
        plan=obj.get("plan").text(TITLE_LIMIT) if obj.has("plan") else "",
        in_force_from=start,
        in_force_to=ends_on,
        rules=rules,
        bands=_bands(obj),
        weights=_weights(obj),
        funding=tuple(_funding(item) for item in obj.get("funding").items())
        if obj.has("funding")
        else (),
        grace_days=_int(obj, "grace_days", 7),
        at_risk_margin=obj.get("at_risk_margin").fraction() if obj.has("at_risk_margin") else 0.2,
        require_approval=_flag(obj, "require_approval"),
        target_credit=obj.get("target_credit").fraction() if obj.has("target_credit") else 0.5,
        unexpressed=tuple(_unexpressed(item) for item in obj.get("not_expressible").items())
        if obj.has("not_expressible")
        else (),
    )


def _bands(obj: Obj) -> tuple[Band, ...]:
    if not obj.has("bands"):
        return ()
    bands = []
    for item in obj.get("bands").items():
        band = item.obj({"grade", "min_score"})
        bands.append(Band(band.get("grade").code(AssessmentGrade), band.get("min_score").number()))
    if any(a.min_score <= b.min_score for a, b in pairwise(bands)):
        raise obj.fail("bands", "bands_not_descending")
    return tuple(bands)


def _weights(obj: Obj) -> Weights:
    if not obj.has("weights"):
        return Weights()
    found = obj.get("weights").obj({"lead_own", "members"})
    return Weights(found.get("lead_own").fraction(), found.get("members").fraction())


def _funding(reader: Reader) -> Funding:
    obj = reader.obj({"grade", "amount"})
    return Funding(obj.get("grade").code(AssessmentGrade), obj.get("amount").integer())


def _unexpressed(reader: Reader) -> Unexpressed:
    obj = reader.obj({"id", "reason"})
    return Unexpressed(obj.get("id").text(ID_LIMIT), obj.get("reason").text())
