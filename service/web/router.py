"""The pages under /app: one Router with its own guard (a session) and form check (CSRF)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, Router
from litestar.response import Redirect
from litestar.static_files import create_static_files_router

from service.http.common import DEPENDENCIES
from service.web import (
    evidence,
    logins,
    pages_compliance,
    pages_county,
    pages_records,
    pages_staff,
    pages_users,
)
from service.web.render import STATIC
from service.web.session import SignInRequiredError, check_form, signed_in

if TYPE_CHECKING:
    from litestar.types import ExceptionHandlersMap


def _to_sign_in(_: Request[Any, Any, Any], error: SignInRequiredError) -> Response[Any]:
    return Redirect(error.target, status_code=303)


HANDLERS: ExceptionHandlersMap = {SignInRequiredError: _to_sign_in}


def web_router() -> Router:
    return Router(
        path="/",
        route_handlers=[
            logins.sign_in_form,
            logins.sign_in,
            logins.sign_out,
            logins.password_form,
            logins.password,
            pages_county.overview,
            pages_county.communities,
            pages_county.community,
            pages_county.schools,
            pages_county.school,
            pages_records.activities,
            pages_records.activity,
            *evidence.ROUTES,
            pages_records.quality_page,
            pages_compliance.compliance,
            pages_compliance.compliance_result,
            pages_compliance.rules,
            pages_staff.assignments,
            pages_users.users,
            pages_users.set_password,
            pages_users.add_user,
            pages_users.disable,
            pages_users.enable,
            create_static_files_router(
                path="/app/static", directories=[STATIC], include_in_schema=False
            ),
        ],
        guards=[signed_in],
        before_request=check_form,  # in place of the API's JSON gate: forms, with CSRF
        dependencies=DEPENDENCIES,
        exception_handlers=HANDLERS,
        include_in_schema=False,
    )
