"""Fixture articles for the stories tests (fictional outlets, people and events)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"


def load_jsonl(name: str) -> list[dict[str, Any]]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_devset(name: str = "devset.tsv") -> tuple[list[dict[str, Any]], dict[str, str]]:
    """One of our headline sets: (items, gold story per item id)."""
    items, gold = [], {}
    for number, line in enumerate((FIXTURES / name).read_text("utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        story, outlet, title = line.split("\t")
        item_id = f"d{number}"
        items.append({"id": item_id, "title": title, "outlet": outlet})
        gold[item_id] = story
    return items, gold
