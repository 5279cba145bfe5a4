"""The second channel: a crisis alert that cannot reach a coach in Telegram, or that nobody
takes in time, also goes out through Apprise (e-mail to a local SMTP server, a JSON webhook
to a local listener), once, with the case code and no case details."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config.second_channel import SecondChannelConfig
from bot.config.team import TeamConfig
from bot.models import Alert, AuditEvent, OutboxMessage, OutboxStatus
from bot.scheduling.jobs import run_alert_tick
from tests.e2e.conftest import coach_named
from tests.e2e.harness import buttons
from tests.e2e.second_channel_setup import body_of, listener, mailbox, wait_for
from tests.e2e.team_setup import crisis_config, crisis_team

EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # Monday 20:00 in Amsterdam: Bram's piket


@pytest.fixture
async def smtp():
    async with mailbox() as box:
        yield box


@pytest.fixture
async def webhook():
    async with listener() as found:
        yield found


@pytest.fixture
def config(smtp, webhook) -> TeamConfig:
    second = SecondChannelConfig.model_validate(
        {
            "after": "30s",
            "members": {"Bram Jansen": [smtp.url("bram@gemeente.test")]},
            "duties": {"piket_second": [webhook.url("piket-second")]},
        }
    )
    return crisis_config().model_copy(update={"second_channel": second})


@pytest.fixture
def scheduler_tick() -> float:
    return 3600.0


@pytest.fixture
async def team(member, sessionmaker):
    return await crisis_team(member, sessionmaker)


async def _fallbacks(sessionmaker) -> list[tuple[str, OutboxStatus]]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "alert_fallback")
        )
        return [(row.key, row.status) for row in rows]


async def test_a_piket_coach_who_blocked_the_bot_gets_the_alert_by_email(
    team, standin, bot_app, smtp, webhook, sessionmaker, clock
):
    clock.set(EVENING)
    await team["Eva"].ask("/profile phone 06 11112222")
    standin.block(team["Bram"].user_id)
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")

    # Within the step: the clock has not moved at all.
    await wait_for(lambda: smtp.received, "the e-mail to Bram")
    [mail] = smtp.received
    assert mail["To"] == "bram@gemeente.test"
    assert mail["Subject"] == "🚨 Crisismelding GZ-1042"
    body = body_of(mail)
    assert "Crisismelding GZ-1042 is gedaan door Eva Mulder op ma 23 nov 20:00" in body
    assert "Terugbellen: +31611112222" in body
    assert "Ik pak het op" in body
    # Nothing of the case beyond its code leaves Telegram.
    for detail in ("vader dreigt", "moeder", "veiligheidsplan", "Anna", "uitvoering"):
        assert detail not in body and detail not in mail["Subject"]
    # Meanwhile the alert went on to the second line in Telegram.
    fleur = await team["Fleur"].reply()
    assert fleur["text"].startswith("🚨 CRISISMELDING GZ-1042")

    # Later ticks send Bram nothing more (Fleur's own 30 s have not passed).
    clock.advance(timedelta(seconds=20))
    await run_alert_tick(bot_app)
    assert len(smtp.received) == 1
    bram = await coach_named(sessionmaker, "Bram Jansen")
    async with sessionmaker() as session:
        alert_id = await session.scalar(select(Alert.id))
    key = f"fallback:alert:{alert_id}:0:0:{bram.id}"
    assert await _fallbacks(sessionmaker) == [(key, OutboxStatus.SENT)]
    async with sessionmaker() as session:
        events = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "alert.second_channel")
            )
        )
    assert [(e.outcome, e.subject, e.detail) for e in events] == [
        ("sent", "GZ-1042", f"alert {alert_id} by mailto (refused)")
    ]


async def test_an_alert_not_taken_in_time_goes_to_the_duty_webhook(
    team, bot_app, smtp, webhook, sessionmaker, clock
):
    # Fleur holds the second line; the team's second-line phone gets a webhook.
    clock.set(EVENING)
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    await team["Bram"].reply()
    # Bram's step (60 s) runs out; Fleur is alerted at the second line.
    clock.advance(timedelta(seconds=61))
    await run_alert_tick(bot_app)
    assert (await team["Fleur"].reply())["text"].startswith("🚨 CRISISMELDING GZ-1042")
    # Bram's own address had its copy once his 30 s had passed.
    assert len(smtp.received) == 1
    clock.advance(timedelta(seconds=29))
    await run_alert_tick(bot_app)
    assert webhook.posts == []
    clock.advance(timedelta(seconds=2))
    await run_alert_tick(bot_app)
    await wait_for(lambda: webhook.posts, "the webhook post")
    [post] = webhook.posts
    assert post["path"] == "/piket-second"
    assert post["title"] == "🚨 Crisismelding GZ-1042"
    assert "door Bram Jansen" not in post["message"] and "Eva Mulder" in post["message"]
    assert "vader dreigt" not in post["message"]
    clock.advance(timedelta(seconds=5))
    await run_alert_tick(bot_app)
    assert len(webhook.posts) == 1


async def test_a_taken_alert_sends_nothing_on_the_second_channel(
    team, bot_app, smtp, webhook, sessionmaker, clock
):
    clock.set(EVENING)
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    alert = await team["Bram"].reply()
    await team["Bram"].press(alert, buttons(alert)["Ik pak het op"])
    clock.advance(timedelta(seconds=45))
    await run_alert_tick(bot_app)
    assert smtp.received == [] and webhook.posts == []
    assert await _fallbacks(sessionmaker) == []


async def test_an_alert_telegram_keeps_failing_goes_by_email_after_three_tries(
    team, standin, bot_app, smtp, sessionmaker, clock
):
    clock.set(EVENING)
    # Every message to Bram fails with a server error, as when Telegram is down for him.
    bram = team["Bram"]
    standin.fail_randomly(["sendMessage"], 1.0, [{"error_code": 500}], chat_id=bram.user_id)
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    # Tries 2 and 3 after the urgent backoff of 1 s and 2 s; the mail goes with the third.
    clock.advance(timedelta(seconds=1))
    await run_alert_tick(bot_app)
    assert smtp.received == []
    clock.advance(timedelta(seconds=2))
    await run_alert_tick(bot_app)
    await wait_for(lambda: smtp.received, "the e-mail after three failures")
    assert smtp.received[0]["Subject"] == "🚨 Crisismelding GZ-1042"
    # Telegram keeps being retried as well; the mail is not sent again.
    clock.advance(timedelta(seconds=4))
    await run_alert_tick(bot_app)
    assert len(smtp.received) == 1
    async with sessionmaker() as session:
        details = [
            e.detail
            for e in await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "alert.second_channel")
            )
        ]
    assert [d.split(" by ")[1] for d in details] == ["mailto (failing)"]


async def test_after_unblocking_the_coach_takes_it_from_alerts(
    team, standin, bot_app, smtp, sessionmaker, clock
):
    clock.set(EVENING)
    bram = team["Bram"]
    standin.block(bram.user_id)
    await team["Eva"].ask("/crisis GZ-1042 moeder belt, vader dreigt")
    await wait_for(lambda: smtp.received, "the e-mail to Bram")
    assert "stuur /alerts" in body_of(smtp.received[0])

    # As the e-mail says: unblock the bot and send /alerts.
    standin.unblock(bram.user_id)
    await bram.say("/alerts")
    listing = await bram.reply()
    assert list(buttons(listing)) == ["Ik pak het op: GZ-1042"]
    await bram.press(listing, buttons(listing)["Ik pak het op: GZ-1042"])
    told = await team["Eva"].reply()
    assert told["text"].startswith("Bram Jansen heeft je crisismelding GZ-1042 opgepakt")
    # Someone the alert never went to sees the list without a button.
    anna = team["Anna"]
    await anna.say("/alerts")
    assert buttons(await anna.reply()) == {}
