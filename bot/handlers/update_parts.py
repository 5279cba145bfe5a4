"""The parts of an update that a handler's registration guarantees. PTB types them optional,
since it types one Update for every kind; a command handler always gets a message and a
button handler a query with data, so a missing one is a wrong registration, and fails loudly."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update


def message_of(update: Update) -> Message:
    """The message a command or text arrived in, or the one whose button was pressed."""
    message = update.effective_message
    if message is None:
        raise LookupError("this update carries no (accessible) message")
    return message


def query_of(update: Update) -> CallbackQuery:
    """The button press a CallbackQueryHandler was registered for."""
    query = update.callback_query
    if query is None:
        raise LookupError("this update is not a button press")
    return query


def data_of(query: CallbackQuery) -> str:
    """The button's data; our buttons all carry some (a pattern picked the handler)."""
    if query.data is None:
        raise LookupError("this button press carries no data")
    return query.data
