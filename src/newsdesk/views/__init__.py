"""Read models the faces share: typed records whose ``to_dict()`` is their JSON form.

The CLI, the web pages, the JSON API and the reader-app APIs all show the same
things (an article with what newsdesk understood, a story, Following, For you,
a search, a source with its health); each is built once here, from
``newsdesk.follow`` and ``newsdesk.store`` reads, so no face writes SQL or
copies a view. Lists page with an opaque cursor (``views.cursor``).

Each module is imported on use (``from newsdesk.views.following import
following``), so importing this package costs nothing. ``ForYou`` is named
here too, lazily, as the record of For you.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsdesk.views.for_you import ForYou

__all__ = ["ForYou"]


def __getattr__(name: str) -> Any:
    if name == "ForYou":
        from newsdesk.views.for_you import ForYou

        return ForYou
    raise AttributeError(name)
