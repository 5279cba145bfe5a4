"""The types of the PTB Application and bot the scheduler, the poller and the runners are handed."""

from __future__ import annotations

from typing import Any, TypeAlias

from telegram.ext import Application, ExtBot

# The context and job-queue parameters stay open: PTB types CallbackContext.application with
# an unbound context type, so a job's `context.application` could not be passed on otherwise.
# ExtBot's parameter is the type of its rate limiter's arguments.
TeamBot: TypeAlias = ExtBot[Any]
TeamApplication: TypeAlias = Application[
    TeamBot, Any, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
