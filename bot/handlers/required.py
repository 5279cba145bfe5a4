"""What a handler needs and PTB or a service result types as optional. PTB types one Update
for every kind: a command handler always gets a message and a user, a button handler a query
with data. A result's fields are optional across outcomes but set for the one at hand. A
missing one is a wrong registration or a broken invariant, and fails loudly here."""

from __future__ import annotations

from typing import TypeVar

from telegram import CallbackQuery, Chat, Message, Update, User

T = TypeVar("T")


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


def text_of(message: Message) -> str:
    """The text of a message a text filter let through."""
    if message.text is None:
        raise LookupError("this message has no text")
    return message.text


def user_of(update: Update) -> User:
    """Who sent a message or pressed a button (channel posts, which have none, are not ours)."""
    user = update.effective_user
    if user is None:
        raise LookupError("this update has no user")
    return user


def chat_of(update: Update) -> Chat:
    chat = update.effective_chat
    if chat is None:
        raise LookupError("this update has no chat")
    return chat


def present(value: T | None, what: str) -> T:
    """`value`, which the outcome at hand guarantees (e.g. the offer of an accepted swap)."""
    if value is None:
        raise LookupError(f"{what} is missing")
    return value
