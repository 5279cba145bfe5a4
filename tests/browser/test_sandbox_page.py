"""The sandbox page in a real browser: `achtervang sandbox` as a user starts it, driven in
headless Chromium (Debian's package) through Playwright."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest

from bot.demo_data import demo_config

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
TIMEOUT_MS = 10_000


def _need_browser() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "playwright is not installed (pip install -e '.[test]')"
    else:
        if CHROMIUM.exists():
            return
        problem = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("ACHTERVANG_REQUIRE_BROWSER") == "1":
        pytest.fail(problem)
    pytest.skip(problem)


@pytest.fixture
def sandbox_url(tmp_path: Path) -> Iterator[str]:
    """`python -m bot sandbox` on a free port and an empty database; yields the page URL."""
    _need_browser()
    log = (tmp_path / "sandbox.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "sandbox", "--port", "0", "--database-url",
         f"sqlite:///{tmp_path / 'sandbox.sqlite3'}"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )  # fmt: skip
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)  # the process closed its output: it ended

    threading.Thread(target=read, daemon=True).start()
    try:
        while (line := lines.get(timeout=60)) is not None:
            if match := re.search(r"http://127\.0\.0\.1:\d+/sandbox/", line):
                yield match.group()
                break
        else:
            pytest.fail("the sandbox ended early:\n" + (tmp_path / "sandbox.log").read_text())
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_a_coach_asks_who_is_on_duty_and_pages_the_roster(sandbox_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    names = demo_config().duties.members()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        page = browser.new_page(viewport={"width": 1200, "height": 850})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(sandbox_url)

        expect(page.locator("#who")).to_have_text("Wie ben je?")
        expect(page.locator(".person", has_text="Ingrid Scholten")).to_contain_text("teamleider")
        page.locator(".person", has_text="Marieke van Dam").click()
        expect(page.locator("#chat-title")).to_contain_text("Marieke van Dam")

        say(page, "/now")
        now = page.locator(".msg.bot").last
        expect(now).to_contain_text("Dienst op ")
        assert any(name in now.inner_text() for name in names), now.inner_text()

        say(page, "/roster")
        roster = page.locator(".msg.bot").last
        expect(roster).to_contain_text("Rooster week ")
        message_id = roster.get_attribute("data-message-id")
        shown = page.locator(".msg.bot").count()
        forward = roster.locator(".keyboard button", has_text="▶")
        next_week = re.search(r"week (\d+)", forward.inner_text())[1]
        forward.click()

        # Telegram edits the message in place: same message, next week, marked as edited.
        edited = page.locator(f'.msg.bot[data-message-id="{message_id}"]')
        expect(edited).to_contain_text(f"Rooster week {next_week} (")
        expect(edited.locator(".edited")).to_be_visible()
        assert page.locator(".msg.bot").count() == shown

        say(page, "/calendar")
        document = page.locator(".msg.bot .document").last
        expect(document).to_contain_text(".ics")
        download = page.request.get(urljoin(sandbox_url, document.get_attribute("href")))
        assert download.text().startswith("BEGIN:VCALENDAR")

        # A family of her own from /mycases, then its full card.
        say(page, "/mycases")
        code = re.search(r"ALM-\d{4}", page.locator(".msg.bot").last.inner_text()).group(0)
        say(page, f"/case {code}")
        card = page.locator(".msg.bot").last
        expect(card).to_contain_text(f"📁 {code}")
        expect(card).to_contain_text("Coach: Marieke van Dam")
        expect(card).to_contain_text("Fase: ")

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "sandbox.png"), full_page=True)
        print(f"screenshot: {ARTIFACTS / 'sandbox.png'}")
        browser.close()


def say(page, text: str) -> None:
    """Types into the composer and sends, then waits for the bot's answer to appear."""
    answers = page.locator(".msg.bot").count()
    page.locator("#text").fill(text)
    page.locator("#text").press("Enter")
    page.locator(".msg.bot").nth(answers).wait_for()
