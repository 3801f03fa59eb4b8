"""Reading a rule's `measure` and the predicates in it from their JSON form."""

from domain.assessment.codes import CommunityRole, PeriodGrain
from domain.assessment.measures import (
    Count,
    Coverage,
    Eligibility,
    FollowUp,
    Measure,
    Money,
    PerPerson,
    Ratio,
    RoleQuota,
    Roster,
    Rotation,
    Staffing,
    Symmetry,
    Threshold,
    Trend,
)
from domain.assessment.predicates import Predicate, Test
from domain.assessment.reader import Obj, Reader
from domain.codes import (
    ActivityKind,
    AssignmentKind,
    AssignmentRole,
    BackboneLevel,
    CommunityType,
    Post,
    SchoolStage,
    Subject,
    TeacherTitle,
)

MEASURE_TYPES = (
    "count",
    "per_person",
    "coverage",
    "ratio",
    "trend",
    "eligibility",
    "staffing",
    "symmetry",
    "rotation",
    "money",
    "follow_up",
)
KINDS = tuple(k.value for k in ActivityKind)
_THRESHOLD = {"min", "max", "exactly", "min_by_stage"}
_TESTS = {
    "age_max",
    "age_min",
    "title_min",
    "backbone_min",
    "rotated_before",
    "general_teacher_term_served",
    "posts_any",
    "subject_lead",
    "studio_host",
}


def kinds(reader: Reader) -> tuple[str, ...]:
    return tuple(item.one_of(KINDS) for item in reader.items())


def threshold(obj: Obj) -> Threshold:
    exactly = obj.opt("exactly")
    low, high, stages = obj.opt("min"), obj.opt("max"), obj.opt("min_by_stage")
    if exactly is not None:
        if low is not None or high is not None:
            raise exactly.fail("exact_with_bounds")
        n = exactly.integer()
        return Threshold(min=n, max=n)
    if low is None and high is None and stages is None:
        raise obj.fail("min", "no_threshold")
    minimum = low.integer() if low is not None else 0
    maximum = high.integer() if high is not None else None
    if maximum is not None and minimum > maximum:
        raise obj.fail("min", "min_above_max")
    by_stage: tuple[tuple[SchoolStage, int], ...] = ()
    if stages is not None:
        table = stages.obj({s.value for s in SchoolStage})
        by_stage = tuple(
            (SchoolStage(key), table.get(key).integer()) for key in sorted(table.value)
        )
    return Threshold(min=minimum, max=maximum, by_stage=by_stage)


def predicate(reader: Reader) -> Predicate:
    obj = reader.obj({"all", "any", "not", *_TESTS})
    for op in ("all", "any"):
        parts = obj.opt(op)
        if parts is not None:
            return Predicate(op, tuple(predicate(p) for p in parts.items()))
    negated = obj.opt("not")
    if negated is not None:
        return Predicate("not", (predicate(negated),))

    def flag(key: str) -> bool | None:
        found = obj.opt(key)
        return found.boolean() if found is not None else None

    def number(key: str) -> int | None:
        found = obj.opt(key)
        return found.integer() if found is not None else None

    title, backbone, posts = obj.opt("title_min"), obj.opt("backbone_min"), obj.opt("posts_any")
    test = Test(
        age_max=number("age_max"),
        age_min=number("age_min"),
        title_min=title.code(TeacherTitle) if title is not None else None,
        backbone_min=backbone.code(BackboneLevel) if backbone is not None else None,
        rotated_before=flag("rotated_before"),
        general_teacher_term_served=flag("general_teacher_term_served"),
        posts_any=posts.codes(Post) if posts is not None else (),
        subject_lead=flag("subject_lead"),
        studio_host=flag("studio_host"),
    )
    if test == Test():
        raise reader.fail("missing")
    return Predicate("test", test=test)


def roster(reader: Reader) -> Roster:
    obj = reader.obj({"school_role", "assignment_kind", "predicate"})
    role, kind, pred = obj.opt("school_role"), obj.opt("assignment_kind"), obj.opt("predicate")
    if role is None and kind is None:
        raise obj.fail("school_role", "missing")
    return Roster(
        school_role=role.code(CommunityRole) if role is not None else None,
        assignment_kind=kind.code(AssignmentKind) if kind is not None else None,
        predicate=predicate(pred) if pred is not None else None,
    )


def _staffing(obj: Obj) -> Staffing:
    quotas = []
    for item in obj.get("roles").items():
        role = item.obj({"role", "min", "max", "exactly", "posts"})
        limits = threshold(
            Obj({k: v for k, v in role.value.items() if k not in {"role", "posts"}}, role.path)
        )
        posts = role.opt("posts")
        quotas.append(
            RoleQuota(
                role=role.get("role").code(AssignmentRole),
                min=limits.min,
                max=limits.max,
                posts=posts.codes(Post) if posts is not None else (),
            )
        )
    term, replace = obj.opt("term_days"), obj.opt("replace_after_days")
    return Staffing(
        assignment_kind=obj.get("assignment_kind").code(AssignmentKind),
        direction=obj.get("direction").one_of(("lead_to_member", "member_to_lead")),
        roles=tuple(quotas),
        term_days=term.integer() if term is not None else 0,
        replace_after_days=replace.integer() if replace is not None else 0,
    )


