"""Configuration errors as a team lead or an IT department reads them: in the user's
language, one line per root cause, naming the field, and for a misspelt field the closest
valid name. Pydantic's own (English) wording never reaches the user."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bot.config.problem import ConfigProblem
from bot.i18n import N_, Translator

# Pydantic error types and how they read; ctx values are filled in as parameters.
_MESSAGES = {
    "missing": N_("is required"),
    "int_parsing": N_("must be a whole number, not %(value)s"),
    "int_type": N_("must be a whole number, not %(value)s"),
    "int_from_float": N_("must be a whole number, not %(value)s"),
    "float_parsing": N_("must be a number, not %(value)s"),
    "float_type": N_("must be a number, not %(value)s"),
    "bool_parsing": N_("must be true or false, not %(value)s"),
    "bool_type": N_("must be true or false, not %(value)s"),
    "string_type": N_("must be text in quotes, not %(value)s"),
    "string_pattern_mismatch": N_("%(value)s has characters or a form that is not allowed"),
    "greater_than_equal": N_("must be at least %(ge)s, not %(value)s"),
    "greater_than": N_("must be more than %(gt)s, not %(value)s"),
    "less_than_equal": N_("must be at most %(le)s, not %(value)s"),
    "less_than": N_("must be less than %(lt)s, not %(value)s"),
    "date_parsing": N_("must be a date such as 2026-03-01, not %(value)s"),
    "date_type": N_("must be a date such as 2026-03-01, not %(value)s"),
    "date_from_datetime_parsing": N_("must be a date such as 2026-03-01, not %(value)s"),
    "datetime_type": N_("must be a date such as 2026-03-01, not %(value)s"),
    "list_type": N_("must be a list [ … ], not %(value)s"),
    "tuple_type": N_("must be a list [ … ], not %(value)s"),
    "too_short": N_("needs at least %(min_length)s items"),
    "too_long": N_("may have at most %(max_length)s items"),
    "model_type": N_("must be a section (a TOML table), not %(value)s"),
    "model_attributes_type": N_("must be a section (a TOML table), not %(value)s"),
    "dict_type": N_("must be a section (a TOML table), not %(value)s"),
    "url_parsing": N_("must be a URL, not %(value)s"),
}
_INVALID = N_("is not valid: %(value)s")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in typing.get_args(annotation):
        found += _models_in(arg)
    if isinstance(annotation, types.UnionType):
        for arg in annotation.__args__:
            found += _models_in(arg)
    return found


def _fields_at(model: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    """The field names (as written in the file) valid at `path` inside `model`."""
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            field = next((f for f in model.model_fields.values() if f.alias == part), None)
        inner = _models_in(field.annotation) if field is not None else []
        if not inner:
            return []
        model = inner[0]
    return [f.alias or name for name, f in model.model_fields.items()]


def _extra(tr: Translator, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    valid = _fields_at(model, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
    if close:
        return tr._("unknown field; did you mean '%(name)s'?", name=close[0])
    if valid:
        return tr._("unknown field; known here: %(names)s", names=", ".join(valid))
    return tr._("unknown field")


def _literal(tr: Translator, err: ErrorDetails) -> str:
    options = re.findall(r"'[^']*'|-?\d+", str(err.get("ctx", {}).get("expected", "")))
    return tr._(
        "must be one of %(options)s, not %(value)s",
        options=", ".join(options),
        value=_shown(err.get("input")),
    )


def problem_text(tr: Translator, err: ErrorDetails, model: type[BaseModel]) -> str:
    """One pydantic error, worded for the reader."""
    kind = err["type"]
    loc = tuple(err["loc"])
    if kind == "extra_forbidden":
        return _extra(tr, model, loc)
    if kind in ("literal_error", "enum"):
        return _literal(tr, err)
    if kind in ("value_error", "assertion_error"):
        error = err.get("ctx", {}).get("error")
        if isinstance(error, ConfigProblem):
            return tr._(error.msgid, **error.params)
        return tr._(_INVALID, value=str(error or err.get("input")))
    ctx = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, int | float | str)}
    params = {**ctx, "value": _shown(err.get("input"))}
    return tr._(_MESSAGES.get(kind, _INVALID), **params)


def root_causes(exc: ValidationError) -> list[ErrorDetails]:
    """The errors that are not the consequence of another: a list found too short because
    one of its items was bad says nothing the item's own error does not."""
    errors = exc.errors()
    locs = [tuple(e["loc"]) for e in errors]
    return [
        e
        for e, loc in zip(errors, locs, strict=True)
        if not any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs)
    ]


def field_name(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top)"


def describe(tr: Translator, exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """'alerts.chain.0.wait: must be a duration …', one per root cause."""
    return [
        f"{field_name(tuple(e['loc']))}: {problem_text(tr, e, model)}" for e in root_causes(exc)
    ]
