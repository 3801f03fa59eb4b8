"""Each record's history: its events, oldest first, with the person who acted and why.

One route per kind beside the record's own GET (an action's is in its controller); the reads
are service/http/history.py's, the person looked up as service/views/people.py says.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller
from litestar.params import FromPath

from domain.assessment.rule_set import RuleSet
from domain.commendation.commendation import Commendation
from domain.community.community import Community
from domain.community.school import School
from domain.money.entry import Entry
from domain.quality.sitting import Sitting
from domain.research.paper import Paper
from domain.research.project import Project
from domain.staff.assignment import Assignment
from domain.staff.mentorship import Mentorship
from domain.staff.teacher import Teacher
from service.context import Caller
from service.http.common import query
from service.http.history import read_history
from service.services import Shared
from service.views.people import History

_ABOUT = (
    "Each event of the record, oldest first, with the person who acted (id, name, role) and"
    " the reason given. An event of before people acted names a token: the person is the user"
    " it was issued to, where known (`through_token`)."
)


class HistoryController(Controller):
    path = "/v1"

    @query(
        "/schools/{school_id:uuid}/history",
        summary="Who changed a school, and when",
        description=_ABOUT,
        tags=["schools"],
    )
    async def schools(self, *, services: Shared, ctx: Caller, school_id: FromPath[UUID]) -> History:
        return await read_history(services, ctx, School, school_id)

    @query(
        "/communities/{community_id:uuid}/history",
        summary="Who changed a community, and when",
        description=_ABOUT,
        tags=["communities"],
    )
    async def communities(
        self, *, services: Shared, ctx: Caller, community_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, Community, community_id)

    @query(
        "/teachers/{teacher_id:uuid}/history",
        summary="Who changed a teacher's record, and when",
        description=_ABOUT,
        tags=["teachers"],
    )
    async def teachers(
        self, *, services: Shared, ctx: Caller, teacher_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, Teacher, teacher_id)

    @query(
        "/assignments/{assignment_id:uuid}/history",
        summary="Who changed an assignment, and when",
        description=_ABOUT,
        tags=["assignments"],
    )
    async def assignments(
        self, *, services: Shared, ctx: Caller, assignment_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, Assignment, assignment_id)

    @query(
        "/mentorships/{mentorship_id:uuid}/history",
        summary="Who changed a mentor pair, and when",
        description=_ABOUT,
        tags=["mentorships"],
    )
    async def mentorships(
        self, *, services: Shared, ctx: Caller, mentorship_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, Mentorship, mentorship_id)

    @query(
        "/research/projects/{project_id:uuid}/history",
        summary="Who changed a research project, and when",
        description=_ABOUT,
        tags=["research"],
    )
    async def research_projects(
        self, *, services: Shared, ctx: Caller, project_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, Project, project_id)

    @query(
        "/research/papers/{paper_id:uuid}/history",
        summary="Who changed a paper, and when",
        description=_ABOUT,
        tags=["research"],
    )
    async def research_papers(
        self, *, services: Shared, ctx: Caller, paper_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, Paper, paper_id)

    @query(
        "/quality/sittings/{sitting_id:uuid}/history",
        summary="Who changed a quality test sitting, and when",
        description=_ABOUT,
        tags=["quality"],
    )
    async def quality_sittings(
        self, *, services: Shared, ctx: Caller, sitting_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, Sitting, sitting_id)

    @query(
        "/money/entries/{entry_id:uuid}/history",
        summary="Who changed a money entry, and when",
        description=_ABOUT,
        tags=["money"],
    )
    async def money_entries(
        self, *, services: Shared, ctx: Caller, entry_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, Entry, entry_id)

    @query(
        "/commendations/{commendation_id:uuid}/history",
        summary="Who changed a commendation, and when",
        description=_ABOUT,
        tags=["commendations"],
    )
    async def commendations(
        self, *, services: Shared, ctx: Caller, commendation_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, Commendation, commendation_id)

    @query(
        "/rule-sets/{rule_set_id:uuid}/history",
        summary="Who changed a rule set, and when",
        description=_ABOUT,
        tags=["rule sets"],
    )
    async def rule_sets(
        self, *, services: Shared, ctx: Caller, rule_set_id: FromPath[UUID]
    ) -> History:
        return await read_history(services, ctx, RuleSet, rule_set_id)
