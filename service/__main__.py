"""`python -m service` is `jgt`."""

from service.cli import main

main()
