from __future__ import annotations

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
        return self.application.bot_data["runtime"]
