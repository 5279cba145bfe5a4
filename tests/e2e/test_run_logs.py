"""What `achtervang run` writes to its log while it works: what an operator needs, nothing else.

No line per scheduler tick or per Bot API request at INFO, never the bot token (the Bot API
client puts it in every URL it logs), never a case code above DEBUG; LOG_FORMAT=json gives one
JSON object per line.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal

from tests.cli.conftest import operator_env, spawn

CODE = "ALM-0417"
CASES = f"code,coach\n{CODE},Anna de Vries\n"


async def run_briefly(standin, database_url, tmp_path, **settings: str) -> str:
    """Enrols Anna, lets her look up and report a crisis for her family, then stops the bot."""
    env = operator_env(
        database_url,
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        **settings,
    )
    add = await spawn(tmp_path, env, "coach", "add", "Anna de Vries")
    out, err = await asyncio.wait_for(add.communicate(), 60)
    assert add.returncode == 0, err.decode()
    code = re.search(r"start=([A-Z0-9]{12})", out.decode())[1]
    (tmp_path / "cases.csv").write_text(CASES)
    imported = await spawn(tmp_path, env, "import", "cases", "cases.csv")
    assert (await asyncio.wait_for(imported.wait(), 60)) == 0

    bot = await spawn(tmp_path, env, "run", stdout=asyncio.subprocess.DEVNULL)
    try:
        standin.add_user(31337, "Anna", language_code="nl")
        await standin.send_message(31337, f"/start {code}")
        assert (await standin.next_message(31337, timeout=30))["text"].startswith("Welkom")
        await standin.send_message(31337, f"/case {CODE}")
        assert CODE in (await standin.next_message(31337, timeout=10))["text"]
        await standin.send_message(31337, f"/crisis {CODE} Vader dreigt, moeder belt")
        assert await standin.next_message(31337, timeout=10)
        # Alert deadlines are checked every second: several ticks go by.
        await asyncio.sleep(4)
    finally:
        bot.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(bot.communicate(), 30)
    assert bot.returncode == 0, err.decode()[-2000:]
    return err.decode()


async def test_json_log_at_info_is_quiet_and_tells_no_secrets(
    standin, engine, database_url, tmp_path
):
    log = await run_briefly(standin, database_url, tmp_path, LOG_FORMAT="json")

    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert lines, "the bot logged nothing at all"
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    chatty = [
        entry
        for entry in lines
        if entry["logger"].startswith(("apscheduler", "httpx", "httpcore"))
        and entry["level"] in ("DEBUG", "INFO")
    ]
    assert chatty == []
    assert standin.token not in log
    assert standin.token.split(":")[1] not in log
    assert CODE not in log


async def test_debug_log_shows_requests_with_the_token_blanked(
    standin, engine, database_url, tmp_path
):
    log = await run_briefly(standin, database_url, tmp_path, LOG_LEVEL="debug")

    requests = [
        line for line in log.splitlines() if " bot.transport.bot_api_http: HTTP Request:" in line
    ]
    assert requests, log[-2000:]
    assert all("/bot<token>/" in line for line in requests), requests[:3]
    assert standin.token not in log
    assert standin.token.split(":")[1] not in log
