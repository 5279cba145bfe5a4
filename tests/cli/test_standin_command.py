"""An operator can run the stand-in on its own and point `achtervang run` at it."""

import asyncio
import os
import signal
import sys

import aiohttp
from telegram import Bot


async def test_standin_serves_the_bot_api_and_the_control_side(tmp_path):
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "standin",
        "--port",
        "0",
        cwd=tmp_path,
        env=dict(os.environ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        lines = [(await asyncio.wait_for(proc.stdout.readline(), 30)).decode() for _ in range(3)]
        assert lines[0].startswith("Bot API stand-in draait op http://127.0.0.1:")
        base_url = lines[1].strip().removeprefix("TELEGRAM_API_BASE_URL=")
        token = lines[2].strip().removeprefix("TELEGRAM_BOT_TOKEN=")

        async with Bot(token, base_url=base_url) as bot:
            assert bot.username == "achtervang_test_bot"
            control = base_url.removesuffix("/bot") + "/control"
            async with aiohttp.ClientSession() as http:
                await http.post(f"{control}/users", json={"user_id": 7, "first_name": "Anna"})
                await http.post(f"{control}/send", json={"user_id": 7, "text": "/help"})
            updates = await bot.get_updates(timeout=5)
            assert updates[0].message.text == "/help"
            assert updates[0].effective_user.first_name == "Anna"
    finally:
        proc.send_signal(signal.SIGINT)
        await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0
