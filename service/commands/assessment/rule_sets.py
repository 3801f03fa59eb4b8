"""Commands on rule sets (考核细则): draft one from JSON, or load a seed plan's template."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import template_source
from service.command import Decision
from service.errors import RuleSetExistsError

if TYPE_CHECKING:
    from service.command import Env

Version = Annotated[int, msgspec.Meta(ge=1, le=9999, description="The version number to draft")]


class DraftRuleSet(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A rule-set version in the JSON form of docs/rules.md; a bad rule is a 422 naming its path."""

    rule_set: dict[str, Any]


class LoadTemplate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: Version
    publish: bool = False  # validate and publish it at once, for its period (or the one given)
    in_force_from: date | None = None
    in_force_to: date | None = None


class LoadTemplateCommand(msgspec.Struct, frozen=True, kw_only=True):
    """The route's body with the template's name from the path."""

    name: str
    version: int
    publish: bool
    in_force_from: date | None
    in_force_to: date | None


def decided(rules: RuleSet) -> Decision[RuleSet]:
    # The id and version name the stream: a conflict means that version exists already.
    return Decision(rules, if_exists=RuleSetExistsError(rule_set=rules.label))


async def draft_rule_set(env: Env, cmd: DraftRuleSet) -> Decision[RuleSet]:
    rules = RuleSet.draft(namespace=env.tenant_id, source=cmd.rule_set, template="", by=env.by)
    return decided(rules)


async def load_template(env: Env, cmd: LoadTemplateCommand) -> Decision[RuleSet]:
    source = template_source(cmd.name)
    assert isinstance(source, dict)  # noqa: S101 (a template is an object)
    source["version"] = cmd.version
    rules = RuleSet.draft(namespace=env.tenant_id, source=source, template=cmd.name, by=env.by)
    if cmd.publish:
        rules.validate(by=env.by)
        parsed = rules.rules
        rules.publish(
            cmd.in_force_from or parsed.in_force_from,
            cmd.in_force_to or parsed.in_force_to,
            by=env.by,
        )
    return decided(rules)


class Validate(msgspec.Struct, frozen=True, kw_only=True):
    """What the validate route, which takes no body, hands the command ceremony."""


class PublishRuleSet(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    in_force_from: date
    in_force_to: date | None = None


async def validate_rule_set(env: Env, rules: RuleSet, cmd: Validate) -> Decision[RuleSet]:  # noqa: ARG001 (no body)
    rules.validate(by=env.by)
    return Decision(rules)


async def publish_rule_set(env: Env, rules: RuleSet, cmd: PublishRuleSet) -> Decision[RuleSet]:
    rules.publish(cmd.in_force_from, cmd.in_force_to, by=env.by)
    return Decision(rules)
