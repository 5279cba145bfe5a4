#!/usr/bin/env bash
# Re-pins the whole dependency tree, with hashes, after a change to pyproject.toml's
# dependencies (or to take newer releases on purpose): requirements.txt for running the bot,
# requirements-dev.txt for tests and lint. Review the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
python3 -m venv .venv-lock
.venv-lock/bin/pip install --quiet "uv==${UV_VERSION}"
compile() {
  .venv-lock/bin/uv pip compile pyproject.toml --universal --python-version 3.11 \
    --generate-hashes --no-header --quiet --upgrade "$@"
}
compile -o requirements.txt
compile --extra test -o requirements-dev.txt
rm -rf .venv-lock
