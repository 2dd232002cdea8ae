"""Settings from the environment and the command line, in one frozen object.

Every setting has an environment variable (listed in the README's configuration table);
command-line options override the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

StoreKind = Literal["embedded", "neo4j"]


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


def _store_kind(value: str) -> StoreKind:
    if value == "embedded":
        return "embedded"
    if value == "neo4j":
        return "neo4j"
    raise SettingsError(f"unknown store {value!r}: expected 'embedded' or 'neo4j'")


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}
