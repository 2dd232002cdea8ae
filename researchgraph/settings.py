"""Settings from the environment and the command line, in one frozen object.

Every setting has an environment variable (listed in the README's configuration table);
command-line options override the environment.
"""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Literal

from resolvers.accounts import normalize_email
from resolvers.errors import ClientError

StoreKind = Literal["embedded", "neo4j"]

# HS256 keys shorter than the hash (32 bytes) are weak; RFC 7518 section 3.2 forbids them.
MIN_JWT_SECRET_LENGTH = 32
JWT_KEY_FILE = "jwt-secret"


class SettingsError(ValueError):
    """A setting with a value the service cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service reads from its environment."""

    store: StoreKind = "embedded"
    data_dir: Path = Path(".researchgraph")
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    debug: bool = False
    load_demo_data: bool = True
    request_timeout_seconds: float = 10.0
    max_body_bytes: int = 256 * 1024
    max_query_tokens: int = 5000
    max_query_depth: int = 12
    max_aliases: int = 30
    max_query_cost: int = 50_000
    introspection: bool = True
    jwt_secret: str | None = None
    token_lifetime: timedelta = timedelta(days=1)
    invitations_per_day: int = 20
    admin_emails: frozenset[str] = frozenset()
    cors_origins: tuple[str, ...] = ()
    json_logs: bool = True

    @property
    def embedded_path(self) -> Path:
        """Where the embedded (LadybugDB) database file lives."""
        return self.data_dir / "graph.lbdb"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from environment variables (os.environ by default)."""
        env = os.environ if env is None else env
        uri = env.get("NEO4J_URI") or None
        store = env.get("RESEARCHGRAPH_STORE") or ("neo4j" if uri else "embedded")
        settings = cls(
            store=_store_kind(store),
            data_dir=Path(env.get("RESEARCHGRAPH_DATA_DIR") or ".researchgraph"),
            neo4j_uri=uri,
            neo4j_user=env.get("NEO4J_USER") or None,
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE") or "neo4j",
            debug=_flag(env.get("RESEARCHGRAPH_DEBUG")),
            load_demo_data=_flag(env.get("RESEARCHGRAPH_DEMO_DATA", "1")),
            request_timeout_seconds=_number(env, "RESEARCHGRAPH_REQUEST_TIMEOUT", 10.0),
            max_body_bytes=int(_number(env, "RESEARCHGRAPH_MAX_BODY_BYTES", 256 * 1024)),
            max_query_tokens=int(_number(env, "RESEARCHGRAPH_MAX_TOKENS", 5000)),
            max_query_depth=int(_number(env, "RESEARCHGRAPH_MAX_DEPTH", 12)),
            max_aliases=int(_number(env, "RESEARCHGRAPH_MAX_ALIASES", 30)),
            max_query_cost=int(_number(env, "RESEARCHGRAPH_MAX_COST", 50_000)),
            introspection=_flag(env.get("RESEARCHGRAPH_INTROSPECTION", "1")),
            cors_origins=tuple(
                o.strip() for o in env.get("RESEARCHGRAPH_CORS_ORIGINS", "").split(",") if o.strip()
            ),
            json_logs=_flag(env.get("RESEARCHGRAPH_JSON_LOGS", "1")),
            jwt_secret=env.get("RESEARCHGRAPH_JWT_SECRET") or None,
            token_lifetime=timedelta(seconds=_number(env, "RESEARCHGRAPH_TOKEN_LIFETIME", 86_400)),
            invitations_per_day=int(_number(env, "RESEARCHGRAPH_INVITATIONS_PER_DAY", 20)),
            admin_emails=_admin_emails(env.get("RESEARCHGRAPH_ADMIN_EMAILS", "")),
        )
        settings.check()
        return settings

    def with_overrides(
        self, *, store: str | None = None, data_dir: Path | None = None, debug: bool | None = None
    ) -> Settings:
        """These settings with the command line's choices on top."""
        updated = replace(
            self,
            store=_store_kind(store) if store else self.store,
            data_dir=data_dir if data_dir is not None else self.data_dir,
            debug=self.debug if debug is None else debug,
        )
        updated.check()
        return updated

    def check(self) -> None:
        """Raise SettingsError when the settings cannot work together."""
        if self.store == "neo4j" and not self.neo4j_uri:
            raise SettingsError(
                "--store neo4j needs NEO4J_URI (for example bolt://127.0.0.1:7687); "
                "`researchgraph neo4j start` runs a local server and prints it"
            )
        if self.jwt_secret is not None and len(self.jwt_secret) < MIN_JWT_SECRET_LENGTH:
            raise SettingsError(
                f"RESEARCHGRAPH_JWT_SECRET must be at least {MIN_JWT_SECRET_LENGTH} characters"
            )

    def token_secret(self) -> str:
        """The key bearer tokens are signed and checked with.

        RESEARCHGRAPH_JWT_SECRET when set. Otherwise the embedded store makes one on first use
        and keeps it in ``<data-dir>/jwt-secret`` (readable by its owner only), so tokens
        outlive a restart. A Neo4j deployment must set it: every API process in front of the
        database has to sign and check with the same key.
        """
        if self.jwt_secret is not None:
            return self.jwt_secret
        if self.store == "neo4j":
            raise SettingsError(
                "--store neo4j needs RESEARCHGRAPH_JWT_SECRET, the key every API process "
                f"signs tokens with ({MIN_JWT_SECRET_LENGTH}+ characters, for example from "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return _stored_secret(self.data_dir.resolve() / JWT_KEY_FILE)


@functools.cache
def _stored_secret(path: Path) -> str:
    """The secret in ``path``, made first if missing (atomically: two processes agree)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        try:
            # link() fails when the name exists: the first process to get here wins.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink(missing_ok=True)
    secret = path.read_text().strip()
    if len(secret) < MIN_JWT_SECRET_LENGTH:
        raise SettingsError(f"{path} holds no usable secret: delete it to make a new one")
    return secret


def _store_kind(value: str) -> StoreKind:
    if value == "embedded":
        return "embedded"
    if value == "neo4j":
        return "neo4j"
    raise SettingsError(f"unknown store {value!r}: expected 'embedded' or 'neo4j'")


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError as error:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from error
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {raw!r}")
    return value


def _admin_emails(raw: str) -> frozenset[str]:
    """Comma-separated addresses, normalised as accounts store them."""
    emails = set()
    for entry in (e.strip() for e in raw.split(",")):
        if not entry:
            continue
        try:
            emails.add(normalize_email(entry))
        except ClientError as error:
            raise SettingsError(
                f"RESEARCHGRAPH_ADMIN_EMAILS: {entry!r} is not an email address"
            ) from error
    return frozenset(emails)


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}
