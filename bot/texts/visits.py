"""How home visits read: the safety alert for colleagues, and the coach's own messages with
their buttons. Dutch first through the catalogue; times in the team's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.i18n import N_, Translator
from bot.models import Alert, Visit, VisitStatus
from bot.texts.roster import WHEN

SAFE = N_("✅ Safely back")
EXTEND = N_("⏱ Extend %(minutes)d min")
SOS = N_("🆘 SOS")
HHMM = "HH:mm"


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    at: datetime


@dataclass(frozen=True)
class SafetyFacts:
    """What a safety alert shows, read when each of its messages is worded."""

    coach: str
    phone: str | None
    visit: Visit
    sos: bool
    place: Place | None


def map_link(place: Place) -> str:
    lat, lon = f"{place.latitude:.5f}", f"{place.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def safety_card(tr: Translator, alert: Alert, facts: SafetyFacts) -> str:
    visit = facts.visit
    lines = [tr._("🆘 SAFETY ALERT: %(name)s", name=facts.coach)]
    if facts.sos:
        lines.append(tr._("%(name)s pressed SOS during a home visit.", name=facts.coach))
    else:
        lines.append(
            tr._(
                "%(name)s has not checked out of a home visit that should have ended at %(end)s.",
                name=facts.coach,
                end=tr.time(visit.expected_end or alert.raised_at, HHMM),
            )
        )
    if visit.case_code:
        lines.append(tr._("Family: %(code)s", code=visit.case_code))
    lines.append(tr._("On the visit since %(when)s.", when=tr.time(visit.started_at, HHMM)))
    if visit.note:
        lines.append(tr._("Note: %(note)s", note=visit.note))
    if visit.status == VisitStatus.ENDED:
        pass  # over: where they were is deleted and no longer anyone's business
    elif facts.place is not None:
        lines.append(
            tr._(
                "Last known location (%(when)s): %(link)s",
                when=tr.time(facts.place.at, HHMM),
                link=map_link(facts.place),
            )
        )
    else:
        lines.append(tr._("No location shared."))
    lines.append(tr._("Phone: %(phone)s", phone=facts.phone or tr._("not known")))
    lines += ["", tr._("Call them now. No answer and danger? Call 112.")]
    return "\n".join(lines)


def safe_line(tr: Translator, name: str, at: datetime) -> str:
    return tr._("✅ %(name)s is safely back (%(when)s).", name=name, when=tr.time(at, HHMM))


def visit_buttons(
    tr: Translator, visit: Visit, extend_by: timedelta
) -> list[list[tuple[str, str]]]:
    minutes = int(extend_by.total_seconds() // 60)
    return [
        [(tr._(SAFE), f"visit:safe:{visit.id}")],
        [
            (tr._(EXTEND, minutes=minutes), f"visit:ext:{visit.id}"),
            (tr._(SOS), f"visit:sos:{visit.id}"),
        ],
    ]


def length_buttons(visit: Visit) -> list[list[tuple[str, str]]]:
    return [[(f"{m} min", f"visit:len:{visit.id}:{m}") for m in (30, 60, 90, 120)]]


def about(tr: Translator, visit: Visit) -> str:
    """'for GZ-1042' when the visit names a family, else nothing."""
    return tr._(" (%(code)s)", code=visit.case_code) if visit.case_code else ""


def started(tr: Translator, visit: Visit, reminder: timedelta, grace: timedelta) -> str:
    assert visit.expected_end is not None
    lines = [
        tr._(
            "Home visit%(about)s noted until %(end)s.",
            about=about(tr, visit),
            end=tr.time(visit.expected_end, HHMM),
        )
    ]
    if visit.note:
        lines.append(tr._("Note: %(note)s", note=visit.note))
    lines += [
        tr._(
            "I remind you %(before)d minutes before. Not checked out %(grace)d minutes after "
            "the end? Then I ask once more and alert the colleague on duty.",
            before=int(reminder.total_seconds() // 60),
            grace=int(grace.total_seconds() // 60),
        ),
        tr._(
            "Optional: share your live location for this visit (📎 → Location → Share live "
            "location). Colleagues only see it in a safety alert; it is deleted when you are "
            "back."
        ),
    ]
    return "\n".join(lines)


def arrived_late(tr: Translator, visit: Visit, received: datetime) -> str:
    """For a /visit that reached the bot late: its times count from when it was sent
    (visit.started_at), and an end that had passed by then was moved to when it arrived."""
    told = tr._(
        "Note: your /visit reached me late: you sent it on %(sent)s, I received it on "
        "%(received)s. Its times count from when you sent it.",
        sent=tr.datetime(visit.started_at, WHEN),
        received=tr.datetime(received, WHEN),
    )
    if visit.expected_end is not None and visit.expected_end <= received:
        told += " " + tr._(
            "The end you gave had passed by then, so it ends now: press Safely back if you "
            "are back."
        )
    return told


def ask_length(tr: Translator, visit: Visit) -> str:
    return tr._("How long will the home visit%(about)s take?", about=about(tr, visit))


def reminder(tr: Translator, visit: Visit) -> str:
    if visit.expected_end is None:  # reminders are planned from it
        raise ValueError(f"visit {visit.id} has no end")
    return tr._(
        "Your home visit%(about)s ends at %(end)s. Back safely? Press Safely back, or extend.",
        about=about(tr, visit),
        end=tr.time(visit.expected_end, HHMM),
    )


def last_call(tr: Translator, visit: Visit, alarm: datetime) -> str:
    if visit.expected_end is None:  # the last call is planned from it
        raise ValueError(f"visit {visit.id} has no end")
    return tr._(
        "You have not checked out of your home visit%(about)s (until %(end)s). Are you safe? "
        "Press Safely back now, or the colleague on duty is alerted at %(when)s.",
        about=about(tr, visit),
        end=tr.time(visit.expected_end, HHMM),
        when=tr.time(alarm, HHMM),
    )


def alerted(tr: Translator) -> str:
    return tr._(
        "No check-out: a safety alert went to the colleague on duty. If you are safe, press "
        "Safely back."
    )
