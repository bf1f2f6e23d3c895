"""``newsdesk understand``: one page in, its understanding out (JSON fields are a contract)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.understand.articles import FERRY, FERRY_HEADLINE


def _page(tmp_path: Path) -> Path:
    path = tmp_path / "ferry.txt"
    path.write_text(FERRY_HEADLINE + "\n\n" + "\n\n".join(FERRY) + "\n", encoding="utf-8")
    return path


def test_json_output_fields(cli: Any, tmp_path: Path, nlp: object) -> None:
    result = cli("understand", str(_page(tmp_path)), "--format", "json")
    assert result.code == 0, result
    data = result.json()
    assert {"headline", "summary", "entities", "topics", "quotes", "figures"} <= set(data)
    assert data["quotes"][0]["quote"] == "We will not sign a contract we cannot afford,"
    assert data["quotes"][0]["speaker"] == "Clara Ostrowski"
    people = [e["name"] for e in data["entities"] if e["kind"] == "person"]
    assert people[0] == "Clara Ostrowski"
    assert any(f["text"] == "1,200" and f["counts"] == "ferry workers" for f in data["figures"])


def test_reads_stdin_and_prints_text(cli: Any, nlp: object) -> None:
    text = FERRY_HEADLINE + "\n\n" + "\n\n".join(FERRY)
    result = cli("understand", input=text)
    assert result.code == 0, result
    assert "Clara Ostrowski (Transport Minister)" in result.stdout
    assert "“We will not sign a contract we cannot afford,” — Clara Ostrowski" in result.stdout


def test_missing_file_is_one_clear_error(cli: Any, tmp_path: Path) -> None:
    result = cli("understand", str(tmp_path / "nope.txt"))
    assert result.code == 1
    assert "nope.txt" in result.stderr
    assert "Traceback" not in result.stderr
