"""One settings object for the whole service.

Values come, highest priority first, from ``NEWSDESK_*`` environment variables,
then an optional TOML file (``NEWSDESK_CONFIG``, else ``newsdesk.toml`` in the
user's config folder), then the defaults below. Every field carries its help
text, and ``newsdesk config`` prints them all, so the table in the README can
never drift from the code (a test checks every field is documented there).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from newsdesk.errors import ConfigError


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("newsdesk", appauthor=False))


def default_config_file() -> Path:
    """Where the optional TOML file is looked for when ``NEWSDESK_CONFIG`` is unset."""
    explicit = os.environ.get("NEWSDESK_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir("newsdesk", appauthor=False)) / "newsdesk.toml"


class Settings(BaseSettings):
    """newsdesk's configuration; each field's description is its documentation."""

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", extra="ignore", frozen=True)

    # --- storage -------------------------------------------------------------
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Folder for the embedded SQLite database and other local state.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the database; unset means SQLite in data_dir. "
            "Use postgresql://user@host/db for PostgreSQL (driver psycopg 3)."
        ),
    )

    broker_url: str | None = Field(
        default=None,
        description=(
            "Celery broker URL (redis://host:6379/0 or amqp://user@host//); set, the jobs run "
            "on `newsdesk worker` processes instead of in-process. Needs PostgreSQL."
        ),
    )
    job_visibility_timeout: int = Field(
        default=300,
        ge=5,
        description=(
            "Seconds before a job taken by a worker that died is handed to another worker "
            "(Redis broker); jobs are idempotent, so a slow job run twice changes nothing."
        ),
    )

    # --- logging -------------------------------------------------------------
    log_level: str = Field(default="WARNING", description="Log level: DEBUG, INFO, WARNING, ERROR.")
    log_json: bool = Field(default=False, description="Write logs as JSON lines instead of text.")

    # --- input limits --------------------------------------------------------
    max_page_bytes: int = Field(
        default=8 * 1024 * 1024,
        description="Largest page (file or download, after decompression) newsdesk will read.",
    )
    max_feed_bytes: int = Field(
        default=16 * 1024 * 1024,
        description="Largest feed document (after decompression) newsdesk will read.",
    )
    min_article_words: int = Field(
        default=40,
        description=(
            "Fewer words than this in the headline and body, after removing page chrome, "
            "means 'no article here'."
        ),
    )

    # --- bounds on hostile input ---------------------------------------------
    max_title_chars: int = Field(
        default=2000,
        description=(
            "Longest title, author or feed name kept (characters); longer ones are cut. "
            "A title over a few KB is not a title."
        ),
    )
    max_page_elements: int = Field(
        default=100_000,
        description=(
            "A page with more HTML elements than this is refused before extraction "
            "(real news pages have a few thousand)."
        ),
    )
    understand_max_tokens: int = Field(
        default=8000,
        description=(
            "Understanding reads at most this many words and marks of a body (whole "
            "paragraphs); the parse costs time in proportion to them."
        ),
    )
    extract_deadline: float = Field(
        default=60.0,
        description="Seconds one page's extraction may take in serve and workers before it fails.",
    )
    extract_memory_mb: int = Field(
        default=1024,
        description="Memory (MiB) the process extracting one page may use in serve and workers.",
    )
    understand_deadline: float = Field(
        default=120.0,
        description="Seconds one batch's understanding may take in serve and workers.",
    )
    understand_memory_mb: int = Field(
        # Address space, not resident memory: spaCy, numpy and their thread arenas reserve
        # about 3.5 GiB of it for an ordinary batch while using a few hundred MiB.
        default=6144,
        description="Address space (MiB) for understanding one batch in serve and workers.",
    )
    feed_parse_deadline: float = Field(
        default=60.0,
        description="Seconds parsing one feed document may take before that feed fails.",
    )
    feed_parse_memory_mb: int = Field(
        default=1024,
        description="Memory (MiB) the process parsing one feed may use in serve and workers.",
    )
    max_full_text_fetches: int = Field(
        default=25,
        description=(
            "Article pages fetched for full text per feed per refresh; further summary-only "
            "entries are stored with the feed's own text."
        ),
    )
    source_deadline: float = Field(
        default=300.0,
        description=(
            "Seconds one source's refresh may take in all (feed, pages, extraction); past it, "
            "what is done is stored and the rest waits for the next refresh."
        ),
    )

    # --- fetching ------------------------------------------------------------
    user_agent: str = Field(
        default="newsdesk/0.1 (+self-hosted personal news reader)",
        description="User-Agent sent with every request.",
    )
    connect_timeout: float = Field(default=10.0, description="Seconds to wait for a connection.")
    read_timeout: float = Field(default=30.0, description="Seconds to wait between bytes read.")
    max_redirects: int = Field(default=8, description="Redirects followed before giving up.")
    fetch_timeout: float = Field(
        default=120.0,
        description="Longest one download may take in all (redirects and body), in seconds.",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "Hosts or networks (CIDR) the SSRF guard lets through even though they are private "
            "or loopback, e.g. ['127.0.0.1', '10.0.0.0/8', 'intranet.example']."
        ),
    )
    per_host_concurrency: int = Field(
        default=2, description="Requests in flight at once to one host."
    )
    per_host_delay: float = Field(
        default=0.5, description="Seconds between two requests to the same host."
    )
    fetch_concurrency: int = Field(default=64, description="Requests in flight at once overall.")
    max_consecutive_failures: int = Field(
        default=10, description="A source is paused after this many failed refreshes in a row."
    )
    min_refresh_interval: int = Field(
        default=15 * 60, description="Shortest time (seconds) between two refreshes of a source."
    )
    max_refresh_interval: int = Field(
        default=24 * 3600, description="Longest time (seconds) between two refreshes of a source."
    )
    respect_robots_txt: bool = Field(
        default=True, description="Honour robots.txt when fetching article pages."
    )
    fetch_full_text: bool = Field(
        default=True,
        description="Fetch and extract the article page when a feed entry carries only a summary.",
    )

    # --- services ------------------------------------------------------------
    secret_key: str | None = Field(
        default=None,
        description=(
            "Secret for signing web sessions; unset: generated on first start and kept in "
            "data_dir/secret_key (mode 0600). The placeholder 'change-me' is refused."
        ),
    )
    base_url: str = Field(
        default="http://127.0.0.1:8040",
        description="Public address of the web app, used in emails.",
    )
    host: str = Field(default="127.0.0.1", description="Address `newsdesk serve` listens on.")
    port: int = Field(default=8040, description="Port `newsdesk serve` listens on.")

    # --- accounts and follows -------------------------------------------------
    signup_open: bool = Field(
        default=False,
        description=(
            "Let anyone create an account on the sign-up page; off by default "
            "(the first user becomes admin and adds others with `newsdesk users add`)."
        ),
    )
    session_days: int = Field(default=30, description="Days a web login stays valid.")
    following_window_days: int = Field(
        default=7,
        description=(
            "A new follow starts with the articles published in the last this many days "
            "marked new; afterwards Following shows what arrived since each last check."
        ),
    )
    feed_window_hours: int = Field(
        default=48, description="For you ranks stories with articles from the last this many hours."
    )
    story_window_hours: int = Field(
        default=72,
        description=(
            "A story takes new articles until it has had none for this many hours, then "
            "closes; only open stories are kept in memory when placing an article."
        ),
    )

    # --- mail ----------------------------------------------------------------
    smtp_host: str = Field(default="localhost", description="SMTP server for editions.")
    smtp_port: int = Field(default=25, description="SMTP port.")
    smtp_user: str | None = Field(
        default=None, description="SMTP user name, if the server needs one."
    )
    smtp_password: str | None = Field(default=None, description="SMTP password.")
    smtp_starttls: bool = Field(
        default=False, description="Upgrade the SMTP connection with STARTTLS."
    )
    smtp_tls: bool = Field(
        default=False,
        description="Connect to the SMTP server over implicit TLS (SMTPS, usually port 465).",
    )
    smtp_timeout: float = Field(
        default=30.0, description="Seconds to wait for the SMTP server at each step."
    )
    edition_send_concurrency: int = Field(
        default=4, description="Editions sent at once (each over its own SMTP connection)."
    )
    edition_build_processes: int = Field(
        default=0,
        description="Processes that build a big batch of editions (2,000 or more) at once; "
        "0 means one per CPU core.",
    )
    edition_claim_timeout: int = Field(
        default=900,
        ge=5,
        description=(
            "Seconds after which an edition claimed by a sender that stopped before DATA (its "
            "worker died) is sent by another; a slow sender that loses its claim sends nothing."
        ),
    )
    edition_top_stories: int = Field(
        default=7,
        description='How many stories "The most important stories" of an edition lists.',
    )
    mail_from: str = Field(
        default="newsdesk <newsdesk@localhost>", description="From address of editions."
    )

    @field_validator("max_page_bytes", "max_feed_bytes")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be a positive number of bytes")
        return value

    @field_validator("secret_key")
    @classmethod
    def _real_secret(cls, value: str | None) -> str | None:
        if value is not None:
            unsafe_secret(value, "NEWSDESK_SECRET_KEY")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = default_config_file()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)

    @property
    def effective_database_url(self) -> str:
        """The URL actually used: the configured one, or SQLite inside data_dir."""
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://") or url.startswith("postgres://"):
                url = "postgresql+psycopg://" + url.split("://", 1)[1]
            return url
        return f"sqlite:///{self.data_dir / 'newsdesk.db'}"


#: The placeholder of old example configurations: never a secret.
PLACEHOLDER_SECRET = "change-me"
SECRET_FILE = "secret_key"


def unsafe_secret(value: str, where: str) -> None:
    """Raise ValueError when ``value`` cannot be a session secret (the placeholder, or empty)."""
    if value.strip().lower() == PLACEHOLDER_SECRET:
        raise ValueError(
            f"{where} is the placeholder 'change-me'; unset it to have one generated in the "
            "data folder, or set a long random value"
        )
    if not value.strip():
        raise ValueError(f"{where} is empty; unset it to have one generated in the data folder")


def session_secret(settings: Settings) -> str:
    """The web session secret: NEWSDESK_SECRET_KEY, else the one kept in the data folder.

    On first start none exists, so one is generated (``secrets``) and written to
    ``data_dir/secret_key`` readable by its owner only (0600), created exclusively so
    two processes starting at once end up with the same secret.
    """
    import secrets

    if settings.secret_key is not None:
        return settings.secret_key
    path = settings.data_dir / SECRET_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file in the way raises FileExistsError too: not a secret
        raise ConfigError(
            f"NEWSDESK_DATA_DIR is unusable: cannot create the folder {str(path.parent)!r}: "
            f"{exc.strerror or exc}",
            hint="set NEWSDESK_DATA_DIR to a folder newsdesk may create and write",
        ) from exc
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    except OSError as exc:
        raise ConfigError(
            f"NEWSDESK_DATA_DIR is unusable: cannot create the session secret {path}: "
            f"{exc.strerror}",
            hint="make the data folder writable or set NEWSDESK_SECRET_KEY",
        ) from exc
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secrets.token_hex(32) + "\n")
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)  # nobody but its owner reads a session secret
        value = path.read_text(encoding="utf-8").strip()
        unsafe_secret(value, str(path))
    except OSError as exc:
        raise ConfigError(
            f"cannot read the session secret {path}: {exc.strerror}",
            hint="fix its permissions, or delete it to have a new one generated",
        ) from exc
    except ValueError as exc:
        raise ConfigError(
            str(exc), hint="delete the file to have a new one generated on the next start"
        ) from exc
    return value


def load_settings(**overrides: Any) -> Settings:
    """Build settings, turning validation problems into one readable ConfigError."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise ConfigError(
            f"invalid configuration: {problems}",
            hint=f"check NEWSDESK_* variables and {default_config_file()}",
        ) from exc
    except Exception as exc:  # a TOML syntax error
        raise ConfigError(
            f"invalid configuration: {exc}".replace("\n", " "),
            hint=f"check NEWSDESK_* variables and {default_config_file()}",
        ) from exc


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests call ``get_settings.cache_clear()`` after changing env."""
    return load_settings()
