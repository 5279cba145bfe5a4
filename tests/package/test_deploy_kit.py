"""The deployment kit in deploy/: the systemd units verify, and every file names real settings.

The Containerfile and compose file are not built or run here (no container engine); their
secrets are checked against the settings the bot reads.
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ["achtervang.service", "achtervang-backup.service", "achtervang-backup.timer"]
SETTINGS = {field.alias for field in Settings.model_fields.values()}


def unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / name)
    return parser


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    # verify insists that ExecStart's program exists: point it at this environment's.
    here = Path(sys.executable).parent / "achtervang"
    for name in UNITS:
        text = (DEPLOY / name).read_text()
        (tmp_path / name).write_text(text.replace("/opt/achtervang/venv/bin/achtervang", str(here)))
    checked = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / n) for n in UNITS)],
        capture_output=True,
        text=True,
    )
    # Unknown or misspelt directives are only warnings: any output at all fails the test.
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


def test_the_service_restarts_always_is_hardened_and_takes_secrets_from_files():
    service = unit("achtervang.service")["Service"]
    assert service["ExecStart"].endswith("/achtervang run")
    assert service["Restart"] == "always"
    for option, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "UMask": "0077",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[option] == value, option
    credentials = re.findall(r"^LoadCredential=(\w+):", (DEPLOY / UNITS[0]).read_text(), re.M)
    assert set(credentials) == {"TELEGRAM_BOT_TOKEN", "DATABASE_URL"} <= SETTINGS
    assert "Environment" not in service  # no secret written into the unit itself


def test_compose_hands_the_bot_its_secrets_under_the_settings_names():
    compose = (DEPLOY / "compose.yaml").read_text()
    targets = set(re.findall(r"target: (\w+)", compose))
    assert targets == {"TELEGRAM_BOT_TOKEN", "DATABASE_URL"} <= SETTINGS
    assert "CREDENTIALS_DIRECTORY=/run/secrets" in (DEPLOY / "Containerfile").read_text()
    assert "--require-hashes -r /tmp/requirements.txt" in (DEPLOY / "Containerfile").read_text()
