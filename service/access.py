"""The access policy: one role matrix (route -> roles) and the rules that go with it.

The matrix is checked by a Litestar guard, which runs before the body is read: a role that may
not call a route gets 403 whatever it sent. README.md shows the same table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from domain.codes import ReviewLevel
from infra.tenancy import Role
from service.context import authenticated
from service.errors import NotYourLevelError, NotYourSchoolError
from service.problems import ApiError

if TYPE_CHECKING:
    from uuid import UUID

    from litestar.connection import ASGIConnection
    from litestar.handlers.base import BaseRouteHandler

    from service.context import RequestContext

OPERATOR = frozenset({Role.OPERATOR})
ADMIN = frozenset({Role.ADMIN})
WRITERS = frozenset({Role.ADMIN, Role.RECORDER})  # a recorder only for its own school
READERS = frozenset({Role.ADMIN, Role.RECORDER, Role.SUPERVISOR, Role.AUDITOR})
BUREAU = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.AUDITOR})  # not schools: money
AUDITORS = frozenset({Role.AUDITOR, Role.ADMIN})
INBOX = frozenset({Role.ADMIN, Role.RECORDER})  # a recorder only its own school's
# A recorder reviews at the school level for its host school, at the community level for its
# lead school (review_at); a step is taken by a person, a token issued to a user.
REVIEWERS = frozenset({Role.ADMIN, Role.RECORDER})

# Routes that take no token: the codes, and sign-in by phone, whose authority is the signed
# link in the path (service/http/community/sign_in.py). The matrix names every other route.
PUBLIC: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/v1/catalogue"),
        ("GET", "/v1/sign-in/{link}"),
        ("POST", "/v1/sign-in/{link}"),
        ("GET", "/v1/sign-in/{link}/qr.svg"),
    }
)

# (method, path template) -> the roles that may call it. Every /v1 route but the public
# ones is here, and /metrics; tests/service/test_access.py calls each one with each role.
MATRIX: dict[tuple[str, str], frozenset[Role]] = {
    ("POST", "/v1/tenants"): OPERATOR,
    ("GET", "/v1/tenants"): OPERATOR,
    ("POST", "/v1/tokens"): ADMIN,
    ("GET", "/v1/tokens"): ADMIN,
    ("DELETE", "/v1/tokens/{token_id}"): ADMIN,
    ("POST", "/v1/users"): ADMIN,
    ("GET", "/v1/users"): ADMIN,
    ("GET", "/v1/users/{user_id}"): ADMIN,
    ("POST", "/v1/users/{user_id}/deactivate"): ADMIN,
    ("POST", "/v1/schools"): ADMIN,
    ("POST", "/v1/schools/{school_id}/rename"): ADMIN,
    ("POST", "/v1/schools/{school_id}/close"): ADMIN,
    ("GET", "/v1/schools"): READERS,
    ("GET", "/v1/schools/{school_id}"): READERS,
    ("GET", "/v1/schools/{school_id}/history"): READERS,
    ("POST", "/v1/communities"): ADMIN,
    ("POST", "/v1/communities/{community_id}/members"): ADMIN,
    ("POST", "/v1/communities/{community_id}/members/{school_id}/leave"): ADMIN,
    ("POST", "/v1/communities/{community_id}/dissolve"): ADMIN,
    ("POST", "/v1/communities/{community_id}/agreement"): ADMIN,
    ("POST", "/v1/communities/{community_id}/leading-group"): ADMIN,
    ("POST", "/v1/communities/{community_id}/base-schools"): ADMIN,
    ("POST", "/v1/communities/{community_id}/studios"): ADMIN,
    ("POST", "/v1/communities/{community_id}/phases"): ADMIN,
    ("POST", "/v1/communities/{community_id}/external-schools"): ADMIN,
    ("GET", "/v1/communities"): READERS,
    ("GET", "/v1/communities/{community_id}"): READERS,
    ("GET", "/v1/communities/{community_id}/history"): READERS,
    ("GET", "/v1/communities/{community_id}/roster"): READERS,
    ("POST", "/v1/activities"): WRITERS,
    ("POST", "/v1/activities/{activity_id}/corrections"): WRITERS,
    ("POST", "/v1/activities/{activity_id}/void"): WRITERS,
    ("POST", "/v1/activities/{activity_id}/reflections"): WRITERS,
    ("POST", "/v1/activities/{activity_id}/sign-in-links"): WRITERS,
    ("GET", "/v1/activities"): READERS,
    ("GET", "/v1/activities/{activity_id}"): READERS,
    ("GET", "/v1/activities/{activity_id}/history"): READERS,
    ("POST", "/v1/files"): WRITERS,
    ("GET", "/v1/files/{sha256}"): READERS,
    ("POST", "/v1/teachers"): ADMIN,
    ("GET", "/v1/teachers"): READERS,
    ("GET", "/v1/teachers/{teacher_id}"): READERS,
    ("GET", "/v1/teachers/{teacher_id}/history"): READERS,
    ("POST", "/v1/teachers/{teacher_id}/transfer"): ADMIN,
    ("POST", "/v1/teachers/{teacher_id}/title"): ADMIN,
    ("POST", "/v1/teachers/{teacher_id}/backbone-level"): ADMIN,
    ("POST", "/v1/teachers/{teacher_id}/posts"): ADMIN,
    ("POST", "/v1/teachers/{teacher_id}/personal-data"): ADMIN,
    ("POST", "/v1/teachers/{teacher_id}/leave"): ADMIN,
    ("POST", "/v1/teachers/{teacher_id}/erase"): ADMIN,
    ("POST", "/v1/assignments"): ADMIN,
    ("GET", "/v1/assignments"): READERS,
    ("GET", "/v1/assignments/{assignment_id}"): READERS,
    ("GET", "/v1/assignments/{assignment_id}/history"): READERS,
    ("POST", "/v1/assignments/{assignment_id}/replacement"): ADMIN,
    ("POST", "/v1/assignments/{assignment_id}/end"): ADMIN,
    ("POST", "/v1/mentorships"): ADMIN,
    ("GET", "/v1/mentorships"): READERS,
    ("GET", "/v1/mentorships/{mentorship_id}"): READERS,
    ("GET", "/v1/mentorships/{mentorship_id}/history"): READERS,
    ("POST", "/v1/mentorships/{mentorship_id}/end"): ADMIN,
    ("POST", "/v1/mentorships/{mentorship_id}/lessons"): ADMIN,
    ("GET", "/v1/activities/{activity_id}/review"): READERS,
    ("POST", "/v1/activities/{activity_id}/review/approve"): REVIEWERS,
    ("POST", "/v1/activities/{activity_id}/review/return"): REVIEWERS,
    ("POST", "/v1/activities/{activity_id}/review/resubmit"): WRITERS,
    ("GET", "/v1/review-levels"): READERS,
    ("POST", "/v1/review-levels"): ADMIN,
    ("GET", "/v1/reviews"): READERS,
    ("GET", "/v1/dashboards/activity-counts"): READERS,
    ("GET", "/v1/dashboards/school-months"): READERS,
    ("POST", "/v1/rule-sets"): ADMIN,
    ("POST", "/v1/rule-sets/templates/{name}"): ADMIN,
    ("GET", "/v1/rule-sets"): READERS,
    ("GET", "/v1/rule-sets/{rule_set_id}"): READERS,
    ("GET", "/v1/rule-sets/{rule_set_id}/history"): READERS,
    ("POST", "/v1/rule-sets/{rule_set_id}/validate"): ADMIN,
    ("POST", "/v1/rule-sets/{rule_set_id}/publish"): ADMIN,
    ("POST", "/v1/assessments"): ADMIN,
    ("GET", "/v1/assessments"): BUREAU,
    ("GET", "/v1/assessments/{assessment_id}"): BUREAU,
    ("GET", "/v1/dashboards/county-kpis"): BUREAU,
    ("POST", "/v1/rule-sets/{rule_set_id}/preview"): ADMIN,
    ("GET", "/v1/compliance"): BUREAU,
    ("GET", "/v1/compliance/{community_id}/{rule_id}/{period}"): BUREAU,
    ("GET", "/v1/projections/status"): frozenset({Role.ADMIN, Role.OPERATOR}),
    ("GET", "/v1/inbox"): INBOX,
    ("POST", "/v1/inbox/{notification_id}/read"): INBOX,
    ("GET", "/v1/audit/events"): AUDITORS,
    ("GET", "/v1/audit/verify"): AUDITORS,
    ("GET", "/v1/audit/checkpoints"): AUDITORS,
    # Research and quality: a recorder for its own school's projects, papers and results.
    ("POST", "/v1/research/projects"): WRITERS,
    ("POST", "/v1/research/projects/{project_id}/approve"): WRITERS,
    ("POST", "/v1/research/projects/{project_id}/conclude"): WRITERS,
    ("POST", "/v1/research/projects/{project_id}/abandon"): WRITERS,
    ("GET", "/v1/research/projects"): READERS,
    ("GET", "/v1/research/projects/{project_id}"): READERS,
    ("GET", "/v1/research/projects/{project_id}/history"): READERS,
    ("POST", "/v1/research/papers"): WRITERS,
    ("POST", "/v1/research/papers/{paper_id}/void"): WRITERS,
    ("GET", "/v1/research/papers"): READERS,
    ("GET", "/v1/research/papers/{paper_id}"): READERS,
    ("GET", "/v1/research/papers/{paper_id}/history"): READERS,
    ("POST", "/v1/quality/sittings"): ADMIN,
    ("POST", "/v1/quality/sittings/{sitting_id}/results"): WRITERS,
    ("POST", "/v1/quality/sittings/{sitting_id}/analyses"): WRITERS,
    ("GET", "/v1/quality/sittings"): READERS,
    ("GET", "/v1/quality/sittings/{sitting_id}"): READERS,
    ("GET", "/v1/quality/sittings/{sitting_id}/history"): READERS,
    ("GET", "/v1/quality/results"): READERS,
    # Money is the bureau's: schools' recorders neither record nor read it.
    ("POST", "/v1/money/entries"): ADMIN,
    ("POST", "/v1/money/entries/{entry_id}/reverse"): ADMIN,
    ("GET", "/v1/money/entries"): BUREAU,
    ("GET", "/v1/money/entries/{entry_id}"): BUREAU,
    ("GET", "/v1/money/entries/{entry_id}/history"): BUREAU,
    ("GET", "/v1/money/totals"): BUREAU,
    ("POST", "/v1/commendations"): ADMIN,
    ("POST", "/v1/commendations/{commendation_id}/revoke"): ADMIN,
    ("GET", "/v1/commendations"): READERS,
    ("GET", "/v1/commendations/{commendation_id}"): READERS,
    ("GET", "/v1/commendations/{commendation_id}/history"): READERS,
    ("GET", "/metrics"): OPERATOR,  # or without a token on JGT_METRICS_ADDRESS
}


# The pages (service/web/): path template -> the roles that may see it. Every page reads; money
# stays the bureau's as in the API. Sign-in, sign-out and the own password are every user's.
PAGES: dict[str, frozenset[Role]] = {
    "/app": READERS,
    "/app/sign-out": READERS,
    "/app/password": READERS,
    "/app/communities": READERS,
    "/app/communities/{community_id}": READERS,
    "/app/schools": READERS,
    "/app/schools/{school_id}": READERS,
    "/app/activities": READERS,
    "/app/activities/{activity_id}": READERS,
    # An action's evidence, as GET /v1/files/{sha256}: every reader of the county.
    "/app/activities/{activity_id}/evidence/{sha256}": READERS,
    "/app/activities/{activity_id}/evidence/{sha256}/download": READERS,
    "/app/activities/{activity_id}/evidence/{sha256}/thumbnail": READERS,
    "/app/quality": READERS,
    "/app/compliance": READERS,
    "/app/compliance/{community_id}/{rule_id}/{period}": READERS,
    "/app/rules": READERS,
    "/app/assignments": READERS,
    "/app/users": ADMIN,
    "/app/users/{user_id}/password": ADMIN,
    "/app/users/{user_id}/disable": ADMIN,
    "/app/users/{user_id}/enable": ADMIN,
}


def page_roles(path_template: str) -> frozenset[Role]:
    """The roles that may see a page; none for a page the table does not name."""
    return PAGES.get(path_template, frozenset())


def allowed(method: str, path_template: str) -> frozenset[Role]:
    """The roles that may call a route; none for a route the matrix does not name."""
    return MATRIX.get((method, path_template), frozenset())


async def authorize(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """The guard of every authenticated route: who is asking, and may that role call it."""
    ctx = await authenticated(connection)
    roles = allowed(str(connection.scope.get("method")), connection.scope["path_template"])
    if ctx.role not in roles:
        raise ApiError(
            403,
            "forbidden",
            "角色 {role} 无权执行此操作（需要：{allowed}）。",
            "Role {role} may not do this (needs: {allowed}).",
            role=ctx.role.value,
            allowed=", ".join(sorted(r.value for r in roles)),
        )


class Acting(Protocol):
    """Whoever acts: a request's caller, or a command's `Env`."""

    @property
    def role(self) -> Role: ...
    @property
    def school_id(self) -> UUID | None: ...


def act_for_school(who: Acting, school_id: UUID) -> None:
    """A recorder (a school's account) records and corrects only its own school's actions."""
    if who.role is Role.RECORDER and school_id != who.school_id:
        raise NotYourSchoolError(school_id=who.school_id)


def review_at(
    who: Acting, level: ReviewLevel, *, host_school_id: UUID, lead_school_id: UUID | None
) -> None:
    """Who reviews at which level; an admin at every level.

    校 (school): the host school's recorder; 共同体 (community): the lead school's (牵头学校)
    recorder; 县局 (county): the bureau's admin alone.
    """
    if who.role is Role.ADMIN:
        return
    school = {ReviewLevel.SCHOOL: host_school_id, ReviewLevel.COMMUNITY: lead_school_id}.get(level)
    if who.role is Role.RECORDER and school is not None and who.school_id == school:
        return
    raise NotYourLevelError(level=level.value)


def inbox_of(ctx: RequestContext, school: UUID | None) -> UUID | None:
    """A recorder reads its own school's inbox; an admin any school's, or the whole county's."""
    if ctx.role is not Role.RECORDER:
        return school
    if school is not None and school != ctx.school_id:
        raise not_your_inbox()
    return ctx.school_id


def not_your_inbox() -> ApiError:
    return ApiError(
        403,
        "not_your_school",
        "只能查看本校的通知。",
        "A school's recorder reads only its own school's inbox.",
    )


NOT_YOUR_INBOX = not_your_inbox()  # for the OpenAPI description


def matrix_table() -> str:
    """The role matrix as README.md shows it (a test keeps the two the same)."""
    roles = list(Role)
    lines = [
        "| route | " + " | ".join(role.value for role in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for (method, path), allowed_roles in MATRIX.items():
        marks = " | ".join("✓" if role in allowed_roles else "" for role in roles)
        lines.append(f"| `{method} {path}` | {marks} |")
    return "\n".join(lines) + "\n"
