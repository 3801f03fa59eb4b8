"""Research projects (课题): apply, approve, conclude, abandon, read."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.codes import ProjectStage, ResearchLevel
from domain.periods import SchoolYear
from domain.research.project import Project
from infra.paging import decode_cursor, page_of
from projections.research import queries
from service.commands.research.projects import (
    AbandonProject,
    ApplyProject,
    ApproveProject,
    ConcludeProject,
    abandon_project,
    apply_project,
    approve_project,
    conclude_project,
)
from service.context import Caller, reading
from service.http.common import (
    CHANGED,
    CREATED,
    SCHOOL_YEAR_PROBLEMS,
    TAGGED,
    Call,
    Cursor,
    Limit,
    changed,
    command,
    created,
    query,
    read_tagged,
)
from service.services import Shared
from service.views.research.project import (
    ProjectPage,
    ProjectView,
    project_summary,
    project_view,
)

_AFTER = msgspec.json.Decoder(tuple[date, UUID])
SchoolYearCode = Annotated[
    str | None, QueryParameter(description="e.g. 2022-2023: of the application", max_length=20)
]


class ProjectController(Controller):
    path = "/v1/research/projects"
    tags = ["research"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Apply for a research project",
        description="One owner school, or several for a joint project (共同研究课题); a school's"
        " recorder applies for its own school's.",
        response_headers=CREATED,
    )
    async def apply(self, *, call: Call, data: JSONBody[ApplyProject]) -> Response[ProjectView]:
        return await created(call, apply_project, Project, data, project_view, at=self.path)

    @query(
        summary="The county's research projects",
        description="The latest applied for first, paged; folded from the records.",
        problems=SCHOOL_YEAR_PROBLEMS,
    )
    async def list_projects(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school: Annotated[UUID | None, QueryParameter(description="An owner school")] = None,
        community: FromQuery[UUID | None] = None,
        stage: FromQuery[ProjectStage | None] = None,
        level: Annotated[
            ResearchLevel | None, QueryParameter(description="The approved level")
        ] = None,
        school_year: SchoolYearCode = None,
        joint: FromQuery[bool | None] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> ProjectPage:
        year = None if school_year is None else SchoolYear.parse(school_year).code
        async with reading(services, ctx) as conn:
            rows = await queries.projects(
                conn,
                ctx.tenant_id,
                school_id=school,
                community_id=community,
                stage=stage,
                level=level,
                school_year=year,
                is_joint=joint,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.applied_on, row.project_id))
        return ProjectPage(
            items=[project_summary(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query(
        "/{project_id:uuid}",
        summary="A research project as it stands",
        response_headers=TAGGED,
        description="Rebuilt from its events: its stage, levels and dates; its version is the"
        " `ETag` to send as `If-Match`.",
    )
    async def read(
        self, *, services: Shared, ctx: Caller, project_id: FromPath[UUID]
    ) -> Response[ProjectView]:
        return await read_tagged(services, ctx, Project, project_id, project_view)

    @command(
        "/{project_id:uuid}/approve",
        summary="Record a project's approval (立项)",
        status_code=200,
        response_headers=CHANGED,
        description="The approved level (it may differ from the applied one), the day and the"
        " approval number (立项编号).",
    )
    async def approve(
        self, *, call: Call, project_id: FromPath[UUID], data: JSONBody[ApproveProject]
    ) -> Response[ProjectView]:
        return await changed(call, approve_project, Project, project_id, data, project_view)

    @command(
        "/{project_id:uuid}/conclude",
        summary="Record a project's conclusion (结题)",
        status_code=200,
        response_headers=CHANGED,
        description="An approved project is concluded on a day, with a note; it keeps its history.",
    )
    async def conclude(
        self, *, call: Call, project_id: FromPath[UUID], data: JSONBody[ConcludeProject]
    ) -> Response[ProjectView]:
        return await changed(call, conclude_project, Project, project_id, data, project_view)

    @command(
        "/{project_id:uuid}/abandon",
        summary="Abandon a project (撤项), with the reason",
        status_code=200,
        response_headers=CHANGED,
        description="An applied or approved project stops; it stays in the ledger with the reason"
        " and the day.",
    )
    async def abandon(
        self, *, call: Call, project_id: FromPath[UUID], data: JSONBody[AbandonProject]
    ) -> Response[ProjectView]:
        return await changed(call, abandon_project, Project, project_id, data, project_view)
