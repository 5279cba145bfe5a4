"""/contact CODE [note]: a coach records today's contact with a family from the field."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.handlers.context import AchtervangContext
from bot.handlers.required import message_of
from bot.services.cases import views as case_views
from bot.services.cases.example import example_code
from bot.texts.cases import day


async def record(update: Update, context: AchtervangContext) -> None:
    tr, runtime = context.tr, context.runtime
    message = message_of(update)
    if not context.args:
        async with runtime.sessionmaker() as session:
            example = await example_code(session, runtime.config)
        await message.reply_text(
            tr._(
                "Which family did you have contact with? Send /contact CODE, and if you like a "
                "short note after it, for example /contact %(example)s home visit.",
                example=example,
            )
        )
        return
    code, note = context.args[0], " ".join(context.args[1:]).strip() or None
    if note is not None and len(note) > case_views.NOTE_MAX:
        await message.reply_text(
            tr._(
                "The note is too long (at most %(max)d characters). Nothing was recorded.",
                max=case_views.NOTE_MAX,
            )
        )
        return
    now = runtime.clock.now()
    async with runtime.sessionmaker() as session:
        result = await case_views.contact(session, runtime.config, context.member, code, note, now)
        await session.commit()
    if result.recorded is not None:
        text = tr._(
            "Contact with %(code)s recorded for today, %(date)s.",
            code=result.recorded.code,
            date=day(tr, runtime.config.local_date(now)),
        )
    elif result.ambiguous is not None:
        text = tr._(
            "Several families match '%(query)s': %(codes)s. Send the whole code.",
            query=code[:40],
            codes=", ".join(result.ambiguous.codes),
        )
    elif result.refused:
        text = tr._(
            "Only the family's coach, its backups and the team leads can record a contact. "
            "Nothing was recorded."
        )
    else:
        text = tr._("No family with a code like '%(query)s'.", query=code[:40])
    await message.reply_text(text)


HANDLERS = [CommandHandler("contact", record)]
