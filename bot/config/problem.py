"""A problem with a configured value, worded so it can be translated when it is shown: the
English text is a gettext msgid (marked with N_) and the values are filled in afterwards."""

from __future__ import annotations


class ConfigProblem(ValueError):
    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid % params if params else msgid)
        self.msgid = msgid
        self.params = params
