"""The Litestar application: routes, problem answers, OpenAPI, and the lifespan of shared state."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from litestar import Litestar, Router
from litestar.datastructures import State  # noqa: TC002 - Litestar reads it at runtime
from litestar.di import Provide

from service.access import authorize
from service.background import run_background
from service.body import check_request_body
from service.cached_reads import cached_reads
from service.http.access import TenantController, TokenController
from service.http.assessment.assessments import AssessmentController
from service.http.assessment.compliance import ComplianceController, PreviewController
from service.http.assessment.kpis import CountyKpiController
from service.http.assessment.rule_sets import RuleSetController
from service.http.audit import AuditController
from service.http.catalogue import catalogue
from service.http.commendation.commendations import CommendationController
from service.http.common import DEPENDENCIES
from service.http.community.activities import ActivityController
from service.http.community.communities import CommunityController
from service.http.community.files import FileController
from service.http.community.schools import SchoolController
from service.http.community.sign_in import SignInController
from service.http.dashboards import DashboardController
from service.http.health import healthz
from service.http.histories import HistoryController
from service.http.inbox import InboxController
from service.http.money.entries import EntryController, MoneyTotalsController
from service.http.projections import ReadModelController
from service.http.quality.sittings import QualityResultController, SittingController
from service.http.research.papers import PaperController
from service.http.research.projects import ProjectController
from service.http.review.review import (
    ActivityReviewController,
    ReviewLevelsController,
    ReviewQueueController,
)
from service.http.staff.assignments import AssignmentController
from service.http.staff.mentorships import MentorshipController
from service.http.staff.teachers import TeacherController
from service.http.users import UserController
from service.metrics import metrics, metrics_listener
from service.negotiation import send_content_language
from service.observe import observe
from service.problems import EXCEPTION_HANDLERS
from service.read_cache import listening
from service.reference.openapi import StrictStructs, openapi_config
from service.reference.pages import front_page, reference_asset
from service.request_id import send_request_id
from service.services import Services, open_services
from service.web.render import TEMPLATE_CONFIG
from service.web.router import web_router

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from service.runtime import Urls
    from service.settings import Settings

DESCRIPTION = """教共体台账 (jiaogongti): the ledger of county education communities.

Every community action is an immutable event; lists and dashboards are read models built from
them. "Authorize" with a county's token (`jgt token create`, `POST /v1/tokens`): it is sent as
`Authorization: Bearer <token>`. Labels and messages are in Chinese unless `Accept-Language`
prefers English. Errors are RFC 9457 problem details with a stable `code`; every answer carries
`X-Request-ID`.
"""


# What a multipart body carries beyond its file: boundaries and part headers.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


def get_services(state: State) -> Services:
    services: Services = state.services
    return services


def create_app(settings: Settings, urls: Urls, *, background: bool = True) -> Litestar:
    """The HTTP API over the servers at `urls`.

    Pools and connections live in its lifespan, and with `background` so does the background
    work (projection runner, outbox dispatcher, job worker), as `jgt serve` runs it.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with open_services(settings, urls) as services, listening(services):
            app.state.services = services
            async with contextlib.AsyncExitStack() as stack:
                if settings.metrics and settings.metrics_address:
                    await stack.enter_async_context(
                        metrics_listener(services, settings.metrics_address)
                    )
                if background:
                    await stack.enter_async_context(run_background(services))
                yield

    app = Litestar(
        route_handlers=[
            front_page,
            reference_asset,
            healthz,
            catalogue,  # public: the codes, no county's data
            SignInController,  # public: the signed link in the path is the authority
            Router(  # uploads: the one larger body (multipart, checked by the route)
                path="/",
                route_handlers=[FileController],
                guards=[authorize],
                dependencies=DEPENDENCIES,
                request_max_body_size=settings.max_file_bytes + UPLOAD_OVERHEAD_BYTES,
            ),
            Router(
                path="/",
                route_handlers=[
                    TenantController,
                    TokenController,
                    UserController,
                    SchoolController,
                    CommunityController,
                    ActivityController,
                    TeacherController,
                    AssignmentController,
                    MentorshipController,
                    HistoryController,
                    ActivityReviewController,
                    ReviewLevelsController,
                    ReviewQueueController,
                    AuditController,
                    DashboardController,
                    InboxController,
                    ReadModelController,
                    ProjectController,
                    PaperController,
                    SittingController,
                    QualityResultController,
                    EntryController,
                    MoneyTotalsController,
                    CommendationController,
                    ComplianceController,
                    PreviewController,
                    RuleSetController,
                    AssessmentController,
                    CountyKpiController,
                    *([metrics] if settings.metrics else []),  # for the operator's token
                ],
                guards=[authorize],  # before the body is read: see service/access.py
                dependencies=DEPENDENCIES,
            ),
            web_router(),  # the pages: a session cookie, not a bearer token
        ],
        template_config=TEMPLATE_CONFIG,
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=check_request_body,  # every write's body, before any route decodes it
        # X-Request-ID on every answer; Content-Language and Vary on those in a language
        before_send=[send_request_id, send_content_language],
        lifespan=[lifespan],
        dependencies={"services": Provide(get_services, sync_to_thread=False)},
        openapi_config=openapi_config(DESCRIPTION),
        plugins=[StrictStructs()],
        request_max_body_size=settings.max_body_bytes,
        logging_config=None,  # every logger goes to the root's handler (service/logs.py)
    )
    cached_reads(app)  # inside the metrics and access log, which count its answers too
    observe(app, metrics=settings.metrics, access_log=settings.access_log)
    return app