def _ratio(obj: Obj) -> Ratio:
    def flag(key: str) -> bool | None:
        found = obj.opt(key)
        return found.boolean() if found is not None else None

    stages, types, flag_name = obj.opt("stages"), obj.opt("types"), obj.opt("flag")
    in_community = obj.opt("in_community")
    return Ratio(
        population=obj.get("population").one_of(("schools", "communities")),
        min_share=obj.get("min_share").fraction(),
        public=flag("public"),
        compulsory=flag("compulsory"),
        stages=stages.codes(SchoolStage) if stages is not None else (),
        in_community=in_community.boolean() if in_community is not None else False,
        flag=flag_name.text(50) if flag_name is not None else "",
        types=types.codes(CommunityType) if types is not None else (),
    )


def measure(reader: Reader) -> Measure:  # noqa: C901, PLR0911 (one branch a type)
    kind = reader.obj({"type"} | _ALL_KEYS).get("type").one_of(MEASURE_TYPES)
    obj = reader.obj({"type", *_KEYS[kind]})
    if kind == "count":
        return Count(threshold(obj))
    if kind == "per_person":
        role = obj.opt("as")
        return PerPerson(
            roster=roster(obj.get("roster")),
            threshold=threshold(obj),
            role=role.one_of(("presenter", "participant", "reflection")) if role else "presenter",
        )
    if kind == "coverage":
        of = obj.get("of").one_of(("subjects", "teachers"))
        subjects, people = obj.opt("subjects"), obj.opt("roster")
        if of == "teachers" and people is None:
            raise obj.fail("roster", "missing")
        return Coverage(
            of=of,
            subjects=subjects.codes(Subject) if subjects is not None else (),
            roster=roster(people) if people is not None else None,
        )
    if kind == "ratio":
        return _ratio(obj)
    if kind == "trend":
        rise = obj.opt("min_rise")
        return Trend(
            measures=tuple(
                m.one_of(("pass_rate", "good_rate", "mean")) for m in obj.get("measures").items()
            ),
            min_rise=rise.number() if rise is not None else 0.0,
        )
    if kind == "eligibility":
        akind, at_host, way = obj.opt("assignment_kind"), obj.opt("at_host"), obj.opt("direction")
        return Eligibility(
            direction=way.one_of(("lead_to_member", "member_to_lead")) if way is not None else "",
            of=obj.get("of").one_of(("assignments", "mentors")),
            person=predicate(obj.get("person")),
            assignment_kind=akind.code(AssignmentKind) if akind is not None else None,
            at_host=at_host.boolean() if at_host is not None else False,
        )
    if kind == "staffing":
        return _staffing(obj)
    if kind == "symmetry":
        by, low, high, akind = (
            obj.opt("by"),
            obj.opt("min_each"),
            obj.opt("max_each"),
            obj.opt("assignment_kind"),
        )
        return Symmetry(
            source=obj.get("source").one_of(("actions", "assignments")),
            by=by.one_of(("count", "subject")) if by is not None else "count",
            min_each=low.integer() if low is not None else 1,
            max_each=high.integer() if high is not None else None,
            assignment_kind=akind.code(AssignmentKind) if akind is not None else None,
        )
    if kind == "rotation":
        return Rotation(
            every=obj.get("every").code(PeriodGrain),
            order=tuple(s.one_of(("lead", "member")) for s in obj.get("order").items()),
        )
    if kind == "money":
        cap, akind, direction = (
            obj.opt("months_cap"),
            obj.opt("assignment_kind"),
            obj.opt("direction"),
        )
        return Money(
            purpose=obj.get("purpose").text(50),
            amount=obj.get("amount").integer(),
            per=obj.get("per").one_of(("person_month", "lead_school")),
            months_cap=cap.integer() if cap is not None else 0,
            assignment_kind=akind.code(AssignmentKind) if akind is not None else None,
            direction=direction.one_of(("lead_to_member", "member_to_lead"))
            if direction
            else "lead_to_member",
        )
    return FollowUp(kinds=kinds(obj.get("kinds")), within_days=obj.get("within_days").integer())


_KEYS: dict[str, set[str]] = {
    "count": _THRESHOLD,
    "per_person": {"roster", "as", *_THRESHOLD},
    "coverage": {"of", "subjects", "roster"},
    "ratio": {
        "population",
        "min_share",
        "public",
        "compulsory",
        "stages",
        "in_community",
        "flag",
        "types",
    },
    "trend": {"measures", "min_rise"},
    "eligibility": {"of", "person", "assignment_kind", "at_host", "direction"},
    "staffing": {"assignment_kind", "direction", "roles", "term_days", "replace_after_days"},
    "symmetry": {"source", "by", "min_each", "max_each", "assignment_kind"},
    "rotation": {"every", "order"},
    "money": {"purpose", "amount", "per", "months_cap", "assignment_kind", "direction"},
    "follow_up": {"kinds", "within_days"},
}
_ALL_KEYS = set().union(*_KEYS.values())
