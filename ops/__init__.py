"""Scripts to run, deploy, benchmark and operate the service."""
