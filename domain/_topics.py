"""Old topics of renamed or moved event classes, so that stored events still resolve."""

from eventsourcing.utils import register_topic

# A stored event names its class by topic ("domain.school:School.Renamed"). When an event class
# is renamed or moved, add ("old.module:Aggregate.OldName", NewClass) here, with a test that the
# old topic resolves to NewClass; never remove an entry while stored events carry the old topic.
RENAMED: tuple[tuple[str, type], ...] = ()


def register_renamed_topics() -> None:
    for old_topic, new_class in RENAMED:
        register_topic(old_topic, new_class)
