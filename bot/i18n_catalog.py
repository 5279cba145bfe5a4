"""Developer tooling for the catalogues: extract source strings and update the .po files.

Run `python -m bot.i18n_catalog` after adding or changing texts, then translate the new
Dutch entries (English entries are filled from the English source text).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LANGUAGES, po_path

SOURCE_DIR = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}


CATALOG_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def extract_source_catalog() -> Catalog:
    catalog = Catalog(domain=DOMAIN, creation_date=CATALOG_DATE)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE_DIR), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        catalog.add(
            message, None, [(f"bot/{filename}", lineno)], auto_comments=comments, context=context
        )
    return catalog


def read_language(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as po_file:
        return read_po(po_file, locale=language, domain=DOMAIN)


def update_language(language: str, template: Catalog) -> Catalog:
    catalog = read_language(language)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    if language == "en":
        for message in catalog:
            if message.id and not any(_strings(message)):
                message.string = message.id
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po_file:
        # No source locations and a fixed creation date: an update then touches only the
        # entries that changed, so parallel branches merge without conflicts in the catalogues.
        write_po(po_file, catalog, width=100, omit_header=False, sort_output=True, no_location=True)
    return catalog


def main() -> None:
    template = extract_source_catalog()
    for language in LANGUAGES:
        catalog = update_language(language, template)
        missing = [m.id for m in catalog if m.id and not is_translated(m)]
        print(f"{language}: {len(catalog)} messages, {len(missing)} untranslated")


def _strings(message: Message) -> tuple[str | list[str] | None, ...]:
    # Plural entries carry one string per plural form.
    return message.string if isinstance(message.string, tuple) else (message.string,)


def is_translated(message: Message) -> bool:
    return all(_strings(message)) and not message.fuzzy


if __name__ == "__main__":
    main()
