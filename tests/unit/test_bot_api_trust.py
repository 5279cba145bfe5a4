"""Which certificates the Bot API client trusts (bot/transport/bot_api_http.py): those httpx
trusted before it, so that a server whose CA store is empty or dated still reaches Telegram."""

from __future__ import annotations

from pathlib import Path

import certifi
import pytest

from bot.transport.bot_api_http import trust_store


def _authorities(context) -> int:
    return context.cert_store_stats()["x509_ca"]


def test_certifis_bundle_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    bundle = Path(certifi.where()).read_text()

    assert _authorities(trust_store()) == bundle.count("BEGIN CERTIFICATE")


def test_a_bundle_named_in_the_environment_instead(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = Path(certifi.where()).read_text()
    first = bundle[bundle.index("-----BEGIN CERTIFICATE-----") :]
    first = first[: first.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")]
    own = tmp_path / "municipal-ca.pem"
    own.write_text(first + "\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(own))

    assert _authorities(trust_store()) == 1
