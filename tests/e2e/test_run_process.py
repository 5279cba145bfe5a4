"""The operator's path: `achtervang coach add`, then `achtervang run` pointed at a local Bot API."""

import asyncio
import re
import signal

from tests.cli.conftest import operator_env, spawn


async def test_installed_bot_enrols_a_coach_and_answers_help(
    standin, engine, database_url, tmp_path
):
    env = operator_env(
        database_url, TELEGRAM_BOT_TOKEN=standin.token, TELEGRAM_API_BASE_URL=standin.base_url
    )

    add = await spawn(tmp_path, env, "coach", "add", "Anna de Vries")
    out, err = await asyncio.wait_for(add.communicate(), 60)
    assert add.returncode == 0, err.decode()
    # The username came from getMe on the stand-in.
    link = re.search(r"https://t.me/achtervang_test_bot\?start=([A-Z0-9]{12})", out.decode())
    assert link, out.decode()

    bot = await spawn(tmp_path, env, "run", stdout=asyncio.subprocess.DEVNULL)
    try:
        standin.add_user(31337, "Anna", language_code="nl")
        await standin.send_message(31337, f"/start {link[1]}")
        welcome = await standin.next_message(31337, timeout=30)
        assert welcome["text"].startswith("Welkom, Anna de Vries!")

        await standin.send_message(31337, "/language en")
        assert (await standin.next_message(31337, timeout=10))["text"].startswith("From now on")
        await standin.send_message(31337, "/help")
        assert (await standin.next_message(31337, timeout=10))["text"].startswith(
            "What you can do:"
        )
    finally:
        bot.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(bot.communicate(), 30)
    assert bot.returncode == 0, err.decode()[-2000:]


async def test_a_token_telegram_refuses_stops_with_one_line(
    standin, engine, database_url, tmp_path
):
    env = operator_env(
        database_url, TELEGRAM_BOT_TOKEN="999:revoked-token", TELEGRAM_API_BASE_URL=standin.base_url
    )
    bot = await spawn(tmp_path, env, "run", stdout=asyncio.subprocess.DEVNULL)
    _, err = await asyncio.wait_for(bot.communicate(), 60)
    assert bot.returncode == 2
    last = err.decode().strip().splitlines()[-1]
    assert last == ("Configuratiefout: TELEGRAM_BOT_TOKEN: Telegram accepteert dit token niet")
    assert "Traceback" not in err.decode()
