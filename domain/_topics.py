"""Old topics of renamed or moved event classes, so that stored events still resolve."""

from eventsourcing.utils import register_topic

from domain.community.activity import Activity
from domain.community.community import Community
from domain.community.school import School

# A stored event names its class by topic ("domain.community.school:School.Renamed"). When an
# event class is renamed or moved, add ("old.module:Aggregate.OldName", NewClass) here, with a
# test that the old topic resolves to NewClass; never remove an entry while stored events carry
# the old topic. An aggregate's entry covers its nested events ("domain.school:School.Renamed").
RENAMED: tuple[tuple[str, type], ...] = (
    # Moved into the community context (issue 7).
    ("domain.school:School", School),
    ("domain.community:Community", Community),
    ("domain.activity:Activity", Activity),
)


def register_renamed_topics() -> None:
    for old_topic, new_class in RENAMED:
        register_topic(old_topic, new_class)
