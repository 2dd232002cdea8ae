"""`researchgraph users create` and the token settings: secrets, lifetimes, clear errors."""

from __future__ import annotations

import asyncio
import io
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from graphstore.engines.embedded_store import EmbeddedStore
from researchgraph import cli
from researchgraph.settings import JWT_KEY_FILE, Settings, SettingsError

ORCID = "0000-0002-1825-0097"


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run the CLI in this process with a password on (non-terminal) standard input."""
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("NEO4J_URI", "RESEARCHGRAPH_STORE", "RESEARCHGRAPH_JWT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_users_create_makes_an_administrator(
    tmp_path: Path, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path)
    code, out, err = _run(
        clean_env,
        capsys,
        *("users", "create", "--email", "Root@Example.org", "--admin", "--data-dir", data),
        *("--orcid", f"https://orcid.org/{ORCID}", "--orcid-verified"),
    )
    assert (code, err) == (0, "")
    user_id = out.strip()

    async def read() -> None:
        store = EmbeddedStore(tmp_path / "graph.lbdb")
        try:
            (user,) = await store.users([user_id])
            found = await store.credentials("root@example.org")
        finally:
            await store.close()
        assert user is not None
        assert (user.email, user.name, user.has_admin_role) == ("root@example.org", "Root", True)
        assert (user.orcid, user.orcid_verified) == (ORCID, True)
        assert found is not None
        assert found[1].startswith("$argon2id$")

    asyncio.run(read())

    code, _, err = _run(
        clean_env, capsys, "users", "create", "--email", "root@example.org", "--data-dir", data
    )
    assert code == 2
    assert "already has an account" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--email", "nope"), "email"),
        (("--email", "a@example.org", "--orcid-verified"), "orcid"),
        (("--email", "a@example.org", "--orcid", "0000-0002-1825-0098"), "orcid"),
    ],
)
def test_users_create_refuses_bad_input(
    tmp_path: Path,
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
    message: str,
) -> None:
    code, _, err = _run(clean_env, capsys, "users", "create", *extra, "--data-dir", str(tmp_path))
    assert code == 2
    assert message in err
    assert not (tmp_path / "graph.lbdb").exists()  # refused before opening the store


def test_embedded_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first = settings.token_secret()
    assert len(first) >= 32
    path = tmp_path / "data" / JWT_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings(data_dir=tmp_path / "data").token_secret() == first
    assert Settings(data_dir=tmp_path / "other").token_secret() != first
    assert Settings(jwt_secret="s" * 32, data_dir=tmp_path / "x").token_secret() == "s" * 32
    assert not (tmp_path / "x").exists()


def test_token_settings_from_the_environment() -> None:
    env = {
        "RESEARCHGRAPH_JWT_SECRET": "k" * 40,
        "RESEARCHGRAPH_TOKEN_LIFETIME": "3600",
        "RESEARCHGRAPH_INVITATIONS_PER_DAY": "5",
    }
    settings = Settings.from_env(env)
    assert (settings.jwt_secret, settings.token_lifetime, settings.invitations_per_day) == (
        "k" * 40,
        timedelta(hours=1),
        5,
    )
    defaults = Settings.from_env({})
    assert (defaults.token_lifetime, defaults.invitations_per_day) == (timedelta(days=1), 20)
    with pytest.raises(SettingsError, match="at least 32"):
        Settings.from_env({"RESEARCHGRAPH_JWT_SECRET": "short"})


def test_administrator_emails_from_the_environment() -> None:
    assert Settings.from_env({}).admin_emails == frozenset()
    assert Settings.from_env({"RESEARCHGRAPH_ADMIN_EMAILS": "A@Example.org"}).admin_emails == {
        "a@example.org"
    }
    with pytest.raises(SettingsError, match="'not-an-address' is not an email address"):
        Settings.from_env({"RESEARCHGRAPH_ADMIN_EMAILS": "a@example.org, not-an-address"})


def test_neo4j_needs_a_secret(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(store="neo4j", neo4j_uri="bolt://127.0.0.1:1")
    with pytest.raises(SettingsError, match="RESEARCHGRAPH_JWT_SECRET"):
        settings.token_secret()
    # `serve` says so in one line before it starts anything.
    clean_env.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    assert cli.main(["serve", "--store", "neo4j"]) == 2
    assert "RESEARCHGRAPH_JWT_SECRET" in capsys.readouterr().err
