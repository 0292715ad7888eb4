"""Settings: read once (environment, optional ``newsarchive.toml``, command line) and passed down.

Nothing here is a module-level singleton: ``load_settings()`` builds a fresh
``Settings`` and callers hand it to what they create (``create_app``, the
crawler, the CLI commands). Tests build their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from newsarchive import PROJECT_URL, __version__
from newsarchive.errors import ConfigError

DEFAULT_USER_AGENT = f"newsarchive/{__version__} (+{PROJECT_URL})"
CONFIG_FILE_ENV = "NEWSARCHIVE_CONFIG"


class _CheckedTomlSource(TomlConfigSettingsSource):
    """``newsarchive.toml``, refusing names that are no setting: a misspelt key (say
    ``allow_private_network``) would otherwise be ignored and its default used in silence."""

    def __init__(self, settings_cls: type[BaseSettings], toml_file: str) -> None:
        super().__init__(settings_cls, toml_file=toml_file)
        known = {name.lower() for name in settings_cls.model_fields}
        unknown = sorted(key for key in self.toml_data if key.lower() not in known)
        if unknown:
            raise ConfigError(f"{toml_file}: no such setting {', '.join(map(repr, unknown))} "
                              "(the names are the README's, without NEWSARCHIVE_)")


class Settings(BaseSettings):
    """Every knob of the service. Each field is documented in the README's configuration table."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSARCHIVE_",
        toml_file="newsarchive.toml",
        extra="ignore",
        validate_default=True,
    )

    database_url: str = Field(
        default="sqlite:///./data/newsarchive.db",
        description="Any SQLAlchemy URL; postgresql+psycopg://... for scale-out.",
    )
    api_key: str | None = Field(
        default=None,
        description="When set, writes need 'Authorization: Bearer <key>'; unset: loopback clients only.",
    )
    user_agent: str = Field(default=DEFAULT_USER_AGENT, description="Sent on every request.")
    allow_private_networks: bool = Field(
        default=False,
        description="Allow fetching loopback, private, link-local and reserved addresses.",
    )
    private_network_allowlist: list[str] = Field(
        default_factory=list,
        description="CIDR ranges that may be fetched even when private networks are refused.",
    )
    host_delay: float = Field(
        default=1.0, ge=0, description="Minimum seconds between two requests to one host."
    )
    host_concurrency: int = Field(default=2, ge=1, description="Requests in flight to one host.")
    concurrency: int = Field(default=8, ge=1, description="Requests in flight per worker process.")
    max_page_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="Largest body accepted, after decompression."
    )
    lease_seconds: int = Field(
        default=60, ge=5, description="A claimed URL not renewed for this long returns to the queue."
    )
    connect_timeout: float = Field(default=10.0, gt=0, description="Seconds to open a connection.")
    read_timeout: float = Field(default=20.0, gt=0, description="Seconds between two reads.")
    total_timeout: float = Field(default=60.0, gt=0, description="Seconds for a whole request.")
    max_redirects: int = Field(default=10, ge=0, le=30, description="Redirect hops followed.")
    max_attempts: int = Field(
        default=3, ge=1, description="Tries for a URL failing with 5xx or a timeout."
    )
    recheck_hours: list[float] = Field(
        default_factory=lambda: [1.0, 6.0, 24.0, 72.0],
        description="Hours after first capture at which an article is fetched again.",
    )
    default_every: str = Field(default="30m", description="Schedule of a source added without one.")
    archive_wait: float = Field(
        default=10.0, ge=0,
        description="Seconds POST /api/articles waits for the archive before answering 202.",
    )
    log_level: str = Field(default="INFO", description="Python logging level.")
    site_rules: Path | None = Field(
        default=None,
        description="A TOML file of per-site extraction rules (docs/site-rules.md); unset: none.",
    )

    @field_validator("site_rules", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: Any) -> Any:
        # NEWSARCHIVE_SITE_RULES= (empty) means none, not the current directory
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _normalise_postgres(cls, value: str) -> str:
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
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
        # Precedence: command line (init) > environment > newsarchive.toml.
        import os

        toml_path = os.environ.get(CONFIG_FILE_ENV, "newsarchive.toml")
        return (
            init_settings,
            env_settings,
            _CheckedTomlSource(settings_cls, toml_path),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        """The database file of a SQLite URL (None for memory or other engines)."""
        if not self.is_sqlite:
            return None
        _, _, rest = self.database_url.partition(":///")
        if not rest or rest.startswith(":memory:"):
            return None
        return Path(rest.split("?", 1)[0])


def load_settings(**overrides: Any) -> Settings:
    """Build the settings once; ``overrides`` are the command line's (None means 'not given')."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
