"""Translations and local formatting.

Catalogues are compiled from the committed .po files when first needed, so a fresh install
has working translations without a build step and can never run on stale .mo files.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
DOMAIN = "messages"


def locales_dir() -> Path:
    override = os.environ.get("ACHTERVANG_LOCALES_DIR")
    return Path(override) if override else Path(__file__).resolve().parent / "locales"


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated where it is shown."""
    return message


def po_path(language: str) -> Path:
    return locales_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(language: str) -> Translations:
    with po_path(language).open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def supported(language: str | None) -> str:
    """Maps a Telegram language_code such as 'en-GB' onto a language we have."""
    base = (language or "").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Translator:
    """Everything needed to speak to one user: their language and the team's time zone."""

    language: str
    tz: ZoneInfo

    @property
    def _catalog(self) -> Translations:
        return _translations(self.language)

    def _(self, message: str, **params: object) -> str:
        text = self._catalog.gettext(message)
        return text % params if params else text

    def n_(self, singular: str, plural: str, n: int, **params: object) -> str:
        text = self._catalog.ngettext(singular, plural, n)
        return text % {"n": n, **params}

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.language)

    def date(self, value: date, fmt: str = "medium") -> str:
        return format_date(value, format=fmt, locale=self.locale)

    # Before the datetime method, which would otherwise stand for `datetime` in its annotation.
    def time(self, value: datetime, fmt: str = "short") -> str:
        return format_time(value, format=fmt, tzinfo=self.tz, locale=self.locale)

    def datetime(self, value: datetime, fmt: str = "medium") -> str:
        return format_datetime(value, format=fmt, tzinfo=self.tz, locale=self.locale)


def translator(language: str | None, tz: ZoneInfo) -> Translator:
    return Translator(supported(language), tz)
