"""What a CSV cell may hold, read once and checked the same way for every kind: choices, numbers,
yes/no, names, case codes, Dutch or ISO dates and bounded texts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
)

from bot.config.team import Language
from bot.i18n import N_, Translator
from bot.services.team.coaches import BadName, valid_name


@dataclass(frozen=True)
class Text:
    """A message kept as msgid and parameters, so the caller shows it in the reader's language."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, tr: Translator) -> str:
        return tr._(self.msgid, **self.params)

    def __str__(self) -> str:
        return self.msgid % self.params if self.params else self.msgid


class CellError(ValueError):
    """A cell's problem; pydantic keeps the exception, so its Text survives validation."""

    def __init__(self, msgid: str, **params: object) -> None:
        self.text = Text(msgid, params)
        super().__init__(str(self.text))


E = TypeVar("E", bound=Enum)


_DECIMAL = re.compile(r"\d+(?:[.,]\d*)?|[.,]\d+")


_WHOLE = re.compile(r"\d+")


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")


_CASE_CODE = re.compile(r"[A-Z0-9-]{3,32}")


_YES = frozenset({"yes", "true", "ja", "1"})


_NO = frozenset({"no", "false", "nee", "0"})


_NAME_MAX = 120  # Coach.name column width


_REFERRER_MAX = 120  # Case.referrer column width


def _one_of(enum_cls: type[E], default: E) -> BeforeValidator:
    options = [str(member.value) for member in enum_cls]
    choices = ", ".join(options)

    def parse(value: str) -> E:
        if value == "":
            return default
        try:
            return enum_cls(value.lower())
        except ValueError:
            raise CellError(
                N_("'%(value)s' is not one of: %(choices)s"), value=value, choices=choices
            ) from None

    return BeforeValidator(parse)


def _decimal(low: float, high: float, default: float) -> BeforeValidator:
    def parse(value: str) -> float:
        if value == "":
            return default
        if not _DECIMAL.fullmatch(value):
            raise CellError(N_("'%(value)s' is not a number"), value=value)
        number = float(value.replace(",", "."))
        if not low <= number <= high:
            raise CellError(
                N_("must be between %(low)s and %(high)s, not %(value)s"),
                low=f"{low:g}",
                high=f"{high:g}",
                value=value,
            )
        return number

    return BeforeValidator(parse)


def _whole_or_none(low: int, high: int) -> BeforeValidator:
    def parse(value: str) -> int | None:
        if value == "":
            return None
        if not _WHOLE.fullmatch(value):
            raise CellError(N_("'%(value)s' is not a whole number"), value=value)
        number = int(value)
        if not low <= number <= high:
            raise CellError(
                N_("must be between %(low)s and %(high)s, not %(value)s"),
                low=low,
                high=high,
                value=value,
            )
        return number

    return BeforeValidator(parse)


def _yes_no(value: str) -> bool:
    if value == "":
        return True
    if value.lower() in _YES:
        return True
    if value.lower() in _NO:
        return False
    raise CellError(N_("'%(value)s' is not yes or no"), value=value)


def _language_or_none(value: str) -> Language | None:
    if value == "":
        return None
    lowered = value.lower()
    if lowered == "nl":
        return "nl"
    if lowered == "en":
        return "en"
    raise CellError(N_("'%(value)s' is not a language; use nl or en"), value=value)


def _person_name(value: str) -> str:
    try:
        return valid_name(value)
    except BadName as bad:
        if bad.reason == "empty":
            raise CellError(N_("must not be empty")) from None
        if bad.reason == "too_long":
            raise CellError(N_("is longer than %(limit)s characters"), limit=_NAME_MAX) from None
        raise CellError(N_("holds control characters")) from None


def _case_code(value: str) -> str:
    code = value.upper()
    if not code:
        raise CellError(N_("must not be empty"))
    if not _CASE_CODE.fullmatch(code):
        raise CellError(
            N_("'%(value)s' is not a case code (3–32 letters, digits or hyphens)"), value=value
        )
    return code


def _date_or_none(value: str) -> date | None:
    if value == "":
        return None
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := _DUTCH_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        raise CellError(N_("'%(value)s' is not a date; use YYYY-MM-DD or DD-MM-YYYY"), value=value)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(N_("'%(value)s' is not a real date"), value=value) from None


def _text_or_none(limit: int) -> BeforeValidator:
    def parse(value: str) -> str | None:
        if len(value) > limit:
            raise CellError(N_("is longer than %(limit)s characters"), limit=limit)
        return value or None

    return BeforeValidator(parse)


OptionalDate = Annotated[date | None, BeforeValidator(_date_or_none)]


class _Row(BaseModel):
    # Coach objects travel through validation as resolved references, hence arbitrary types.
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


def _context(info: ValidationInfo, key: str) -> Any:
    if not isinstance(info.context, Mapping) or key not in info.context:
        raise RuntimeError(f"row validation needs {key!r} in its context")
    return info.context[key]
