"""Settings: environment, TOML file, validation, and documentation that cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsdesk.config import Settings, get_settings
from newsdesk.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"`(NEWSDESK_[A-Z_]+)`", readme))
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no help text"
        assert f"NEWSDESK_{name.upper()}" in documented, (
            f"NEWSDESK_{name.upper()} missing from README"
        )


def test_default_database_is_sqlite_in_data_dir(isolated_settings: Path):
    settings = get_settings()
    assert settings.data_dir == isolated_settings
    assert settings.effective_database_url == f"sqlite:///{isolated_settings / 'newsdesk.db'}"


def test_postgres_url_gets_the_psycopg3_driver(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", "postgresql://news@db.internal/newsdesk")
    get_settings.cache_clear()
    assert get_settings().effective_database_url == "postgresql+psycopg://news@db.internal/newsdesk"


def test_toml_file_is_read_and_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config = tmp_path / "newsdesk.toml"
    config.write_text(
        'max_page_bytes = 12345\nuser_agent = "from-toml"\nallowed_hosts = ["127.0.0.1"]\n'
    )
    monkeypatch.setenv("NEWSDESK_CONFIG", str(config))
    monkeypatch.setenv("NEWSDESK_USER_AGENT", "from-env")
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.max_page_bytes == 12345
    assert settings.user_agent == "from-env"
    assert settings.allowed_hosts == ["127.0.0.1"]


def test_invalid_setting_is_one_clear_error(cli, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSDESK_MAX_PAGE_BYTES", "-5")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="max_page_bytes"):
        get_settings()
    result = cli("config")
    assert result.code == 1
    assert "config: invalid configuration" in result.stderr


def test_config_command_lists_settings_as_json(cli):
    result = cli("config", "--format", "json")
    assert result.code == 0, result
    data = result.json()
    names = {row["name"] for row in data["settings"]}
    assert set(Settings.model_fields) == names
    assert data["database"].startswith("sqlite:///")
