"""What a refresh run did, per source and in sum: the CLI's summary and the scheduler's log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["new", "unchanged", "failed", "deferred"]


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What one source's refresh did, for the progress bar and the summary."""

    source_id: int
    url: str
    status: Status
    new_items: int = 0
    updated_items: int = 0
    error: str | None = None
    paused: bool = False
    moved_to: str | None = None


@dataclass(slots=True)
class RefreshReport:
    outcomes: list[SourceOutcome] = field(default_factory=list)
    #: CPU seconds by step (parse, store_article, writer thread), for benchmarks and logs.
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def new_items(self) -> int:
        return sum(o.new_items for o in self.outcomes)

    @property
    def updated_items(self) -> int:
        return sum(o.updated_items for o in self.outcomes)

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": len(self.outcomes),
            "with_new_items": sum(1 for o in self.outcomes if o.new_items),
            "unchanged": self.count("unchanged"),
            "failed": len(self.failed),
            "deferred": self.count("deferred"),
            "new_items": self.new_items,
            "updated_items": self.updated_items,
            "failures": [
                {"source_id": o.source_id, "url": o.url, "error": o.error, "paused": o.paused}
                for o in self.failed
            ],
        }
