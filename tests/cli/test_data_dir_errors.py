"""Issue 10, point 5, as it was found: a file or an impossible path as the data folder."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("data_dir", ["/etc/passwd", "/proc/nope"])
def test_articles_list_names_the_setting(
    data_dir: str,
    monkeypatch: pytest.MonkeyPatch,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("NEWSDESK_DATA_DIR", data_dir)
    result = cli("articles", "list")
    assert result.code == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result
    assert "NEWSDESK_DATA_DIR is unusable" in lines[0]
    assert "set NEWSDESK_DATA_DIR to a folder newsdesk may create and write" in lines[0]
