"""The stories commands, run through the real entry point."""

from __future__ import annotations

import json

from tests.stories.conftest import FIXTURES, load_jsonl
from tests.stories.test_store_ingest import ingest


def test_cluster_prints_one_story_line_per_input_line(cli):
    result = cli("stories", "cluster", str(FIXTURES / "event.jsonl"))
    assert result.code == 0, result
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    ids = [item["id"] for item in load_jsonl("event.jsonl")]
    assert [line["id"] for line in lines] == ids
    assert set(lines[0]) == {"id", "story"}
    story = {line["id"]: line["story"] for line in lines}
    assert len({story[f"dam-{n}"] for n in range(1, 6)}) == 1
    assert len(set(story.values())) == 4


def test_cluster_reads_stdin_and_needs_no_store(cli, isolated_settings):
    text = "\n".join(
        json.dumps({"id": i, "title": t})
        for i, t in [("a", "Glimmer app down for millions"), ("b", "Glimmer app down worldwide")]
    )
    result = cli("stories", "cluster", "-", input=text + "\n")
    assert result.code == 0, result
    stories = {json.loads(line)["story"] for line in result.stdout.splitlines()}
    assert len(stories) == 1
    assert not (isolated_settings / "newsdesk.db").exists()


def test_cluster_names_the_bad_line(cli, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "title": "Fine"}\n{"id": "b", "title": \n', encoding="utf-8")
    result = cli("stories", "cluster", str(path))
    assert result.code == 1
    assert "line 2" in result.stderr
    missing = cli("stories", "cluster", str(tmp_path / "none.jsonl"))
    assert missing.code == 1 and "no such file" in missing.stderr


def test_list_and_show_over_the_store(cli, db):
    ids = ingest(db, load_jsonl("event.jsonl"))
    listed = cli("stories", "list", "--json")
    assert listed.code == 0, listed
    stories = listed.json()
    assert len(stories) == 4
    top = stories[0]
    assert top["outlet_count"] == 4 and top["articles"] == 5
    assert {"outlets", "velocity", "recency", "entity_weight"} <= set(top["factors"])
    shown = cli("stories", "show", top["key"], "--json")
    assert shown.code == 0, shown
    story = shown.json()
    assert [m["article_id"] for m in story["members"]] == [ids[f"dam-{n}"] for n in range(1, 6)]
    assert story["timeline"]
    text = cli("stories", "show", top["key"])
    assert text.code == 0 and "timeline" in text.stdout and "Lakeside Courier" in text.stdout
    table = cli("stories", "list")
    assert table.code == 0 and top["key"] in table.stdout
    assert cli("stories", "show", "s-missing").code == 1
