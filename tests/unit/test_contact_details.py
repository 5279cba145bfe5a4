"""Staff contact details: e-mail shape, and the coaches CSV's phone and email columns as a
Dutch spreadsheet writes them."""

import pytest
from sqlalchemy import select

from bot.models import Coach
from bot.services.imports.coaches import import_coaches
from bot.services.team.emails import normalise


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("anna@almelo.nl", "anna@almelo.nl"),
        (" Anna.de.Vries@Almelo.NL ", "Anna.de.Vries@almelo.nl"),
        ("a+piket@gemeente-almelo.nl", "a+piket@gemeente-almelo.nl"),
    ],
)
def test_addresses_keep_their_local_part_and_lower_the_domain(typed, stored):
    assert normalise(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["", "anna", "anna@", "@almelo.nl", "anna@almelo", "anna de vries@almelo.nl", "a@b@c.nl"],
)
def test_what_is_not_an_address_is_refused(typed):
    assert normalise(typed) is None


async def test_the_coaches_csv_takes_phone_and_email_columns(session, config, clock):
    text = "\ufeffname;phone;email\nAnna de Vries;06-12345678;Anna@Almelo.NL\nBram Jansen;;\n"
    report = await import_coaches(session, text, config=config, now=clock.now())
    assert report.ok, report.problems
    await session.commit()
    coaches = {c.name: (c.phone, c.email) for c in await session.scalars(select(Coach))}
    assert coaches == {
        "Anna de Vries": ("+31612345678", "Anna@almelo.nl"),
        "Bram Jansen": (None, None),
    }
    # A file without the columns leaves the numbers alone; an empty cell clears one.
    report = await import_coaches(
        session, "name;fte\nAnna de Vries;0,8\n", config=config, now=clock.now()
    )
    assert report.ok
    report = await import_coaches(
        session, "name;phone;email\nAnna de Vries;;Anna@Almelo.NL\n", config=config, now=clock.now()
    )
    assert report.ok
    await session.commit()
    anna = await session.scalar(select(Coach).where(Coach.name == "Anna de Vries"))
    assert (anna.fte, anna.phone, anna.email) == (0.8, None, "Anna@almelo.nl")


async def test_bad_numbers_and_addresses_are_reported_per_cell(session, config, clock):
    text = "name,phone,email\nAnna de Vries,bel me,anna@\nBram Jansen,0612345678,bram@almelo.nl\n"
    report = await import_coaches(session, text, config=config, now=clock.now())
    assert not report.ok
    assert [(p.line, p.column) for p in report.problems] == [(2, "phone"), (2, "email")]
    assert await session.scalar(select(Coach)) is None
