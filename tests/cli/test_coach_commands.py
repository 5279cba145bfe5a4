import re

CODE = re.compile(r"Uitnodigingscode voor (?P<name>.+): (?P<code>[A-Z0-9]{12})")


async def test_coach_add_prints_code_and_link(cli, engine):
    result = await cli(
        "coach",
        "add",
        "Anna  de Vries",
        "--role",
        "teamlead",
        "--fte",
        "0.8",
        env={"TELEGRAM_BOT_USERNAME": "@achtervang_almelo_bot"},
    )
    assert result.code == 0, result.err
    match = CODE.search(result.out)
    assert match and match["name"] == "Anna de Vries"
    assert f"Link: https://t.me/achtervang_almelo_bot?start={match['code']}" in result.out
    assert "Geldig tot" in result.out

    listed = await cli("coach", "list")
    assert re.search(r"Anna de Vries\s+teamlead\s+0.80\s+8\s+nl\s+niet aangemeld", listed.out)


async def test_duplicate_name_and_bad_role_change_nothing(cli, engine):
    assert (await cli("coach", "add", "Anna de Vries")).code == 0
    again = await cli("coach", "add", "anna de vries")
    assert again.code == 1
    assert again.err.strip() == "Er is al iemand met de naam anna de vries."
    bad_role = await cli("coach", "add", "Bob", "--role", "chef")
    assert bad_role.code == 2
    listed = await cli("coach", "list")
    header, row = listed.out.splitlines()
    assert header.split() == ["Naam", "Rol", "fte", "Limiet", "Taal", "Status"]
    assert row.startswith("Anna de Vries ")
    # The columns line up under their headings.
    assert header.index("Limiet") + len("Limiet") == row.index(" 10 ") + len(" 10")


async def test_without_username_or_token_the_code_is_still_usable(cli, engine):
    result = await cli("coach", "add", "Bram Jansen")
    assert "Stuur in een privéchat met de bot: /start " in result.out


async def test_invite_and_deactivate(cli, engine):
    await cli("coach", "add", "Bram Jansen")
    invited = await cli("coach", "invite", "bram jansen")
    assert CODE.search(invited.out)["name"] == "Bram Jansen"
    gone = await cli("coach", "deactivate", "Bram Jansen")
    assert gone.out.strip() == "Bram Jansen heeft geen toegang meer."
    assert (await cli("coach", "invite", "Bram Jansen")).code == 1


async def test_names_are_checked_and_someone_holding_families_stays_active(cli, sessionmaker):
    from sqlalchemy import func, select

    from bot.models import Case, Coach

    too_long = await cli("coach", "add", "A" * 300)
    assert (too_long.code, too_long.err.strip()) == (1, "De naam is langer dan 120 tekens.")
    control = await cli("coach", "add", "Anna\x1bde Vries")
    assert (control.code, control.err.strip()) == (1, "De naam bevat stuurtekens.")

    assert (await cli("coach", "add", "Bram Jansen")).code == 0
    async with sessionmaker() as session:
        bram = await session.scalar(select(Coach).where(Coach.name == "Bram Jansen"))
        session.add(Case(code="GZ-1042", coach_id=bram.id))
        await session.commit()
    refused = await cli("coach", "deactivate", "Bram Jansen")
    assert refused.code == 1
    assert refused.err.startswith("Bram Jansen heeft nog gezinnen (GZ-1042).")
    async with sessionmaker() as session:
        assert await session.scalar(select(Coach.active).where(Coach.name == "Bram Jansen"))
        assert await session.scalar(select(func.count()).select_from(Coach)) == 1
