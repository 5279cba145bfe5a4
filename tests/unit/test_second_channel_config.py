"""The [second_channel] and [feeds] sections: Apprise URLs checked at load, without the URL
(which may hold a password) in the message."""

from pathlib import Path

import pytest

from bot.config.second_channel import channel_id, scheme
from bot.config.team import ConfigFileError, load_team_config
from bot.i18n import translator


def test_good_urls_load(tmp_path: Path):
    path = tmp_path / "team.toml"
    path.write_text(
        '[second_channel]\nafter = "2m"\n'
        '[second_channel.members]\n"Bram Jansen" = ["mailtos://u:p@smtp.example.nl?to=b@x.nl"]\n'
        '[second_channel.duties]\npiket = ["json://127.0.0.1:9/hook"]\n'
        '[feeds]\nbase_url = "https://achtervang.example.nl/"\n',
        encoding="utf-8",
    )
    config = load_team_config(path)
    assert config.second_channel.after.total_seconds() == 120
    assert config.second_channel.duties["piket"] == ("json://127.0.0.1:9/hook",)
    assert config.feeds.link("/feed/x") == "https://achtervang.example.nl/feed/x"


def test_an_unusable_url_is_refused_without_showing_it(tmp_path: Path):
    path = tmp_path / "team.toml"
    path.write_text(
        '[second_channel.members]\n"Bram Jansen" = ["smsgw://geheim:WACHTWOORD@gw.example.nl"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigFileError) as caught:
        load_team_config(path)
    text = caught.value.text(translator("nl", None))
    assert "smsgw:// is geen URL waar Apprise naar kan sturen" in text
    assert "WACHTWOORD" not in text and "WACHTWOORD" not in str(caught.value)


def test_channels_are_named_by_hash_and_scheme():
    url = "mailtos://u:WACHTWOORD@smtp.example.nl"
    assert scheme(url) == "mailtos"
    assert len(channel_id(url)) == 16 and "WACHTWOORD" not in channel_id(url)
