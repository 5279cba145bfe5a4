"""Restore drill: a team's data, `db backup`, `db restore` into a fresh database, same answers.

Runs on the test database's kind: SQLite by default, PostgreSQL (pg_dump / pg_restore) when
ACHTERVANG_TEST_DATABASE_URL points there.
"""

from __future__ import annotations

import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db import make_engine
from bot.models import Base


@pytest.fixture
async def fresh_url(database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the same kind as the test database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{url.database}_restore"
    admin = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def every_row(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            rows = {}
            for table in Base.metadata.sorted_tables:
                query = select(table).order_by(*table.primary_key.columns)
                rows[table.name] = [tuple(row) for row in await conn.execute(query)]
            version = await conn.execute(text("SELECT version_num FROM alembic_version"))
            rows["alembic_version"] = [tuple(row) for row in version]
            return rows
    finally:
        await engine.dispose()


async def test_backup_and_restore_into_a_fresh_database_give_the_same_answers(
    cli, engine, database_url, fresh_url, tmp_path
):
    assert (await cli("demo-data")).code == 0
    before = await every_row(database_url)
    assert len(before["cases"]) == 70

    made = await cli("db", "backup", "team.backup")
    assert made.code == 0, made.err
    assert made.out.startswith("Back-up geschreven naar team.backup (")
    assert stat.S_IMODE((tmp_path / "team.backup").stat().st_mode) == 0o600

    restored = await cli("db", "restore", "team.backup", env={"DATABASE_URL": fresh_url})
    assert restored.code == 0, restored.err
    assert restored.out.startswith("team.backup teruggezet; het databaseschema staat op ")

    assert await every_row(fresh_url) == before
    listed = await cli("coach", "list")
    assert listed.out == (await cli("coach", "list", env={"DATABASE_URL": fresh_url})).out
    assert "Thijs Brouwer" in listed.out


async def test_restore_refuses_a_database_that_holds_tables(cli, engine, database_url, tmp_path):
    assert (await cli("demo-data")).code == 0
    assert (await cli("db", "backup", "team.backup")).code == 0
    before = await every_row(database_url)

    refused = await cli("db", "restore", "team.backup")
    assert refused.code == 1
    assert refused.err.strip() == (
        "De database bevat al tabellen; terugzetten kan alleen in een lege database. Maak een "
        "nieuwe aan (of zet het SQLite-bestand opzij) en laat DATABASE_URL ernaar wijzen."
    )
    assert await every_row(database_url) == before


async def test_a_backup_never_overwrites_a_file(cli, engine, tmp_path):
    (tmp_path / "precious.txt").write_text("do not touch")
    refused = await cli("db", "backup", "precious.txt")
    assert refused.code == 1
    assert refused.err.strip() == (
        "precious.txt bestaat al; een back-up overschrijft nooit een bestand. Kies een nieuwe naam."
    )
    assert (tmp_path / "precious.txt").read_text() == "do not touch"


async def test_restoring_something_that_is_no_backup_says_so(cli, engine, fresh_url, tmp_path):
    (tmp_path / "notes.txt").write_text("not a database\n" * 100)
    refused = await cli("db", "restore", "notes.txt", env={"DATABASE_URL": fresh_url})
    assert refused.code == 1
    assert refused.err.startswith(("Dit is geen back-up", "Het PostgreSQL-hulpprogramma faalde"))


async def test_without_pg_dump_the_operator_is_told_what_to_install(
    cli, engine, database_url, tmp_path
):
    if make_url(database_url).get_backend_name() == "sqlite":
        pytest.skip("SQLite needs no external tool")
    refused = await cli("db", "backup", "team.backup", env={"PATH": str(tmp_path)})
    assert refused.code == 1
    assert refused.err.startswith("pg_dump is niet gevonden. Installeer de PostgreSQL-clienttools")
    assert not (tmp_path / "team.backup").exists()
