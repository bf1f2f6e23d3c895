"""Sources as the faces show them: each with its health (last success, last error,
failures, next refresh) and how many items it brought; one source with its latest items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsdesk.store.db import Database, open_database
from newsdesk.store.sources import SourceRow

__all__ = ["SourceDetail", "SourceHealth", "SourceRow", "source", "source_list"]


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A source in the list: its settings and health, and its stored item count."""

    source: SourceRow
    items: int

    def to_dict(self) -> dict[str, Any]:
        return {**self.source.to_dict(), "items": self.items}


@dataclass(frozen=True, slots=True)
class SourceDetail:
    """One source: its settings and health, and its latest feed items."""

    source: SourceRow
    latest_items: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.source.to_dict(), "latest_items": list(self.latest_items)}


def source_list(*, tag: str | None = None, db: Database | None = None) -> list[SourceHealth]:
    from newsdesk.store import sources as repo

    with (db or open_database()).connect() as conn:
        rows = repo.list_sources(conn, tag=tag)
        counts = repo.item_counts(conn)
    return [SourceHealth(r, counts.get(r.id, 0)) for r in rows]


def source(ref: str, *, db: Database | None = None) -> SourceDetail:
    """One source by id or URL (NotFoundError when there is none)."""
    from newsdesk.store import sources as repo

    with (db or open_database()).connect() as conn:
        row = repo.get_source(conn, ref)
        items = repo.source_items(conn, row.id)
    return SourceDetail(row, tuple(items))
