"""Every feed we wrote parses to the output stored beside it (``<feed>.expected.json``).

The expected files were produced once with ``REGENERATE_FEED_EXPECTED=1`` (the
feed URL being ``https://feeds.example/<file name>``) and then checked by hand,
entry by entry; a change in parsing shows up here as a readable diff. Whether
there were warnings is compared, not their wording (libxml2's messages change
between versions). Regenerate deliberately and review the diff before committing.
"""

from __future__ import annotations

import json
import os

import pytest

from newsdesk import parse_feed
from newsdesk.sources.feeds.parse import feed_to_dict
from tests.conftest import FIXTURES

FEEDS = FIXTURES / "feeds"
# broken_* feeds are left out: what libxml2's recovery salvages from them differs
# between its versions; test_feed_safety checks what must hold for them instead
CASES = sorted(
    p
    for p in FEEDS.iterdir()
    if p.suffix in (".xml", ".rdf", ".json")
    and not p.name.endswith(".expected.json")
    and not p.name.startswith("broken_")
)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_feed_parses_to_its_expected_output(path):
    url = f"https://feeds.example/{path.name}"
    got = feed_to_dict(parse_feed(path.read_bytes(), url=url))
    # warnings quote libxml2's messages, which change between its versions: not compared
    got["feed"]["warnings"] = len(got["feed"]["warnings"]) > 0
    expected_path = path.with_name(path.name + ".expected.json")
    if os.environ.get("REGENERATE_FEED_EXPECTED") == "1":
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", "utf-8")
    expected = json.loads(expected_path.read_text("utf-8"))
    assert got == expected
