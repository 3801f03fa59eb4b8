"""Infrastructure: event store, migrations, tenancy, outbox, queue, embedded servers."""
