"""Settings: environment, TOML file, validation, and documentation that cannot drift."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from newsdesk.config import Settings, get_settings, session_secret
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


def test_session_secret_is_generated_once_and_kept_private(isolated_settings: Path):
    settings = get_settings()
    assert settings.secret_key is None
    first = session_secret(settings)
    kept = settings.data_dir / "secret_key"
    assert len(first) >= 64 and kept.read_text().strip() == first
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert session_secret(settings) == first  # the next start reads it back


def test_session_secret_from_the_environment_wins(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSDESK_SECRET_KEY", "a-long-random-value-from-the-operator")
    get_settings.cache_clear()
    settings = get_settings()
    assert session_secret(settings) == "a-long-random-value-from-the-operator"
    assert not (settings.data_dir / "secret_key").exists()


def test_the_placeholder_secret_is_refused_in_one_line(cli, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSDESK_SECRET_KEY", "change-me")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="placeholder 'change-me'"):
        get_settings()
    result = cli("config")
    assert result.code == 1
    assert "secret_key: NEWSDESK_SECRET_KEY is the placeholder 'change-me'" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_kept_secret_readable_by_others_is_made_private(isolated_settings: Path):
    settings = get_settings()
    kept = settings.data_dir / "secret_key"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text("x" * 64 + "\n")
    kept.chmod(0o644)
    assert session_secret(settings) == "x" * 64
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    kept.write_text("change-me\n")
    with pytest.raises(ConfigError, match="placeholder"):
        session_secret(settings)
