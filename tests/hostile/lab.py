"""The hostile-input lab: one harness shared by many inputs, and the checks every input gets.

For each input (:meth:`Lab.probe`): the relevant tables are snapshotted before and after, the
log is watched for ERROR records (the frame's "handler ... failed" among them), and every
message the bot sent is checked: valid Telegram HTML (only b/i/u/s/a/code/pre/blockquote,
balanced, entities only &lt; &gt; &amp; &quot; and numeric), no raw tag from the input, never
"Something went wrong", and for outsiders (strangers, removed members) only a refusal, with
no roster name, organisation, country or time zone.
"""

import html
import logging
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text

from bot.telegram.offline import Person, SentMessage
from handlers.common import BUTTON_EXPIRED, CHAIR_ONLY, FAILED, NOT_ALLOWED, REFUSAL, UNREGISTERED_GROUP
from storage.models import Member
from tests.harness import BotHarness

LANGS = ("fr", "en", "es")
WATCHED = ("member", "committee", "invite", "meeting", "agenda_item", "decision", "action_item", "vote",
           "ballot", "note", "rsvp", "attendance", "availability_poll", "poll_slot", "poll_answer", "outbox",
           "minutes_snapshot")
ALLOWED_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote"}
_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)>|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);|[<>&]")
INVITE_INVALID = "This invitation link is not valid or has expired. Ask the chair for a new one."
_INPUT_TAG = re.compile(r"</?[A-Za-z][^<>]*>[^<>]{2,}")

class Stats(Counter):
    """This process's counts of hostile inputs; tests/conftest.py sums the xdist workers' and
    prints the summary."""

    def counts(self) -> dict[str, int]:
        return dict(self)

    def add(self, counts: dict[str, int]) -> None:
        self.update(counts)

    def summary(self) -> tuple[str, str] | None:
        if not self["sent"]:
            return None
        return ("hostile inputs",
                f"hostile inputs: {self['sent']:,} sent, {self['unhandled']:,} unhandled; "
                f"{self['answered']:,} answered, {self['silent']:,} silent; "
                f"{self['refused']:,} refused with nothing changed, {self['changed']:,} legitimately stored")


STATS = Stats()


