"""The ``newsdesk`` command line: thin wrappers over the stages.

Each stage's commands live in their own module and are attached here, in
pipeline order. Modules import their stage lazily inside each command so that
``newsdesk --help`` stays fast and never loads spaCy or a database driver.
"""

from __future__ import annotations

import sys
from typing import Any

import typer

from newsdesk.cli import (
    articles,
    demo,
    editions,
    feeds,
    follow,
    read_state,
    settings_cmd,
    sources,
    stories,
    understand,
    workers,
)


def _hide_flag_types() -> None:
    """``--help`` showed ``<bool>`` beside every flag, ``--help`` itself included.

    Typer's rich help prints a type for every option; a flag takes no value, so
    it gets none (Typer's plain help already does this).
    """
    from typer.core import TyperOption

    if getattr(TyperOption.display_type_rich, "_newsdesk", False):
        return
    shown = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        return shown(self, ctx)

    display_type_rich._newsdesk = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_hide_flag_types()

app = typer.Typer(
    name="newsdesk",
    help="A self-hosted personal news service: sources in, clean articles, stories and briefs out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
    sources,
    feeds,
    articles,
    understand,
    stories,
    follow,
    read_state,
    editions,
    settings_cmd,
    demo,
    workers,
):
    module.register(app)


def main() -> None:
    """Console-script entry point; errors become one line on stderr and exit code 1."""
    from newsdesk.cli.common import run_app

    sys.exit(run_app(app))
