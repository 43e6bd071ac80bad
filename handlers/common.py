"""The frame every handler runs in: one session and transaction per update, the sender
identified and checked, replies sent only after the transaction committed.

A handler is a small async function taking an :class:`Env`; it reads and changes the
database through ``env.session`` and queues what to say with ``env.reply``/``env.tell``.
If it raises, nothing it changed is kept and the user is told to try again.
"""

import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from storage import conversation_state, outbox
from bot.services import members, notifications
from bot.domain.notify import ALWAYS, LATER
from bot.domain.access import choose_language, has_access
from bot.i18n.translation import N_, Safe, Translator
from bot.logsafe import describe_exception
from bot.services.reach import Reach
from bot.delivery.sending import Buttons, Outgoing, deliver
from bot.telegram.menus import refresh_member_menus
from bot.services import Services
from storage.models import Committee, Member
from storage.upsert import record_update_once

log = logging.getLogger("inspir.updates")
MAX_ARGUMENT_TEXT = 1000

REFUSAL = N_("Sorry, this bot serves the members of the INSP!R steering committee only. "
             "If you are a member, ask the chair for an invitation link.")
NOT_ALLOWED = N_("Only the chair or the secretariat can do that.")
CHAIR_ONLY = N_("Only the chair can do that.")
LINKED_BY_USERNAME = N_("{name} started using the bot: the Telegram account @{username} was linked to "
                        "them because the roster gives that username. If it is not theirs (usernames "
                        "can change hands), send /invite with their name and give them the link: it "
                        "replaces this account.")
FAILED = N_("Something went wrong and nothing was changed. Please try again in a moment.")
UNREGISTERED_GROUP = N_("This group is not the committee's registered group, so I am leaving it. "
                        "The chair can register a group with /bindgroup.")
SENT_PRIVATELY = N_("I sent you the answer in a private message.")
OPEN_PRIVATE_CHAT = N_("I cannot write to you privately yet: open a private chat with me, "
                       "press Start, then ask again.")
BUTTON_EXPIRED = N_("This button is no longer valid.")
TOO_LONG = N_("That text is too long (at most {limit} characters).")

