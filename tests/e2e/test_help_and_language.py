from sqlalchemy import select

from bot.models import AuditEvent, Coach, Role
from tests.e2e.harness import buttons


async def test_help_lists_the_roles_commands_in_dutch(member):
    anna = await member("Anna de Vries", role=Role.TEAMLEAD)
    assert await anna.ask("/help") == (
        "Wat je kunt doen:\n"
        "/start — Koppel je Telegram-account met een uitnodigingscode\n"
        "/help — Laat zien wat je hier kunt doen\n"
        "/language — Kies Nederlands of Engels\n"
        "/crisis — Een crisismelding doen voor een gezin\n"
        "/resolve — Een crisismelding afsluiten die je oppakte: uitkomst en notitie\n"
        "/alerts — Crisismeldingen die nog open of niet afgesloten zijn\n"
        "/cancel — Stoppen met de vragen waar je stap voor stap mee bezig bent\n"
        "/profile — Mijn telefoonnummer en e-mailadres voor collega's; mijn werkdagen\n"
        "/case — Kaart van een gezin: wie je belt, fase, data\n"
        "/contact — Contact met een gezin van vandaag vastleggen\n"
        "/mycases — Mijn gezinnen, wat het eerst moet\n"
        "/absent — Ziekte, verlof of scholing melden; back-ups worden gevraagd\n"
        "/back — Mijn afwezigheid nu beëindigen: back-ups vrij, overzicht\n"
        "/caseload — Gezinnen per coach tegen hun limiet, wie heeft ruimte\n"
        "/covers — Wie neemt nu voor wie waar, open gaten eerst\n"
        "/now — Wie heeft nu dienst, en wie daarna\n"
        "/roster — Het dienstrooster van de week, per dag\n"
        "/myshifts — Mijn komende diensten\n"
        "/swap — Een van mijn diensten aan het team aanbieden\n"
        "/calendar — Mijn diensten voor mijn agenda-app (.ics)\n"
        "/visit — Begin een huisbezoek: tot wanneer; alarm als je niet terug bent\n"
        "/back_safe — Veilig terug van mijn huisbezoek\n"
        "/sos — Gevaar op huisbezoek: waarschuw nu de dienstdoende coach\n"
        "/visits — Lopende huisbezoeken, te laat eerst (teamleider, dienst)\n"
        "/override — Een dienst aan een coach toewijzen (teamleider)\n"
        "/rota — Roulaties, werkdagen en een voorgesteld rooster (teamleider)\n"
        "/rosterreport — Dienstrooster-uren, gaten en conflicten (teamleider)\n"
        "/assign — Een gezin een coach en back-up geven (teamleider)\n"
        "/phase — De fase van een casus wijzigen (teamleider)\n"
        "/evaluation — De volgende evaluatiedatum van een gezin vastleggen (teamleider)\n"
        "/waitlist — De wachtlijst op volgorde, of de plek van één gezin\n"
        "/waitlist_add — Een aanmelding op de wachtlijst zetten (teamleider)\n"
        "/intake — Een wachtend gezin aan een coach toewijzen (teamleider)\n\n"
        "Huisbezoek: stuur /visit met tot wanneer (bijvoorbeeld /visit tot 15:30, of /visit "
        "CODE 90m); heb je dan nog niet op Veilig terug gedrukt, dan vraag ik het nog één keer "
        "en waarschuw ik de dienstdoende collega, met je telefoonnummer en gedeelde locatie.\n"
        "In gevaar? Stuur /sos: de dienstdoende collega wordt meteen gewaarschuwd."
    )


async def test_switch_to_english_with_the_button_and_back_by_argument(
    standin, member, sessionmaker
):
    anna = await member("Anna de Vries")
    await anna.say("/language")
    question = await anna.reply()
    assert question["text"] == "Welke taal zal ik gebruiken?"
    assert buttons(question) == {"Nederlands": "lang:nl", "English": "lang:en"}

    await anna.press(question, "lang:en")
    edited = await anna.reply()
    assert edited["message_id"] == question["message_id"]
    assert edited["text"] == "From now on I will speak English with you."
    assert (await anna.ask("/help")).startswith("What you can do:\n/start — Link your")
    menu = standin.commands(scope={"type": "chat", "chat_id": anna.user_id})
    assert menu[1]["description"] == "Show what you can do here"

    assert await anna.ask("/language nl") == "Vanaf nu spreek ik Nederlands met je."
    async with sessionmaker() as session:
        coach = await session.scalar(select(Coach).where(Coach.name == "Anna de Vries"))
        assert coach.language == "nl"
        changes = (
            await session.scalars(
                select(AuditEvent.detail).where(AuditEvent.action == "language.set")
            )
        ).all()
        assert changes == ["en", "nl"]


async def test_unknown_language_changes_nothing(member, sessionmaker):
    anna = await member("Anna de Vries")
    assert await anna.ask("/language fr") == "Onbekende taal. Kies uit: nl, en."
    async with sessionmaker() as session:
        coach = await session.scalar(select(Coach).where(Coach.name == "Anna de Vries"))
        assert coach.language == "nl"
