"""A command answers only when it is in both lists: its handler in bot/app.py's
FEATURE_MODULES and its entry (roles, groups) in bot/handlers/registry.py. The access gate
refuses a command it cannot find in the registry ("I don't know that command"), so a handler
added without an entry would be refused without any error: this test names the one missing."""

from telegram.ext import BaseHandler, CommandHandler, ConversationHandler

from bot.app import FEATURE_MODULES
from bot.handlers import registry


def _commands(handler: BaseHandler) -> set[str]:
    if isinstance(handler, CommandHandler):
        return set(handler.commands)
    if isinstance(handler, ConversationHandler):
        inner = [*handler.entry_points, *handler.fallbacks]
        inner += [h for state in handler.states.values() for h in state]
        return set().union(*(_commands(h) for h in inner)) if inner else set()
    return set()


def test_every_handled_command_is_registered_and_every_registered_one_handled():
    handled = {
        command: module.__name__
        for module in FEATURE_MODULES
        for handler in module.HANDLERS
        for command in _commands(handler)
    }
    registered = {spec.name for spec in registry.COMMANDS}
    unregistered = sorted(f"/{c} ({handled[c]})" for c in set(handled) - registered)
    assert not unregistered, f"add to bot/handlers/registry.py COMMANDS: {unregistered}"
    unhandled = sorted(f"/{c}" for c in registered - set(handled))
    assert not unhandled, f"no handler in bot/app.py FEATURE_MODULES for: {unhandled}"
