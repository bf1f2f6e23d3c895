"""The one Jinja2 environment the web pages and the mail editions render with.

Why shared: every title, name and body they show was written by strangers, so
autoescaping must be on for every template, including ones built from strings,
and a missing variable must fail loudly instead of rendering as nothing. One
factory means a new face cannot forget either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from jinja2 import BaseLoader, Environment

__all__ = ["make_jinja_env"]


def make_jinja_env(loader: BaseLoader | None = None) -> Environment:
    """An environment that escapes every value for HTML (``|safe`` is the only way out)."""
    from jinja2 import Environment, StrictUndefined, select_autoescape

    return Environment(
        loader=loader,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
