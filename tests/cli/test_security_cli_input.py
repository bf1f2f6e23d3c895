"""Bad paths on the command line: one clear error line and exit 1, never a traceback."""

from __future__ import annotations

from pathlib import Path


def test_a_file_name_too_long_for_the_system_is_one_clear_line(cli, tmp_path: Path):
    name = str(tmp_path / ("a" * 300 + ".html"))  # one component over the 255-byte limit
    result = cli("extract", name)
    assert result.code == 1, result
    assert "cannot read" in result.stderr
    assert "too long" in result.stderr.lower()


def test_ingest_lists_a_path_too_long_and_goes_on(cli, db, tmp_path: Path):
    long_folder = str(tmp_path / ("b" * 300))
    result = cli("ingest", long_folder, str(tmp_path / "missing.html"))
    assert result.code == 1, result
    assert "failed 2" in result.stdout
    assert "too long" in result.stderr.lower()
    assert "missing.html does not exist" in result.stderr


def test_a_symlink_loop_named_directly_is_one_clear_line(cli, tmp_path: Path):
    first, second = tmp_path / "one.html", tmp_path / "two.html"
    first.symlink_to(second)
    second.symlink_to(first)
    result = cli("extract", str(first))
    assert result.code == 1, result
    assert "symbolic links" in result.stderr


def test_a_folder_with_a_symlink_loop_is_ingested_without_hanging(cli, db, tmp_path: Path):
    folder = tmp_path / "inbox"
    (folder / "inner").mkdir(parents=True)
    (folder / "inner" / "up").symlink_to(folder, target_is_directory=True)
    (folder / "x.html").symlink_to(folder / "y.html")
    (folder / "y.html").symlink_to(folder / "x.html")
    (folder / "empty.html").write_bytes(b"")
    result = cli("ingest", str(folder))
    assert result.code == 1, result
    assert "stored 0, duplicates 0, failed 1" in result.stdout
    assert "empty.html is empty" in result.stderr


def test_feeds_parse_with_a_file_name_too_long_is_one_clear_line(cli, tmp_path: Path):
    result = cli("feeds", "parse", str(tmp_path / ("c" * 300 + ".rss")))
    assert result.code == 1, result
    assert "cannot read" in result.stderr and "too long" in result.stderr.lower()


def test_stories_cluster_with_a_file_name_too_long_is_one_clear_line(cli, tmp_path: Path):
    result = cli("stories", "cluster", str(tmp_path / ("d" * 300 + ".jsonl")))
    assert result.code == 1, result
    assert "cannot read" in result.stderr and "too long" in result.stderr.lower()


def test_sources_export_to_a_path_that_cannot_be_written_is_one_clear_line(cli, db, tmp_path: Path):
    for target in (tmp_path / "no-such-folder" / "feeds.opml", tmp_path):
        result = cli("sources", "export", str(target))
        assert result.code == 1, result
        assert f"cannot write {target}" in result.stderr
