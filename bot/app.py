"""Builds the PTB Application: the same code runs against Telegram, the stand-in and tests."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    TypeHandler,
)

from bot.application_type import TeamApplication
from bot.handlers import (
    absent,
    access,
    alerts_list,
    back,
    calendar,
    case_admin,
    case_card,
    case_contact,
    caseload,
    conversation,
    cover,
    crisis,
    edits,
    fallback,
    help_command,
    language,
    my_cases,
    myshifts,
    now,
    override,
    profile,
    resolve,
    roster_report,
    roster_week,
    rota,
    start,
    swap,
    visit,
    waitlist,
    waitlist_add,
)
from bot.handlers.context import AchtervangContext
from bot.handlers.menu import register_all_member_menus, register_public_menu
from bot.operations.api_errors import requests
from bot.operations.persistence import DatabasePersistence, PersistingApplication
from bot.runtime import Runtime
from bot.scheduling import jobs
from bot.services.rosters import rotations
from bot.transport.chat_lanes import ChatLanes
from bot.transport.rate_limit import UrgentFirstRateLimiter

GATE_GROUP = -2
# Shared (live) locations during a home visit: after the gate, before every feature handler,
# so that no handler that ignores edited messages can swallow a live location's update.
LOCATION_GROUP = -1
FEATURE_MODULES = (
    start,
    help_command,
    language,
    profile,
    crisis,
    absent,
    back,
    cover,
    waitlist_add,
    resolve,
    rota,
    alerts_list,
    case_card,
    case_contact,
    my_cases,
    caseload,
    now,
    roster_week,
    myshifts,
    swap,
    calendar,
    override,
    roster_report,
    case_admin,
    waitlist,
    visit,
)


def build_application(
    runtime: Runtime, *, token: str, base_url: str, base_file_url: str
) -> TeamApplication:
    counting = requests()  # Bot API errors by code, for /metrics
    application = (
        ApplicationBuilder()
        .request(counting["request"])
        .get_updates_request(counting["get_updates_request"])
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .context_types(ContextTypes(context=AchtervangContext))
        .defaults(Defaults(tzinfo=ZoneInfo(runtime.config.timezone)))
        .rate_limiter(UrgentFirstRateLimiter())
        # Conversations survive a failover to the standby instance.
        .application_class(PersistingApplication)
        .persistence(DatabasePersistence(runtime.sessionmaker))
        # Updates come from the durable inbox (bot/transport/poller.py), not PTB's Updater.
        .updater(None)
        .concurrent_updates(ChatLanes())
        .post_init(_on_startup)
        .build()
    )
    application.bot_data["runtime"] = runtime
    application.add_handler(TypeHandler(Update, access.gate), group=GATE_GROUP)
    application.add_handlers(edits.HANDLERS)
    application.add_handlers(visit.LOCATION_HANDLERS, group=LOCATION_GROUP)
    for module in FEATURE_MODULES:
        timeout = runtime.config.conversation_timeout
        application.add_handlers(conversation.with_timeouts(module.HANDLERS, timeout))
    application.add_handlers(fallback.HANDLERS)
    application.add_error_handler(fallback.on_error)
    return application


async def _on_startup(application: TeamApplication) -> None:
    runtime: Runtime = application.bot_data["runtime"]
    # The team config's rotations are the initial content of the rota a lead edits with /rota.
    await rotations.import_at_start(runtime.sessionmaker, runtime.config, runtime.clock.now())
    await register_public_menu(application.bot, runtime)
    await register_all_member_menus(application.bot, runtime)
    await jobs.install(application)
