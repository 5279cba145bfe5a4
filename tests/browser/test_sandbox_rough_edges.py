"""The sandbox page's rough edges, in headless Chromium: nobody picked yet, badges that count
unread messages only (also after a reload), a phone-width window, scrolling to a new reply,
the empty team group, a trace of a pressed "can't", and emoji that are drawn."""

from __future__ import annotations

from tests.browser.test_sandbox_page import ARTIFACTS, CHROMIUM, TIMEOUT_MS, sandbox_url, say

__all__ = ["sandbox_url"]


# How many distinct colours 🚨 is drawn in with the page's fonts: a colour emoji font gives
# many, a missing glyph's empty box one.
COLOURS_OF_AN_EMOJI = """() => {
  const canvas = document.createElement("canvas");
  canvas.width = 40;
  canvas.height = 40;
  const g = canvas.getContext("2d");
  g.font = "30px " + getComputedStyle(document.body).fontFamily;
  g.fillText("🚨", 0, 32);
  const d = g.getImageData(0, 0, 40, 40).data;
  const colours = new Set();
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 200) colours.add([d[i] >> 5, d[i + 1] >> 5, d[i + 2] >> 5].join());
  }
  return colours.size;
}"""


def _page(pw, url: str, width: int = 1200, height: int = 850):
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.locator(".person").first.wait_for()
    return browser, page, errors


def _badged(page) -> list[str]:
    return [b.get_attribute("data-user-id") for b in page.locator(".person:has(.badge)").all()]


def _first_badged(page) -> str:
    """Whoever has the first badge, once the page has caught up with the event log."""
    page.locator(".person .badge").first.wait_for()
    return _badged(page)[0]


def test_nothing_can_be_typed_before_someone_is_picked(sandbox_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser, page, errors = _page(pw, sandbox_url)
        expect(page.locator("#text")).to_be_disabled()
        expect(page.locator("#send")).to_be_disabled()
        expect(page.locator("#text")).to_have_attribute(
            "placeholder", "Kies een persoon om als die persoon met de bot te chatten."
        )
        page.locator("#send").click(force=True)
        page.locator("#text").press("Enter")
        page.locator(".person", has_text="Marieke van Dam").click()
        expect(page.locator("#text")).to_be_enabled()
        say(page, "/now")
        assert errors == []
        browser.close()


def test_badges_count_unread_only_also_after_a_reload(sandbox_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser, page, errors = _page(pw, sandbox_url)
        # The demo's open crisis alert waits unread with whoever it went to.
        expect(page.locator(".person .badge").first).to_be_visible()
        alerted = _badged(page)
        assert alerted
        who = page.locator(f'.person[data-user-id="{alerted[0]}"]')
        who.click()
        expect(who.locator(".badge")).to_have_count(0)
        page.reload()
        page.locator(".person").first.wait_for()
        page.wait_for_timeout(1500)  # the page has caught up with the event log
        assert alerted[0] not in _badged(page)
        assert set(_badged(page)) == set(alerted[1:])
        assert errors == []
        browser.close()


def test_phone_width_empty_group_scrolling_and_a_trace_of_cant(sandbox_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser, page, errors = _page(pw, sandbox_url, width=420, height=800)
        alerted = _first_badged(page)
        page.locator(f'.person[data-user-id="{alerted}"]').click()
        alert = page.locator(".msg.bot", has_text="🚨").last
        expect(alert).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "sandbox-phone.png"))
        # Nothing sticks out sideways, the composer is on screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 420
        box = page.locator("#composer").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 420
        assert box["y"] + box["height"] <= 800

        alert.locator(".keyboard button", has_text="Kan niet").click()
        expect(alert.locator(".pressed")).to_contain_text("Je drukte op: Kan niet — ")
        page.reload()
        page.locator(f'.person[data-user-id="{alerted}"]').click()
        expect(page.locator(".msg.bot .pressed").first).to_contain_text("Kan niet")

        # Scrolled up to read, a new reply still comes into view.
        for command in ("/help", "/roster", "/myshifts"):
            say(page, command)
        page.locator("#messages").evaluate("box => { box.scrollTop = 0; }")
        say(page, "/now")
        at_bottom = page.locator("#messages").evaluate(
            "box => box.scrollHeight - box.scrollTop - box.clientHeight < 5"
        )
        assert at_bottom

        page.locator("#chats button", has_text="Teamgroep").click()
        expect(page.locator("#messages .empty")).to_have_text(
            "Nog geen berichten in de teamgroep. Overdrachten en ruilaanbiedingen verschijnen hier."
        )
        assert errors == []
        browser.close()


def test_emoji_are_drawn(sandbox_url: str) -> None:
    """Looked at by eye too: artifacts/sandbox-emoji.png shows the 🚨 of the crisis alert."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser, page, _ = _page(pw, sandbox_url)
        alerted = _first_badged(page)
        page.locator(f'.person[data-user-id="{alerted}"]').click()
        alert = page.locator(".msg.bot", has_text="🚨").last
        alert.wait_for()
        ARTIFACTS.mkdir(exist_ok=True)
        alert.screenshot(path=str(ARTIFACTS / "sandbox-emoji.png"))
        # A font with colour emoji draws 🚨 wider than the empty box of a missing glyph, and in
        # more than one colour.
        drawn = page.evaluate(COLOURS_OF_AN_EMOJI)
        assert drawn > 3, "no colour emoji font: apt-get install fonts-noto-color-emoji"
        browser.close()
