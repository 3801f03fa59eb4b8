"""The service: HTTP API, command handlers, worker jobs and the `jgt` command line."""