class ErrorLog(logging.Handler):
    """Every ERROR record, from any logger (the frame's "handler ... failed", PTB's own)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def html_problems(message: str) -> list[str]:
    """Why Telegram would refuse ``message`` as HTML (empty when it parses)."""
    problems: list[str] = []
    stack: list[str] = []
    for match in _TOKEN.finditer(message):
        closing, tag, attributes, entity = match.group(1), match.group(2), match.group(3), match.group(4)
        if tag is not None:
            tag = tag.lower()
            if tag not in ALLOWED_TAGS:
                problems.append(f"tag <{tag}> not allowed")
            elif closing:
                if not stack or stack.pop() != tag:
                    problems.append(f"unbalanced </{tag}>")
            else:
                if attributes.strip() and not (tag == "a" and re.fullmatch(r'\s+href="[^"<>]*"', attributes)):
                    problems.append(f"attributes on <{tag}>: {attributes[:40]!r}")
                stack.append(tag)
        elif entity is not None:
            if entity.startswith("#"):
                value = int(entity[2:], 16) if entity.startswith("#x") else int(entity[1:])
                if not 0 < value <= 0x10FFFF:
                    problems.append(f"entity &{entity}; out of range")
            elif entity not in ("lt", "gt", "amp", "quot"):
                problems.append(f"entity &{entity}; unknown to Telegram")
        else:
            problems.append(f"raw {match.group(0)!r} at {match.start()}")
    if stack:
        problems.append(f"unclosed {stack}")
    return problems


def visible(message: str) -> str:
    return html.unescape(re.sub(r"</?[A-Za-z][^<>]*>", "", message))


@dataclass
class Outcome:
    messages: list[SentMessage]
    changed: set[str]
    toasts: list[str] = field(default_factory=list)

    @property
    def texts(self) -> str:
        return "\n".join(m.text for m in self.messages)


class Lab:
    """One harness with its known world; every hostile input goes through :meth:`probe`."""

    def __init__(self, harness: BotHarness, errors: ErrorLog, db: str):
        self.bot = harness
        self.errors = errors
        self.db = db
        self.world: dict[str, Any] = {}
        self.stats: Counter[str] = Counter()
        i18n = harness.services.i18n
        self.refusals = {i18n.translator(lang)(REFUSAL) for lang in LANGS}
        self.unregistered = {i18n.translator(lang)(UNREGISTERED_GROUP) for lang in LANGS}
        self.not_allowed = {i18n.translator(lang)(m) for lang in LANGS for m in (NOT_ALLOWED, CHAIR_ONLY)}
        self.failed = {i18n.translator(lang)(FAILED) for lang in LANGS}
        self.expired = {i18n.translator(lang)(BUTTON_EXPIRED) for lang in LANGS}
        self.secrets: set[str] = set()
        self._last: tuple[int, dict[str, list[tuple]]] | None = None
        self.invite_refusals = {i18n.translator(lang)(INVITE_INVALID) for lang in LANGS}

    async def learn_secrets(self) -> None:
        """What a stranger must never read: names, organisations, countries, time zones."""
        async with self.bot.services.db.transaction() as session:
            for member in await session.scalars(select(Member)):
                self.secrets.add(member.name)
                self.secrets.update(part for part in member.name.split() if len(part) >= 4)
                self.secrets.update(v for v in (member.organisation, member.country, member.timezone) if v)

    async def snapshot(self, tables: Iterable[str] = WATCHED) -> dict[str, list[tuple]]:
        async with self.bot.services.db.transaction() as session:
            state = {}
            for table in tables:
                if table == "outbox":  # pending rows, and whether any row was added at all
                    rows = (await session.execute(text("SELECT * FROM outbox WHERE state = 'pending' ORDER BY id"))).all()
                    rows += (await session.execute(text("SELECT count(*), max(id) FROM outbox"))).all()
                else:
                    rows = (await session.execute(text(f'SELECT * FROM "{table}" ORDER BY 1'))).all()
                state[table] = [tuple(row) for row in rows]
            return state

    async def probe(self, action: Callable[[], Awaitable[list[SentMessage]]], given: str, *,
                    must_refuse: bool = False, may_change: Iterable[str] = WATCHED, outsider: bool = False,
                    expect: set[str] | None = None, label: str = "") -> Outcome:
        """Run one hostile input and check it; ``given`` is the hostile text (for leak checks)."""
        before = await self._before()
        errors_before = len(self.errors.records)
        answers_before = len(self.bot.api.callback_answers)
        messages = await action()
        after = await self.snapshot()
        self._last = (await self._updates_seen(), after)
        changed = {table for table in WATCHED if before[table] != after[table]}
        toasts = [str(a.get("text") or "") for a in self.bot.api.callback_answers[answers_before:]]
        where = f"{label or given[:60]!r} on {self.db}"
        self.stats["sent"] += 1
        STATS["sent"] += 1

        new_errors = self.errors.records[errors_before:]
        if new_errors:
            self._count("unhandled")
        assert not new_errors, f"{where}: logged {[r.getMessage() for r in new_errors]}"
        for message in messages:
            assert message.text not in self.failed and not any(f in message.text for f in self.failed), \
                f"{where}: the bot answered 'Something went wrong'"
            if message.document is None:
                assert message.text.strip(), f"{where}: empty message"
                assert len(message.text) <= 4096, f"{where}: message of {len(message.text)} characters"
            else:
                assert len(message.text) <= 1024, f"{where}: caption of {len(message.text)} characters"
            problems = html_problems(message.text)
            assert not problems, f"{where}: invalid Telegram HTML {problems}: {message.text[:300]!r}"
            for tag in _INPUT_TAG.findall(given):
                assert tag not in message.text, f"{where}: input markup {tag!r} sent unescaped"
        for toast in toasts:
            assert len(toast) <= 200, f"{where}: toast of {len(toast)} characters"
        if outsider:
            for message in messages:
                leaked = [s for s in self.secrets if s in visible(message.text)]
                assert not leaked, f"{where}: personal data {leaked} sent to an outsider"
                assert message.text in self.refusals | self.unregistered | self.invite_refusals, \
                    f"{where}: an outsider got more than a refusal: {message.text[:200]!r}"
                assert message.document is None, f"{where}: a file sent to an outsider"
        if must_refuse or outsider:
            assert not changed, f"{where}: must be refused but changed {sorted(changed)}"
        else:
            unexpected = changed - set(may_change)
            assert not unexpected, f"{where}: changed {sorted(unexpected)} (allowed: {sorted(may_change)})"
        if expect is not None:
            assert any(m.text in expect for m in messages) or any(t in expect for t in toasts), \
                f"{where}: expected one of {sorted(expect)[:1]}, got {[m.text[:120] for m in messages]} {toasts}"
        self._count("changed" if changed else "refused")
        self._count("answered" if messages or any(toasts) else "silent")
        return Outcome(messages, changed, toasts)

    async def _updates_seen(self) -> int:
        async with self.bot.services.db.transaction() as session:
            return int(await session.scalar(text("SELECT count(*) FROM processed_update")) or 0)

    async def _before(self) -> dict[str, list[tuple]]:
        """The last probe's "after" while no other update was handled since (half the queries)."""
        if self._last is not None and self._last[0] == await self._updates_seen():
            return self._last[1]
        return await self.snapshot()

    def _count(self, key: str) -> None:
        self.stats[key] += 1
        STATS[key] += 1

    # --- shortcuts ----------------------------------------------------------------------

    async def send(self, who: str | Person, line: str, given: str | None = None, *, group: bool = False,
                   chat: dict[str, Any] | None = None, **checks: Any) -> Outcome:
        return await self.probe(lambda: self.bot.send(who, line, group=group, chat=chat),
                                line if given is None else given, **checks)

    async def press(self, who: str | Person, message: SentMessage, data: str, **checks: Any) -> Outcome:
        checks.setdefault("label", f"button {data[:60]}")
        return await self.probe(lambda: self.bot.press(who, message, data), data, **checks)
