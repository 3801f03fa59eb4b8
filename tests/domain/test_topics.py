"""Old topics of renamed event classes."""

import pytest
from eventsourcing.utils import get_topic, resolve_topic

from domain import _topics
from domain.school import School


def test_registering_renamed_topics_without_entries_does_nothing() -> None:
    assert _topics.RENAMED == ()
    _topics.register_renamed_topics()
    _topics.register_renamed_topics()  # the codec may call it more than once


def test_a_renamed_topic_resolves_to_the_new_class(monkeypatch: pytest.MonkeyPatch) -> None:
    old_topic = "domain.school:School.Shut"  # a made-up old name; no stored event carries it
    monkeypatch.setattr(_topics, "RENAMED", ((old_topic, School.Closed),))
    _topics.register_renamed_topics()
    assert resolve_topic(old_topic) is School.Closed
    assert get_topic(School.Closed) == "domain.school:School.Closed"
