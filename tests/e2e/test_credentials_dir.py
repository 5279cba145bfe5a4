"""Secrets from files, as systemd's LoadCredential= and container secrets hand them over."""

from __future__ import annotations

import asyncio
import re

from tests.cli.conftest import operator_env, spawn


async def test_the_token_is_read_from_the_credentials_directory(
    standin, engine, database_url, tmp_path
):
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "TELEGRAM_BOT_TOKEN").write_text(standin.token + "\n")
    env = operator_env(
        database_url,
        TELEGRAM_API_BASE_URL=standin.base_url,
        CREDENTIALS_DIRECTORY=str(credentials),
    )
    env.pop("TELEGRAM_BOT_TOKEN", None)

    add = await spawn(tmp_path, env, "coach", "add", "Anna de Vries")
    out, err = await asyncio.wait_for(add.communicate(), 60)
    assert add.returncode == 0, err.decode()
    # The username in the link came from getMe, asked with the token from the file.
    assert re.search(r"https://t.me/achtervang_test_bot\?start=[A-Z0-9]{12}", out.decode())
