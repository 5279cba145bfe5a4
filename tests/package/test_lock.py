"""The lock files pin every dependency that pyproject.toml names, each with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        head = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", block)
        if head:
            assert "--hash=sha256:" in block, f"{head.group(1)} in {lock} has no hash"
            found[canonicalize_name(head.group(1))] = head.group(2)
    return found


def declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(name) for name in names]


def test_every_runtime_dependency_is_pinned_within_its_declared_range():
    for lock in ("requirements.txt", "requirements-dev.txt"):
        pinned = pins(lock)
        for requirement in declared():
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{name} missing from {lock}: run scripts/lock.sh"
            assert requirement.specifier.contains(pinned[name]), (lock, name, pinned[name])


def test_test_tools_are_pinned_and_ruff_exactly_as_declared():
    pinned = pins("requirements-dev.txt")
    for requirement in declared("test"):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} missing from requirements-dev.txt: run scripts/lock.sh"
        assert requirement.specifier.contains(pinned[name]), (name, pinned[name])
    assert "ruff" not in pins("requirements.txt")
