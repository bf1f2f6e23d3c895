"""CLI commands of the stories stage (filled in by that stage's issue)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""
