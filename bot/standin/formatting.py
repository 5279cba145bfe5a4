"""Text formatting as Telegram applies it: HTML parse mode, trimming, bot_command entities.

Telegram counts entity offsets in UTF-16 code units and reports parse errors with byte
offsets into the UTF-8 source; both are reproduced so that a bot that forgets to escape a
user's name fails here exactly as it would in production.
"""

import re
from dataclasses import dataclass, field

_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
# tdlib refuses a command glued to a word, a slash or an angle bracket on either side.
_BOT_COMMAND = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>@])")


class EntityParseError(ValueError):
    """The text is rejected the way Telegram rejects it ("can't parse entities: ...")."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def bot_commands(text: str) -> list[str]:
    return [m.group() for m in _BOT_COMMAND.finditer(text)]


def bot_command_entities(text: str) -> list[dict]:
    return [
        {
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group()),
            "type": "bot_command",
        }
        for m in _BOT_COMMAND.finditer(text)
    ]


def trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Strip surrounding whitespace like Telegram does, clipping entities to what remains."""
    body = text.strip()
    if not body:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    end = lead + utf16_len(body)
    clipped = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            clipped.append({**entity, "offset": start - lead, "length": stop - start})
    return body, clipped


@dataclass
class _OpenTag:
    name: str
    offset: int  # UTF-16 units, for the entity
    text_start: int  # code points, for reading the tagged text back
    attributes: dict[str, str] = field(default_factory=dict)


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.out_len = 0
        self.out_chars = 0
        self.open: list[_OpenTag] = []
        self.entities: list[dict] = []

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode())

    def fail(self, message: str) -> EntityParseError:
        return EntityParseError(f"can't parse entities: {message}")

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.out_len += utf16_len(text)
        self.out_chars += len(text)

    def at_end(self) -> bool:
        return self.pos >= len(self.src)

    def skip_spaces(self) -> None:
        while not self.at_end() and self.src[self.pos].isspace():
            self.pos += 1

    def read_until_space_or_gt(self) -> str:
        start = self.pos
        while not self.at_end() and not self.src[self.pos].isspace() and self.src[self.pos] != ">":
            self.pos += 1
        return self.src[start : self.pos].lower()

    def parse(self) -> tuple[str, list[dict]]:
        while not self.at_end():
            char = self.src[self.pos]
            if char == "&":
                self.entity_reference()
            elif char == "<":
                begin = self.pos
                self.pos += 1
                if not self.at_end() and self.src[self.pos] == "/":
                    self.end_tag(begin)
                else:
                    self.start_tag(begin)
            else:
                self.emit(char)
                self.pos += 1
        if self.open:
            raise self.fail(
                f'Can\'t find end tag corresponding to start tag "{self.open[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def entity_reference(self) -> None:
        # An "&" that starts no known entity is kept literally, as Telegram does.
        match = _HTML_ENTITY.match(self.src, self.pos)
        decoded = None
        if match and match.group(3):
            decoded = _NAMED_ENTITIES.get(match.group(3))
        elif match:
            code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
            decoded = chr(code) if 0 < code <= 0x10FFFF else None
        if decoded is None or match is None:
            self.emit("&")
            self.pos += 1
            return
        self.emit(decoded)
        self.pos = match.end()

    def start_tag(self, begin: int) -> None:
        name = self.read_until_space_or_gt()
        if self.at_end():
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        if name not in _TAG_ENTITY:
            raise self.fail(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        tag = _OpenTag(name, self.out_len, self.out_chars)
        while True:
            self.skip_spaces()
            if self.at_end():
                raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if self.src[self.pos] == ">":
                self.pos += 1
                break
            attribute, value = self.attribute(name, begin)
            tag.attributes[attribute] = value
        if name == "span" and tag.attributes.get("class") != "tg-spoiler":
            raise self.fail(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.open.append(tag)

    def attribute(self, tag_name: str, begin: int) -> tuple[str, str]:
        start = self.pos
        while (
            not self.at_end()
            and self.src[self.pos] not in "=>/"
            and not self.src[self.pos].isspace()
        ):
            self.pos += 1
        name = self.src[start : self.pos].lower()
        if not name:
            raise self.fail(
                f'Empty attribute name in the tag "{tag_name}" at byte offset '
                f"{self.byte_offset(begin)}"
            )
        self.skip_spaces()
        if self.at_end() or self.src[self.pos] != "=":
            return name, ""
        self.pos += 1
        self.skip_spaces()
        if self.at_end():
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        quote = self.src[self.pos]
        if quote in "'\"":
            end = self.src.find(quote, self.pos + 1)
            if end < 0:
                raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            value = _unescape(self.src[self.pos + 1 : end])
            self.pos = end + 1
            return name, value
        token_start = self.pos
        while not self.at_end() and (self.src[self.pos].isalnum() or self.src[self.pos] in ".-"):
            self.pos += 1
        if not self.at_end() and not self.src[self.pos].isspace() and self.src[self.pos] != ">":
            raise self.fail(
                f"Unexpected end of name token at byte offset {self.byte_offset(token_start)}"
            )
        return name, self.src[token_start : self.pos].lower()

    def end_tag(self, begin: int) -> None:
        self.pos += 1
        name = self.read_until_space_or_gt()
        self.skip_spaces()
        if self.at_end() or self.src[self.pos] != ">":
            raise self.fail(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        self.pos += 1
        if not self.open:
            raise self.fail(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        tag = self.open.pop()
        if name and name != tag.name:
            raise self.fail(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{tag.name}>", found "</{name}>"'
            )
        self.close(tag)

    def close(self, tag: _OpenTag) -> None:
        length = self.out_len - tag.offset
        if length <= 0:
            return
        entity: dict = {"offset": tag.offset, "length": length, "type": _TAG_ENTITY[tag.name]}
        if tag.name == "a":
            entity["url"] = tag.attributes.get("href") or "".join(self.out)[tag.text_start :]
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attributes.get("emoji-id", "")
        elif tag.name == "blockquote" and "expandable" in tag.attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "code" and tag.attributes.get("class", "").startswith("language-"):
            # Only kept until the enclosing <pre> closes; parse_html drops it otherwise.
            entity["language"] = tag.attributes["class"].removeprefix("language-")
        elif tag.name == "pre":
            self.merge_code_into_pre(entity)
        self.entities.append(entity)

    def merge_code_into_pre(self, pre: dict) -> None:
        # <pre><code class="language-x"> is one pre entity with a language, not two entities.
        for inner in list(self.entities):
            same_span = (inner["offset"], inner["length"]) == (pre["offset"], pre["length"])
            if inner["type"] == "code" and same_span:
                self.entities.remove(inner)
                if inner.get("language"):
                    pre["language"] = inner["language"]


def _unescape(value: str) -> str:
    parser = _HtmlParser(value)
    while not parser.at_end():
        if value[parser.pos] == "&":
            parser.entity_reference()
        else:
            parser.emit(value[parser.pos])
            parser.pos += 1
    return "".join(parser.out)


def parse_html(source: str) -> tuple[str, list[dict]]:
    parser = _HtmlParser(source)
    text, entities = parser.parse()
    for entity in entities:
        if entity["type"] == "code" and "language" in entity:
            del entity["language"]
    return text, entities
