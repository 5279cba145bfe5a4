"""The built wheel works on its own: no source tree, no editable install.

Builds the wheel, unpacks it into an empty directory and runs `achtervang` from there, with
the test environment's dependencies but without its site-packages hooks (the editable install
of this checkout lives there and would hide a file missing from the wheel).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = "import sys; from bot.cli.main import main; sys.argv[0] = 'achtervang'; main()"


PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run([*PIP, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    (built,) = wheels.glob("achtervang-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run([*PIP, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def achtervang(site: Path, cwd: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACHTERVANG_", "TELEGRAM_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]])
    env["DATABASE_URL"] = f"sqlite:///{cwd / 'wheel.sqlite3'}"
    # -S: no site hooks, so only the unpacked wheel can provide `bot`.
    return subprocess.Popen(
        [sys.executable, "-S", "-c", LAUNCH, *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def run_to_end(site: Path, cwd: Path, *args: str) -> str:
    proc = achtervang(site, cwd, *args)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return out


def test_the_wheel_carries_its_licence_as_an_spdx_expression(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        headers = archive.read(metadata).decode()
        (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        text = archive.read(licence).decode()
    assert "License-Expression: EUPL-1.2" in headers.splitlines()
    assert text.startswith("                      EUROPEAN UNION PUBLIC LICENCE v. 1.2")


def test_the_wheel_speaks_dutch_migrates_and_loads_the_demo_team(installed: Path, tmp_path: Path):
    where = run_to_end(installed, tmp_path, "--help")
    assert "Achtervang" in where

    out = run_to_end(installed, tmp_path, "db", "upgrade")
    assert re.search(r"Databaseschema bijgewerkt van base naar \w+\.", out), out

    out = run_to_end(installed, tmp_path, "demo-data")
    assert "Demoteam geladen: 12 personen, 70 gezinnen" in out, out
    # The demo rosters are read from the installed package, not from a checkout.
    assert str(installed) in out, out


def test_the_wheel_serves_the_sandbox_page(installed: Path, tmp_path: Path):
    proc = achtervang(
        installed,
        tmp_path,
        "sandbox",
        "--port",
        "0",
        "--database-url",
        f"sqlite:///{tmp_path / 'sandbox.sqlite3'}",
    )
    try:
        url = None
        for line in proc.stdout:
            found = re.search(r"(http://127\.0\.0\.1:\d+/sandbox/)", line)
            if found:
                url = found.group(1)
                break
        assert url, proc.stderr.read() if proc.poll() is not None else "no URL printed"
        assert "Proefomgeving draait" in line
        with urllib.request.urlopen(url, timeout=10) as response:
            page = response.read().decode()
        assert "<html" in page.lower()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
