"""Old topics of renamed or moved event classes."""

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic, resolve_topic

from domain import _topics
from domain.community.activity import Activity
from domain.community.community import Community
from domain.community.school import School
from infra.codec import EventMapper
from tests.domain.test_events import COMMUNITY_EVENTS
from tests.golden.samples import FOLDER, load

# Where the community context's events lived before it had a package of its own.
BEFORE_CONTEXTS = {
    "domain.school:School.Registered": School.Registered,
    "domain.school:School.Renamed": School.Renamed,
    "domain.school:School.Closed": School.Closed,
    "domain.community:Community.Formed": Community.Formed,
    "domain.community:Community.MemberSchoolJoined": Community.MemberSchoolJoined,
    "domain.community:Community.MemberSchoolLeft": Community.MemberSchoolLeft,
    "domain.community:Community.Dissolved": Community.Dissolved,
    "domain.activity:Activity.Recorded": Activity.Recorded,
    "domain.activity:Activity.Corrected": Activity.Corrected,
    "domain.activity:Activity.Voided": Activity.Voided,
}
# Events added after the move: no stored event carries an older topic of theirs.
SINCE_CONTEXTS = {
    Activity.SignInLinkIssued,
    Activity.SignedIn,
    Activity.ReflectionSubmitted,
    Community.AgreementSigned,
    Community.LeadingGroupAppointed,
    Community.BaseSchoolsDesignated,
    Community.StudioOpened,
    Community.PhasesPlanned,
    Community.ExternalSchoolPaired,
}


def test_registering_renamed_topics_twice_is_harmless() -> None:
    _topics.register_renamed_topics()
    _topics.register_renamed_topics()  # the codec may call it more than once
    for old_topic, cls in BEFORE_CONTEXTS.items():
        assert resolve_topic(old_topic) is cls, old_topic


def test_a_renamed_topic_resolves_to_the_new_class(monkeypatch: pytest.MonkeyPatch) -> None:
    old_topic = "domain.community.school:School.Shut"  # made up; no stored event carries it
    monkeypatch.setattr(_topics, "RENAMED", ((old_topic, School.Closed),))
    _topics.register_renamed_topics()
    assert resolve_topic(old_topic) is School.Closed
    assert get_topic(School.Closed) == "domain.community.school:School.Closed"


def test_every_event_of_the_community_context_resolves_from_its_topic_before_the_move() -> None:
    EventMapper()  # registers the old topics, as the store does
    assert set(BEFORE_CONTEXTS.values()) == set(COMMUNITY_EVENTS) - SINCE_CONTEXTS
    for old_topic, cls in BEFORE_CONTEXTS.items():
        assert resolve_topic(old_topic) is cls, old_topic
        assert get_topic(cls) != old_topic
    for old_topic, aggregate in _topics.RENAMED:
        assert issubclass(aggregate, Aggregate)
        assert resolve_topic(old_topic) is aggregate


def test_the_samples_stored_before_the_move_are_kept() -> None:
    topics = {load(path).topic for path in FOLDER.glob("*.json")}
    assert set(BEFORE_CONTEXTS) <= topics
