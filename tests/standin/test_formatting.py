"""Telegram's text rules as the stand-in applies them."""

import pytest

from bot.standin.formatting import EntityParseError, bot_command_entities, parse_html, trim


def test_nested_tags_give_sorted_entities_in_utf16_units() -> None:
    text, entities = parse_html(
        "🚨 <b>Dienst <i>nu</i></b> <a href='https://x.nl/?a=1&amp;b=2'>link</a>"
    )

    assert text == "🚨 Dienst nu link"
    assert entities == [
        {"offset": 3, "length": 9, "type": "bold"},
        {"offset": 10, "length": 2, "type": "italic"},
        {"offset": 13, "length": 4, "type": "text_link", "url": "https://x.nl/?a=1&b=2"},
    ]


def test_link_without_href_points_at_its_text() -> None:
    assert parse_html("🚨 <a>https://x.nl</a>") == (
        "🚨 https://x.nl",
        [{"offset": 3, "length": 12, "type": "text_link", "url": "https://x.nl"}],
    )


def test_entities_and_stray_ampersands() -> None:
    assert parse_html("a &lt;b&gt; &#916; &#x394; &quot; & &nbsp;") == (
        'a <b> Δ Δ " & &nbsp;',
        [],
    )


def test_pre_with_code_language_is_one_entity() -> None:
    _, entities = parse_html('<pre><code class="language-python">x = 1</code></pre> <code>y</code>')

    assert entities == [
        {"offset": 0, "length": 5, "type": "pre", "language": "python"},
        {"offset": 6, "length": 1, "type": "code"},
    ]


def test_spoilers_quotes_and_empty_tags() -> None:
    text, entities = parse_html(
        '<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>'
        "<blockquote expandable>c</blockquote><b></b>"
    )

    assert text == "abc"
    assert [e["type"] for e in entities] == ["spoiler", "spoiler", "expandable_blockquote"]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("Jan <Piet>", 'Unsupported start tag "piet" at byte offset 4'),
        ("é < 3", 'Unsupported start tag "" at byte offset 3'),
        ("<b>vet", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>vet</i>", 'Unmatched end tag at byte offset 6, expected "</b>", found "</i>"'),
        ("vet</b>", "Unexpected end tag at byte offset 3"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="x>y', "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_broken_html_is_refused_like_telegram(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(html)

    assert str(caught.value) == f"can't parse entities: {error}"


def test_trim_strips_whitespace_and_clips_entities() -> None:
    text, entities = parse_html("\n <b> vet </b>\n")

    assert trim(text, entities) == ("vet", [{"offset": 0, "length": 3, "type": "bold"}])
    assert trim(" \n ", []) == ("", [])


@pytest.mark.parametrize(
    ("text", "commands"),
    [
        ("/start", ["/start"]),
        ("/start@achtervang_test_bot extra", ["/start@achtervang_test_bot"]),
        ("zie /help en /rooster_week.", ["/help", "/rooster_week"]),
        ("a/b, http://x.nl/path, /x@ab", []),
    ],
)
def test_bot_command_entities(text: str, commands: list[str]) -> None:
    found = [text[e["offset"] : e["offset"] + e["length"]] for e in bot_command_entities(text)]

    assert found == commands
