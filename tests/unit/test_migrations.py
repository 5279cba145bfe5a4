"""The migrations are the schema: they must build it from nothing, match the models, and
come back down cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot import schema
from bot.models import Base


async def test_downgrade_to_base_and_back(engine):
    assert await schema.is_current(engine)
    await schema.downgrade(engine, "base")
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert set(tables) <= {"alembic_version"}
    assert not await schema.is_current(engine)
    await schema.upgrade(engine)
    assert await schema.is_current(engine)


async def test_models_and_migrations_agree(engine):
    def diff(sync_conn):
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