@dataclass
class Env:
    """One update's view of the world: who asked, in which language, with which session."""

    services: Services
    session: AsyncSession
    committee: Committee
    member: Member | None
    t: Translator
    chat_id: int
    in_group: bool
    args: list[str]
    text: str
    data: str = ""
    sender: members.TelegramIdentity | None = None
    bot_username: str = ""
    message_id: int | None = None
    thread_id: int | None = None  # the forum topic the update came from: replies go there
    outgoing: list[Outgoing] = field(default_factory=list)
    toast: str | None = None
    leave_chat: bool = False
    owes_messages: bool = False
    commands: tuple["CommandSpec", ...] = ()  # every area's, for /help
    runnable: Mapping[str, "Handler"] = field(default_factory=dict)  # each command's handler by name
    menus_changed: set[int] = field(default_factory=set)  # members whose own menus to refresh after commit
    addressed: dict[int, Member] = field(default_factory=dict)
    in_digest: set[int] = field(default_factory=set)

    @property
    def now(self) -> datetime:
        return self.services.clock()

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        return self.services.settings

    def translator_for(self, member: Member) -> Translator:
        lang = choose_language(member.chosen_language, member.language, None,
                               self.committee.default_language)
        return self.services.i18n.translator(lang)

    def zone_of(self, member: Member | None) -> str:
        return (member.timezone if member and member.timezone else None) or self.committee.timezone

    def reply(self, text: str, buttons: Buttons | None = None, personal: bool = False) -> None:
        """Answer in this chat; ``personal`` answers asked in the group go privately."""
        private_for = self.member if personal and self.in_group else None
        self.outgoing.append(Outgoing(self.chat_id, text, buttons, None, private_for, thread_id=self.thread_id))

    def reply_document(self, filename: str, content: bytes, caption: str = "",
                       personal: bool = False) -> None:
        private_for = self.member if personal and self.in_group else None
        self.outgoing.append(Outgoing(self.chat_id, caption, None, (filename, content), private_for,
                                      thread_id=self.thread_id))

    async def run_command(self, text: str) -> None:
        """Answer as the member's command ``text`` would (``/mytasks``, ``/meeting 12``), in this
        update's frame: how a question in words gets the answer its command gives. Only
        commands every member may use; any other name is a programming error."""
        name = text.split()[0].removeprefix("/")
        spec = next((s for s in self.commands if s.name == name), None)
        if spec is None or spec.access not in ("anyone", "member") or name not in self.runnable:
            raise LookupError(f"no member command /{name} to run")
        self.text, self.args = text, text.split()[1:]
        await self.runnable[name](self)

    def edit(self, text: str, buttons: Buttons | None = None) -> None:
        """Replace the message whose button was tapped (buttons removed unless given)."""
        if self.message_id is not None:
            self.outgoing.append(Outgoing(self.chat_id, text, buttons, edit_message_id=self.message_id))

    async def tell(self, member: Member, text: str, buttons: Buttons | None = None,
                   ref: tuple[str, int] | None = None, *, topic: str,
                   about_start: datetime | None = None) -> None:
        """Owe ``member`` a private message (phrased with ``translator_for(member)``): it goes
        through the outbox, committed with this update's changes, so a crash cannot lose it.
        ``topic`` (:mod:`bot.domain.notify`) and the member's ``/notify`` choice decide whether it
        leaves now or with their daily digest; ``about_start``: the meeting it is about."""
        where = await notifications.owe(self.session, member, self.now, self.committee.timezone, text, buttons,
                                        topic=topic, about_start=about_start, ref=ref)
        self.owes_messages = True
        self.addressed[member.id] = member
        if where == LATER:
            self.in_digest.add(member.id)

    def reach(self) -> Reach:
        """Who this update's private messages can reach: what a reply may claim was sent."""
        return Reach.of(self.addressed.values(), self.in_digest)

    async def tell_group(self, text: str, buttons: Buttons | None = None,
                         ref: tuple[str, int] | None = None) -> None:
        """Owe the registered group a message (phrased with :meth:`group_translators`, joined
        by :func:`in_group_languages`)."""
        if self.committee.group_chat_id:
            ref_type, ref_id = ref or (None, None)
            await outbox.enqueue_text(self.session, self.now, text, buttons,
                                      chat_id=self.committee.group_chat_id, ref_type=ref_type, ref_id=ref_id)
            self.owes_messages = True

    def group_translator(self) -> Translator:
        """The committee's default language: for what is stored once (a poll's default title)."""
        return self.services.i18n.translator(self.committee.default_language)

    def group_translators(self) -> list[Translator]:
        """The group's languages, the committee's default first: its members read three."""
        langs = dict.fromkeys([self.committee.default_language, *self.settings.committee.group_languages])
        return [self.services.i18n.translator(lang) for lang in langs]

    def rest(self, limit: int = MAX_ARGUMENT_TEXT) -> str | None:
        """The text after the command, or None (after telling the user) when it is too long."""
        body = self.text.split(maxsplit=1)[1].strip() if len(self.text.split(maxsplit=1)) > 1 else ""
        if len(body) > limit:
            self.reply(self.t(TOO_LONG, limit=limit))
            return None
        return body


Handler = Callable[[Env], Awaitable[None]]


async def _flush(env: Env, bot) -> None:  # type: ignore[no-untyped-def]
    notes_sent = False
    for item in env.outgoing:
        if item.private_for is None:
            await _deliver_quietly(bot, item)
            continue
        private = Outgoing(item.private_for.telegram_id or 0, item.text, item.buttons, item.document)
        try:
            await deliver(bot, private)
            note = env.t(SENT_PRIVATELY)
        except Forbidden:
            note = env.t(OPEN_PRIVATE_CHAT)
        except TelegramError as error:  # 5xx, timeout, reset: committed already, the reply is lost
            log.warning("reply lost after commit: %s", type(error).__name__)
            continue
        if not notes_sent:
            notes_sent = True
            await _deliver_quietly(bot, Outgoing(item.chat_id, note, thread_id=item.thread_id))


async def _deliver_quietly(bot, item: Outgoing) -> None:  # type: ignore[no-untyped-def]
    """A member who blocked the bot must not stop the messages owed to everyone else."""
    try:
        await deliver(bot, item)
    except Forbidden:
        log.info("chat unreachable (blocked or left)")
    except BadRequest as error:
        log.warning("message refused by Telegram: %s", type(error).__name__)
    except TelegramError as error:  # 5xx, timeout, reset (a 429 was retried by the rate limiter)
        log.warning("message not delivered: %s", type(error).__name__)


