"""Fills Dutch translations from a Python file defining NL = {msgid: msgstr}, leaving others.

Usage: python scripts/apply_translations.py FILE.py
"""

import runpy
import sys

from babel.messages.pofile import write_po

from bot.i18n import po_path
from bot.i18n_catalog import read_language

table = runpy.run_path(sys.argv[1])["NL"]
catalog = read_language("nl")
applied = 0
for message in catalog:
    if message.id in table:
        message.string = table[message.id]
        message.flags.discard("fuzzy")
        applied += 1
with po_path("nl").open("wb") as po_file:
    write_po(po_file, catalog, width=100, sort_output=True, no_location=True)
print(f"applied {applied} of {len(table)}")
