"""Writes a golden sample for each event class version that has none yet.

    python -m tests.golden.record

Never rewrite an existing sample: it stands for events already stored.
"""

from infra.codec import EventMapper
from tests.domain.test_events import every_kind_of_event
from tests.golden.samples import file_for, sample_of, save


def main() -> None:
    mapper = EventMapper()
    for event in every_kind_of_event():
        sample = sample_of(event, mapper)
        if not file_for(sample.topic, sample.class_version).exists():
            print(f"wrote {save(sample)}")  # noqa: T201


if __name__ == "__main__":
    main()
