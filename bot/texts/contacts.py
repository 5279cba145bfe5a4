"""How a colleague's phone number reads where someone may need to call them: after the name,
in E.164 (+31612345678), which Telegram turns into a number to tap on every phone."""

from __future__ import annotations

from bot.i18n import Translator


def with_phone(tr: Translator, text: str, phone: str | None) -> str:
    """'Bram Jansen · 📞 +31612345678'; the text alone when no number is known."""
    if not phone:
        return text
    return tr._("%(name)s · 📞 %(phone)s", name=text, phone=phone)
