"""Files the bot writes hold case codes and who works where: the owner alone may read them.

Checked under the usual umask 022, with which files would otherwise come out 0644.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot import schema
from bot.db import make_engine
from bot.demo_data import DEMO_CONFIG_PATH


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def loose_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def test_the_sqlite_database_and_its_wal_and_shm_are_owner_only(tmp_path):
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'team.sqlite3'}")
    try:
        await schema.upgrade(engine)
        files = sorted(tmp_path.iterdir())
        assert [f.name for f in files] == ["team.sqlite3", "team.sqlite3-shm", "team.sqlite3-wal"]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        await engine.dispose()


async def test_an_existing_world_readable_database_is_tightened(tmp_path):
    (tmp_path / "old.sqlite3").touch(mode=0o644)
    (tmp_path / "old.sqlite3").chmod(0o644)
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    await engine.dispose()
    assert mode(tmp_path / "old.sqlite3") == 0o600


async def test_the_cli_creates_database_audit_and_roster_exports_owner_only(cli, tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "ACHTERVANG_CONFIG": str(DEMO_CONFIG_PATH),
    }
    assert (await cli("db", "upgrade", env=env)).code == 0
    assert (await cli("demo-data", env=env)).code == 0
    audit = await cli("audit", "export", "--since", "2026-01-01", "--csv", "audit.csv", env=env)
    assert audit.code == 0, audit.err
    roster = await cli("roster", "export", "--ics", "roster.ics", env=env)
    assert roster.code == 0, roster.err
    backup = await cli("db", "backup", "cli.backup", env=env)
    assert backup.code == 0, backup.err

    written = ["cli.sqlite3", "audit.csv", "roster.ics", "cli.backup"]
    assert {name: mode(tmp_path / name) for name in written} == dict.fromkeys(written, 0o600)
