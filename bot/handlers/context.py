from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import Translator
from bot.models import Coach
from bot.runtime import Runtime


class AchtervangContext(CallbackContext[ExtBot, dict, dict, dict]):
    """PTB builds one context per update; the access gate fills in who is asking."""

    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.coach: Coach | None = None
        self.tr: Translator = self.runtime.translator()

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.application.bot_data["runtime"]
        return runtime

    @property
    def member(self) -> Coach:
        """The coach asking, for a feature: the access gate lets only enrolled members reach
        one, so a missing coach is a registration outside the gate, and fails loudly."""
        if self.coach is None:
            raise LookupError("no coach: this handler runs outside the access gate")
        return self.coach

    @property
    def user_state(self) -> dict[Any, Any]:
        """This user's conversation state (context.user_data, which PTB leaves None for
        updates without a user; every feature's update has one)."""
        if self.user_data is None:
            raise LookupError("this update has no user")
        return self.user_data
