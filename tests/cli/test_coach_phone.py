from sqlalchemy import select

from bot.models import AuditEvent, Coach


async def test_phone_is_normalised_when_added_and_when_set(cli, engine, sessionmaker):
    added = await cli("coach", "add", "Anna de Vries", "--phone", "06-12345678")
    assert added.code == 0, added.err
    changed = await cli("coach", "phone", "anna de vries", "+31 6 8765 4321")
    assert changed.code == 0, changed.err
    assert changed.out.strip() == "Telefoonnummer van Anna de Vries: +31687654321"
    async with sessionmaker() as session:
        coach = await session.scalar(select(Coach))
        assert coach.phone == "+31687654321"
        events = list(await session.scalars(select(AuditEvent)))
    assert all("8765" not in (event.detail or "") for event in events)


async def test_a_bad_number_changes_nothing(cli, engine, sessionmaker):
    bad = await cli("coach", "add", "Bram Jansen", "--phone", "bel me")
    assert bad.code == 1
    assert bad.err.strip() == (
        "'bel me' is geen telefoonnummer. Schrijf het als 06 12345678 of +31 6 12345678."
    )
    await cli("coach", "add", "Bram Jansen")
    assert (await cli("coach", "phone", "Bram Jansen", "12")).code == 1
    async with sessionmaker() as session:
        coaches = list(await session.scalars(select(Coach)))
    assert [(c.name, c.phone) for c in coaches] == [("Bram Jansen", None)]


async def test_email_is_set_when_added_and_later(cli, engine, sessionmaker):
    added = await cli("coach", "add", "Anna de Vries", "--email", "Anna@Almelo.NL")
    assert added.code == 0, added.err
    changed = await cli("coach", "email", "anna de vries", "a.devries@almelo.nl")
    assert changed.out.strip() == "E-mailadres van Anna de Vries: a.devries@almelo.nl"
    bad = await cli("coach", "email", "Anna de Vries", "anna@")
    assert (bad.code, bad.err.strip()) == (1, "'anna@' is geen e-mailadres.")
    async with sessionmaker() as session:
        coach = await session.scalar(select(Coach))
    assert coach.email == "a.devries@almelo.nl"
