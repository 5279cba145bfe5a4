"""PTB persistence in the database, for conversations and user_data only.

A conversation's state (and the user_data it keeps, such as the case code a /crisis was given
and the moment of its last step) lives in the active instance's memory; written to the database
every second, it is there for the standby when it takes over. Each of PTB's runs is written in
one transaction (`PersistingApplication`): a state without the moment of its step would read as
stale to the standby. Bot and chat data are not stored: bot_data holds the runtime.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, BasePersistence, PersistenceInput

from bot.models import ConversationState
from bot.operations.log_privacy import exception_outline

log = logging.getLogger(__name__)
CONVERSATION = "conversation"
USER_DATA = "user_data"
# Seconds between writes: what a failover can lose of a conversation.
UPDATE_INTERVAL = 1.0

_Key = tuple[str, str, str]
# PTB's own aliases live in a private module.
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = Any


class DatabasePersistence(BasePersistence[dict, dict, dict]):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        update_interval: float = UPDATE_INTERVAL,
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._sessionmaker = sessionmaker
        # As last read or written, so that only changes are written.
        self._stored: dict[_Key, Any] = {}
        # Written at the end of the run that gave them, or kept for the next if that failed.
        self._pending: dict[_Key, Any] = {}
        self._in_run = False
        self._lock = asyncio.Lock()

    async def _load(self, kind: str, name: str = "") -> dict[str, Any]:
        async with self._sessionmaker() as session:
            rows = await session.execute(
                select(ConversationState.key, ConversationState.data).where(
                    ConversationState.kind == kind, ConversationState.name == name
                )
            )
            loaded = {key: data for key, data in rows}
        for key, data in loaded.items():
            self._stored[(kind, name, key)] = data
        return loaded

    @asynccontextmanager
    async def one_transaction(self) -> AsyncIterator[None]:
        """Every write asked for inside is committed together at the end, or none is."""
        async with self._lock:
            self._in_run = True
            try:
                yield
            finally:
                self._in_run = False
                await self._write_pending()

    async def _put(self, kind: str, name: str, key: str, data: Any) -> None:
        try:
            data = None if data is None else json.loads(json.dumps(data))
        except (TypeError, ValueError):
            log.warning("%s %s not stored: not plain data", kind, name or key)
            return
        self._pending[(kind, name, key)] = data
        if not self._in_run:
            async with self._lock:
                await self._write_pending()

    async def _write_pending(self) -> None:
        pending, self._pending = self._pending, {}
        changes = {k: v for k, v in pending.items() if self._stored.get(k) != v}
        if not changes:
            return
        try:
            async with self._sessionmaker() as session:
                for key, data in changes.items():
                    await _write(session, key, data)
                await session.commit()
        except Exception as error:
            # Kept for the next run (a second from now); whatever was asked since is newer.
            self._pending = {**changes, **self._pending}
            log.error("conversations not stored, tried again: %s", exception_outline(error))
            return
        self._stored.update(changes)

    async def get_conversations(self, name: str) -> ConversationDict:
        loaded = await self._load(CONVERSATION, name)
        return {tuple(json.loads(key)): data["state"] for key, data in loaded.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        data = None if new_state is None else {"state": new_state}
        await self._put(CONVERSATION, name, json.dumps(list(key)), data)

    async def get_user_data(self) -> dict[int, dict]:
        return {int(key): data for key, data in (await self._load(USER_DATA)).items()}

    async def update_user_data(self, user_id: int, data: dict) -> None:
        await self._put(USER_DATA, "", str(user_id), dict(data) or None)

    async def drop_user_data(self, user_id: int) -> None:
        await self._put(USER_DATA, "", str(user_id), None)

    # Not stored (see store_data).
    async def get_chat_data(self) -> dict[int, dict]:
        return {}

    async def get_bot_data(self) -> dict:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        pass

    async def update_bot_data(self, data: dict) -> None:
        pass

    async def update_callback_data(self, data: CDCData) -> None:
        pass

    async def drop_chat_data(self, chat_id: int) -> None:
        pass

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        pass

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        pass

    async def refresh_bot_data(self, bot_data: dict) -> None:
        pass

    async def flush(self) -> None:
        pass


async def _write(session: AsyncSession, key: _Key, data: Any) -> None:
    kind, name, key_text = key
    where = (
        ConversationState.kind == kind,
        ConversationState.name == name,
        ConversationState.key == key_text,
    )
    if data is None:
        await session.execute(delete(ConversationState).where(*where))
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    now = datetime.now(UTC)
    statement = dialect.insert(ConversationState).values(
        kind=kind, name=name, key=key_text, data=data, updated_at=now
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["kind", "name", "key"], set_={"data": data, "updated_at": now}
        )
    )


class PersistingApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's Application, with each persistence run (conversation states and user_data, which
    PTB writes side by side) stored in one transaction."""

    async def update_persistence(self) -> None:
        persistence = self.persistence
        if not isinstance(persistence, DatabasePersistence):
            await super().update_persistence()
            return
        async with persistence.one_transaction():
            await super().update_persistence()
