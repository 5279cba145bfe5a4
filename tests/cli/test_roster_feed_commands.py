"""`achtervang roster feed add/revoke/list`: a consumer's token is printed once and only its
hash stored; revoking ends it."""

from sqlalchemy import select

from bot.models import FEED_ROSTER, FeedToken
from bot.services.rosters.feed_tokens import digest


async def test_add_list_and_revoke(cli, engine, sessionmaker):
    added = await cli("roster", "feed", "add", "antwoorddienst")
    assert added.code == 0, added.err
    lines = added.out.splitlines()
    assert lines[0] == "Roosterlinks voor antwoorddienst (alleen nu getoond; houd ze geheim):"
    ics, csv = lines[1].strip(), lines[2].strip()
    assert ics.startswith("/feed/roster/") and ics.endswith(".ics")
    token = ics.removeprefix("/feed/roster/").removesuffix(".ics")
    assert csv == f"/feed/roster/{token}.csv" and len(token) >= 43
    async with sessionmaker() as session:
        (row,) = list(await session.scalars(select(FeedToken)))
    assert (row.kind, row.consumer, row.token_hash) == (
        FEED_ROSTER,
        "antwoorddienst",
        digest(token),
    )
    assert token not in row.token_hash

    listed = await cli("roster", "feed", "list")
    assert listed.out.startswith("antwoorddienst, sinds ")
    revoked = await cli("roster", "feed", "revoke", "antwoorddienst")
    assert revoked.out.strip() == "De roosterlink van antwoorddienst werkt niet meer."
    again = await cli("roster", "feed", "revoke", "antwoorddienst")
    assert (again.code, again.err.strip()) == (1, "antwoorddienst heeft geen roosterlink.")
    listed = await cli("roster", "feed", "list")
    assert listed.out.strip() == (
        "Geen roosterlinks. Maak er een met: achtervang roster feed add NAAM"
    )
