"""The jobs tests use the sources tests' local HTTP server and fast settings."""

from tests.sources.conftest import fast_settings, server

__all__ = ["fast_settings", "server"]
