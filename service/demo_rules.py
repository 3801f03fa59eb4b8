"""The demo county's rule set: the 融安县 template, published for its community's period."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.command import create
from service.commands.assessment.rule_sets import LoadTemplateCommand, load_template

if TYPE_CHECKING:
    from datetime import date

    from service.command import Env


async def publish_rules(writer: Env, starts_on: date, ends_on: date) -> None:
    """So that `GET /v1/compliance` and `jgt compliance` judge the demo's records."""
    rules = LoadTemplateCommand(
        name="rongan-2022", version=1, publish=True, in_force_from=starts_on, in_force_to=ends_on
    )
    await create(writer, load_template, rules)
