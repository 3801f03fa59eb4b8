"""The RuleSet aggregate: one version of a county's 考核细则, drafted, validated, published.

A published version never changes: changing the rules means publishing a new version. The
version's JSON form is kept as written (canonical JSON text) and parsed whenever it is read.
"""

import json
from dataclasses import replace
from datetime import date
from typing import Self
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.assessment.codes import RuleSetState
from domain.assessment.errors import (
    RuleSetNotPublishedError,
    RuleSetNotValidatedError,
    RuleSetPublishedError,
)
from domain.assessment.parse import rule_set
from domain.assessment.reader import Reader
from domain.assessment.rules import RuleSetVersion
from domain.periods import check_in_range

SOURCE_LIMIT = 200_000  # characters of a version's JSON form


def canonical(source: object) -> str:
    """The JSON text a version is kept as; refused (naming no field) when far too long."""
    text = json.dumps(source, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if len(text) > SOURCE_LIMIT:
        raise Reader(None, "").fail("too_long", limit=SOURCE_LIMIT)
    return text


class RuleSet(Aggregate):
    class Drafted(Aggregate.Created):
        rule_set_id: str
        version: int
        source: str
        template: str  # the template it was loaded from, or empty
        drafted_by: UUID

    class Revised(Aggregate.Event):
        source: str
        revised_by: UUID

    class Validated(Aggregate.Event):
        validated_by: UUID

    class Published(Aggregate.Event):
        in_force_from: date
        in_force_to: date | None
        published_by: UUID

    @staticmethod
    def id_for(namespace: UUID, rule_set_id: str, version: int) -> UUID:
        """One stream per rule-set id and version in a county: drafting one twice conflicts."""
        return uuid5(namespace, f"rule-set:{rule_set_id}@{version}")

    @classmethod
    def draft(cls, *, namespace: UUID, source: object, template: str, by: UUID) -> Self:
        parsed = rule_set(source)  # a bad rule is refused here, naming its path
        return cls(
            id=cls.id_for(namespace, parsed.id, parsed.version),
            rule_set_id=parsed.id,
            version=parsed.version,
            source=canonical(source),
            template=template,
            drafted_by=by,
        )

    @event(Drafted)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        rule_set_id: str,
        version: int,
        source: str,
        template: str,
        drafted_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.rule_set_id = rule_set_id
        self.number = version
        self.source = source
        self.template = template
        self.state = RuleSetState.DRAFT
        self.in_force_from: date | None = None
        self.in_force_to: date | None = None

    @property
    def rules(self) -> RuleSetVersion:
        """The version as the rule language reads it; once published, with its period."""
        parsed = rule_set(json.loads(self.source))
        if self.in_force_from is None:
            return parsed
        return replace(parsed, in_force_from=self.in_force_from, in_force_to=self.in_force_to)

    def published_rules(self) -> RuleSetVersion:
        """The version's rules, refused while it is a draft: only a published version assesses."""
        if self.state != RuleSetState.PUBLISHED:
            raise RuleSetNotPublishedError(rule_set=self.label)
        return self.rules

    @property
    def label(self) -> str:
        return f"{self.rule_set_id}@{self.number}"

    def revise(self, source: object, by: UUID) -> None:
        self._check_unpublished()
        parsed = rule_set(source)
        if (parsed.id, parsed.version) != (self.rule_set_id, self.number):
            raise Reader(None, "id").fail("bad_code", allowed=self.label)
        self._revised(source=canonical(source), revised_by=by)

    def validate(self, by: UUID) -> None:
        self._check_unpublished()
        self.rules  # noqa: B018 (parsing again is the check; a stored draft always parses)
        self._validated(validated_by=by)

    def publish(self, in_force_from: date, in_force_to: date | None, by: UUID) -> None:
        self._check_unpublished()
        if self.state != RuleSetState.VALIDATED:
            raise RuleSetNotValidatedError(rule_set=self.label)
        check_in_range("in_force_from", in_force_from)
        check_in_range("in_force_to", in_force_to)
        if in_force_to is not None and in_force_to < in_force_from:
            raise Reader(None, "in_force.to").fail("ends_before_start")
        self._published(in_force_from=in_force_from, in_force_to=in_force_to, published_by=by)

    def _check_unpublished(self) -> None:
        if self.state == RuleSetState.PUBLISHED:
            raise RuleSetPublishedError(rule_set=self.label)

    @event(Revised)
    def _revised(self, *, source: str, revised_by: UUID) -> None:  # noqa: ARG002 (in the event)
        self.source = source
        self.state = RuleSetState.DRAFT

    @event(Validated)
    def _validated(self, *, validated_by: UUID) -> None:  # noqa: ARG002 (in the event)
        self.state = RuleSetState.VALIDATED

    @event(Published)
    def _published(
        self,
        *,
        in_force_from: date,
        in_force_to: date | None,
        published_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.in_force_from, self.in_force_to = in_force_from, in_force_to
        self.state = RuleSetState.PUBLISHED
