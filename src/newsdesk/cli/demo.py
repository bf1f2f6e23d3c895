"""``newsdesk demo load|clear``: a fictional demo set for a first look without network."""

from __future__ import annotations

import typer

from newsdesk.cli.common import out, plural


def register(app: typer.Typer) -> None:
    demo_app = typer.Typer(help="Fictional demo articles for a first look.", no_args_is_help=True)
    demo_app.command("load")(load)
    demo_app.command("clear")(clear)
    app.add_typer(demo_app, name="demo")


def load() -> None:
    """Load the demo set: fictional outlets, stories covered by several of them, quotes."""
    from newsdesk.web import demo

    added = demo.load()
    out.print(
        f"demo loaded: {added} fictional articles (remove them with `newsdesk demo clear`)",
        highlight=False,
    )


def clear() -> None:
    """Remove the demo set (real articles stay)."""
    from newsdesk.web import demo

    removed = demo.clear()
    out.print(f"demo cleared: {plural(removed, 'article')} removed", highlight=False)
