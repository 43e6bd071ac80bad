"""``main.py slots``: the fairest meeting starts for the roster in the configured database.

    python main.py slots --from 2026-12-01 --days 5 --duration 90 [--step 15]
                         [--members "Name;Name"] [--json] [--weekends] [--limit 10]

``--from`` is a date in the committee's zone; weekdays only (each member's own weekend) unless
``--weekends``. The human table is the default; with ``--json`` standard output carries only a
JSON list (``start_utc`` ISO 8601 with Z, ``score``, ``members`` with ``name``, ``timezone``,
``local_start`` with its offset, ``within_working_hours``...). When no start suits every member,
the best partial starts are given and the members who cannot be accommodated are named on
standard error. Bad arguments: one line on standard error, exit status 2.
"""

import argparse
import dataclasses
import json
import logging
import re
import sys
from datetime import date

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # main.py imports every subcommand: the finder's numpy loads only when used
    from bot.domain import fair_slots as slots
    from bot.config import Settings

NAME = "slots"
HELP = "rank fair meeting starts for the roster (human table or --json)"
log = logging.getLogger("inspir.cli.slots")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadArguments(Exception):
    pass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # Everything is read as text and checked in run(), so a mistake is one clear line.
    parser.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first day, in the committee's zone")
    parser.add_argument("--days", metavar="N", help="number of days")
    parser.add_argument("--duration", metavar="MIN", help="meeting length in minutes")
    parser.add_argument("--step", metavar="MIN", default="15", help="minutes between candidate starts (default 15)")
    parser.add_argument("--members", metavar="NAMES", help='only these members, e.g. "Ana Pérez;Rai Gurung"')
    parser.add_argument("--limit", metavar="N", default="10", help="how many starts to list (default 10)")
    parser.add_argument("--json", action="store_true", help="a JSON list on standard output")
    parser.add_argument("--weekends", action="store_true", help="allow the members' Saturdays and Sundays")


def _integer(value: str | None, option: str, low: int, high: int) -> int:
    if value is None:
        raise BadArguments(f"{option} is required")
    if not re.fullmatch(r"\d{1,6}", value.strip()):
        raise BadArguments(f"{option} must be a whole number, not {value!r}")
    number = int(value)
    if not low <= number <= high:
        raise BadArguments(f"{option} must be between {low} and {high}, not {number}")
    return number


def _date(value: str | None) -> date:
    if value is None:
        raise BadArguments("--from is required (YYYY-MM-DD)")
    try:
        if not DATE.fullmatch(value.strip()):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadArguments(f"--from must be a date like 2026-12-01, not {value!r}") from None


def _query(args: argparse.Namespace, settings: "Settings") -> "slots.SlotQuery":
    from bot.services import polls
    from bot.domain import fair_slots as slots

    first = _date(args.first)
    days = _integer(args.days, "--days", polls.MIN_DAYS, polls.MAX_DAYS)
    duration = _integer(args.duration, "--duration", polls.MIN_DURATION, polls.MAX_DURATION)
    step = _integer(args.step, "--step", polls.MIN_STEP, polls.MAX_STEP)
    limit = _integer(args.limit, "--limit", 1, 1000)
    return slots.SlotQuery(first, days, duration, committee_zone=settings.committee.timezone, step_minutes=step,
                           default_hours=slots.WorkingHours.parse(settings.meetings.working_hours),
                           allow_weekends=args.weekends, limit=limit)


def _chosen(names: str | None, roster: "list[slots.Member]") -> frozenset[str] | None:
    from bot.domain.names import match_name

    if names is None:
        return None
    wanted = [name.strip() for name in names.split(";") if name.strip()]
    if not wanted:
        raise BadArguments("--members names no one (separate names with ;)")
    chosen = set()
    for name in wanted:
        match = match_name(name, roster, lambda member: member.name)
        if match.found is None:
            others = match.candidates or match.suggestions
            hint = f" (did you mean {'; '.join(m.name for m in others)}?)" if others else ""
            raise BadArguments(f"--members: no single roster member matches {name!r}{hint}")
        chosen.add(match.found.name)
    return frozenset(chosen)


def _table(search: "slots.SlotSearch") -> str:
    lines = []
    if not search.candidates:
        lines.append("No start suits every member; best partial starts:" if search.partial
                     else "No start found in this window.")
    for rank, candidate in enumerate(search.best, start=1):
        reason = candidate.reason
        missing = f", without {', '.join(reason.missing_required)}" if reason.missing_required else ""
        lines.append(f"{rank:>2}. {candidate.start_utc:%a %Y-%m-%d %H:%M} UTC  score {candidate.score:.3f}  "
                     f"{reason.verdict}{missing}")
        width = max(len(slot.name) for slot in candidate.members)
        for slot in candidate.members:
            mark = ("unavailable" if not slot.available else "night" if slot.at_night
                    else "" if slot.within_working_hours else "outside working hours")
            lines.append(f"    {slot.name:<{width}}  {slot.local_start:%a %H:%M} "
                         f"{slot.local_start:%z}  {slot.timezone:<20} {mark}".rstrip())
    return "\n".join(lines) + "\n"


async def run(args: argparse.Namespace, settings: "Settings") -> int:
    from bot.services import polls
    from bot.domain import fair_slots as slots
    from bot.bootstrap import open_services
    from bot.i18n.translation import now_utc

    try:
        query = _query(args, settings)
    except BadArguments as problem:
        print(f"inspir-bot slots: {problem}", file=sys.stderr)
        return 2
    async with open_services(settings) as services, services.db.transaction() as session:
        roster = [view for _member, view in await polls.slot_roster(
            session, settings.committee.timezone, query.default_hours)]
        history = await polls.meeting_history(session, now_utc())
    if not roster:
        print("inspir-bot slots: the roster is empty (import it with: main.py roster import FILE)",
              file=sys.stderr)
        return 1
    try:
        required = _chosen(args.members, roster)
    except BadArguments as problem:
        print(f"inspir-bot slots: {problem}", file=sys.stderr)
        return 2
    if required is not None:
        query = dataclasses.replace(query, required=required)
    search = slots.find_slots(roster, query, history)
    log.info("%d full and %d partial candidates for %d members", len(search.candidates), len(search.partial),
             len(required or roster))
    if search.unaccommodated:
        log.warning("cannot be accommodated at any start: %s", ", ".join(search.unaccommodated))
    if args.json:
        sys.stdout.write(json.dumps(slots.slots_to_json(search.best), ensure_ascii=False, indent=2) + "\n")
    else:
        if search.unaccommodated:
            print(f"Cannot be accommodated: {', '.join(search.unaccommodated)}")
        sys.stdout.write(_table(search))
    return 0