def _identity(update: Update) -> members.TelegramIdentity | None:
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    return members.TelegramIdentity(user.id, user.username, user.language_code)


async def _open_env(services: Services, session: AsyncSession, update: Update) -> Env:
    who = _identity(update)
    assert who is not None and update.effective_chat is not None
    committee, identified = await members.identify(session, who, services.settings.committee.link_by_username)
    member = identified.member
    private = update.effective_chat.type == ChatType.PRIVATE
    if member is not None and private:
        await members.mark_reachable(session, member)
    lang = choose_language(member.chosen_language if member else None,
                           member.language if member else None, who.language_code,
                           committee.default_language)
    query = update.callback_query
    message = update.effective_message
    # NUL never means anything in a message, and PostgreSQL refuses it in text columns.
    text = ((message.text or "") if message and not query else "").replace("\x00", "")
    env = Env(services=services, session=session, committee=committee, member=member,
              t=services.i18n.translator(lang), chat_id=update.effective_chat.id,
              in_group=not private,
              args=text.split()[1:], text=text, sender=who, data=(query.data or "") if query else "",
              message_id=query.message.message_id if query and query.message else None,
              thread_id=_topic_of(update))
    if identified.linked_by_username and member is not None:
        for keeper in await members.roster_keepers(session):
            if keeper.id != member.id:
                await env.tell(keeper, env.translator_for(keeper)(LINKED_BY_USERNAME, name=member.name,
                                                                   username=who.username or ""),
                               ref=("member", member.id), topic=ALWAYS)
    return env


def _topic_of(update: Update) -> int | None:
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


def _sender_translator(services: Services, update: Update) -> Translator:
    """For an update that failed before its sender was identified (the database dropped the
    first statement): the language of their Telegram app, else the committee's."""
    who = _identity(update)
    lang = choose_language(None, None, who.language_code if who else None,
                           services.settings.committee.default_language)
    return services.i18n.translator(lang)


def _gate(env: Env, access: str | None, any_group: bool) -> bool:
    """Refuse what the sender may not do here; True when the handler may run."""
    if env.in_group and env.chat_id != env.committee.group_chat_id and not any_group:
        env.reply(env.t(UNREGISTERED_GROUP))
        env.leave_chat = True
        return False
    if access is None:
        return True
    if env.member is None:
        env.reply(env.t(REFUSAL))
        return False
    if not has_access(env.member.access, access):
        env.reply(env.t(CHAIR_ONLY if access == "chair" else NOT_ALLOWED))
        return False
    return True


async def run_in_env(handler: Handler, update: Update, context: ContextTypes.DEFAULT_TYPE,
                     access: str | None, any_group: bool = False) -> Env | None:
    """Run ``handler`` for ``update`` in one transaction; send its replies after commit."""
    services: Services = context.bot_data["services"]
    if _identity(update) is None or update.effective_chat is None:
        return None
    started = time.monotonic()
    env: Env | None = None
    told_in: Translator | None = None  # the sender's language before the handler changed anything
    outcome = "ok"
    try:
        async with services.db.transaction() as session:
            env = await _open_env(services, session, update)
            told_in = env.t
            env.bot_username = context.bot.username
            env.commands = context.bot_data.get("commands", ())
            env.runnable = context.bot_data.get("runnable", {})
            handler, access, any_group = await _dialogue_under_way(env, context.bot_data, update) or (
                handler, access, any_group)
            if not _gate(env, access, any_group):
                outcome = "refused"
            else:
                await handler(env)
            await _record_handled(session, update.update_id)
        if env.owes_messages and "dispatcher" in context.bot_data:
            context.bot_data["dispatcher"].wake()
        await _flush(env, context.bot)
        if env.menus_changed:
            await refresh_member_menus(context.application, env.menus_changed)
        if env.leave_chat:
            await _leave(context.bot, env.chat_id)
    except _HandledElsewhere:
        outcome = "duplicate"
        return None
    except Exception as error:  # the user is told; the log gets no message text
        outcome = "error"
        log.error("handler %s failed: %s", handler.__name__, describe_exception(error))
        t = told_in or _sender_translator(services, update)
        await _deliver_quietly(context.bot, Outgoing(update.effective_chat.id, t(FAILED),
                                                     thread_id=_topic_of(update)))
    finally:
        log.info("update %s handled by %s in %s chat: %s (%.0f ms)", update.update_id,
                 handler.__name__, update.effective_chat.type, outcome,
                 (time.monotonic() - started) * 1000)
    return env


