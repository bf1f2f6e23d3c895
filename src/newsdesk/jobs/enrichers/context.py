"""What every enricher is handed: the stored article, its transaction, and earlier results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from newsdesk.models import Article


@dataclass
class IngestContext:
    """What an enricher gets: the stored article, and what earlier enrichers found."""

    conn: Connection
    article_id: int
    article: Article
    now: datetime
    results: dict[str, Any] = field(default_factory=dict)
