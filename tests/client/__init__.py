"""Tests of the core client: signing, every endpoint, errors, retries, config, the CLI."""