async def first_delivery(services: Services, update_id: int) -> bool:
    """For an update answered outside the frame (no member behind it): record it as handled;
    False when it was already (redelivered, or taken by another instance)."""
    try:
        async with services.db.transaction() as session:
            await _record_handled(session, update_id)
    except _HandledElsewhere:
        return False
    return True


class _HandledElsewhere(Exception):
    """Another instance handled the same update meanwhile: roll this one back, say nothing."""


async def _record_handled(session: AsyncSession, update_id: int) -> None:
    """Telegram may deliver an update twice (or two instances may receive it): it must take
    effect once. Record it as handled, last in the handler's own transaction, so it commits only
    with the handler's changes: a handler that fails leaves no trace and a redelivery is
    processed. Last also keeps the row's lock (PostgreSQL) short. If a delivery committed the id
    first, this one is rolled back and says nothing: a redelivery (rare) costs the handler's
    work, every other update one statement less than an early look would."""
    if not await record_update_once(session, update_id):
        raise _HandledElsewhere


async def _leave(bot, chat_id: int) -> None:  # type: ignore[no-untyped-def]
    try:
        await bot.leave_chat(chat_id)
    except TelegramError as error:
        log.warning("could not leave a group: %s", type(error).__name__)


def command(access: str | None = "member", any_group: bool = False):  # type: ignore[no-untyped-def]
    """Wrap ``async def handler(env)`` as a PTB callback that requires ``access``."""
    def decorate(handler: Handler):  # type: ignore[no-untyped-def]
        @functools.wraps(handler)
        async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            await run_in_env(handler, update, context, access, any_group)
        return callback
    return decorate


def button(access: str | None = "member"):  # type: ignore[no-untyped-def]
    """Like :func:`command` for inline buttons: the data is parsed by the handler and the
    sender's rights re-checked; the tap is always answered so the client stops spinning."""
    def decorate(handler: Handler):  # type: ignore[no-untyped-def]
        @functools.wraps(handler)
        async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            query = update.callback_query
            env = await run_in_env(handler, update, context, access)
            toast = env.toast if env else None
            try:
                await query.answer(toast)
            except TelegramError as error:
                log.info("callback answer failed: %s", type(error).__name__)
        return callback
    return decorate


SENDERS_GROUP = -4  # first of all: a command nobody can be identified behind (anonymous admin)
EDITS_GROUP = -3  # then an edited command (or dialogue answer), answered and going no further


DIALOGUES = "dialogues"  # bot_data: a guided dialogue's kind -> (its answer handler, access)


def register_dialogue(application: Application, kind: str, handler: Handler, access: str | None = "member") -> None:
    """Free text from a person with a ``kind`` dialogue under way in that chat is an answer:
    ``handler`` (with ``access``) takes it, whichever handler the text reached. Asked in the
    update's own transaction, so every instance agrees and it costs no second one."""
    application.bot_data.setdefault(DIALOGUES, {})[kind] = (handler, access)


async def _dialogue_under_way(env: Env, bot_data: Mapping[str, Any],
                              update: Update) -> tuple[Handler, str | None, bool] | None:
    dialogues = bot_data.get(DIALOGUES)
    message = update.message
    if not dialogues or message is None or not message.text or message.text.startswith("/") or env.sender is None:
        return None
    kind = await conversation_state.in_dialogue(env.session, env.chat_id, env.sender.user_id, env.now)
    if kind not in dialogues:
        return None
    handler, access = dialogues[kind]
    return handler, access, False


__all__ = ["CommandSpec", "Env", "Safe", "button", "command", "deliver"]


@dataclass(frozen=True)
class CommandSpec:
    """A command as listed by /help and in Telegram's command menus: ``access`` says whose menu
    shows it, ``chats`` where it makes sense ("any", "private": one's own settings and data,
    "group": the committee group only)."""

    name: str
    description: str
    access: str = "member"
    chats: str = "any"
