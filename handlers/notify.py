"""How much the bot sends: ``/notify`` (everything, important only, or a daily digest at an hour
of the member's own day), and the daily digest itself, phrased when it leaves.

Members in DR Congo, Burkina Faso or Nepal pay for every megabyte: the choice is theirs, and
the reminders they asked for always go (:mod:`bot.domain.notify`).
"""

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.delivery.dispatcher import Rendered, Skip
from bot.domain.notify import DIGEST, EVERYTHING, IMPORTANT, MODES, read_mode
from bot.i18n.translation import N_, Safe, Translator
from bot.input.callbacks import callback_args
from bot.input.numbers import parse_hour
from bot.services import Services, members, notifications
from bot.services.notifications import DAILY_DIGEST
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command
from handlers.shared.notify_text import choice_text
from handlers.shared.outbox_reader import recipient
from storage.models import Member, OutboxMessage

COMMANDS = [
    CommandSpec("notify", N_("How much the bot sends you: /notify everything, important or digest 18h"),
                chats="private"),
]

USAGE = N_("Send /notify everything, /notify important, or /notify digest followed by an hour of your "
           "day, for example /notify digest 18h.")
SEPARATOR = "\n\n"


def _buttons(t: Translator) -> list[list[tuple[str, str]]]:
    return [[(t("Everything"), f"notify:{EVERYTHING}"), (t("Important only"), f"notify:{IMPORTANT}"),
             (t("Daily digest"), f"notify:{DIGEST}")]]


def _explanation(t: Translator, member: Member, zone: str) -> Safe:
    lines = [t("The bot sends you: <b>{choice}</b>.", choice=choice_text(t, member, zone)),
             t("• Everything: every notice as it happens, with pictures and minutes files."),
             t("• Important only: meetings, your own action items and the minutes, as text; files and "
               "pictures when you ask for them."),
             t("• Daily digest: one message a day at the hour you choose; what cannot wait (a meeting "
               "before your digest) comes at once."),
             t("Reminders you asked for (/reminders) and what your role asks you to act on always come "
               "at once.")]
    return Safe("\n".join(lines))


async def _choose(env: Env, mode: str, hour: int | None) -> Safe:
    """Record the choice and move what waits for a digest; the confirmation to show."""
    member = env.member
    assert member is not None
    member.notify = mode
    if hour is not None:
        member.digest_hour = hour
    await members.audit(env.session, member, "member.notify", "member", member.id, notify=mode)
    moved = await notifications.reschedule(env.session, member, env.now, env.committee.timezone)
    zone = env.zone_of(member)
    lines = [env.t("From now on the bot sends you: <b>{choice}</b>.", choice=choice_text(env.t, member, zone))]
    if moved and mode == DIGEST:
        lines.append(env.t.plural("{n} message waiting for your digest comes with it.",
                                  "{n} messages waiting for your digest come with it.", moved))
    elif moved:
        lines.append(env.t.plural("{n} message that was waiting for your digest is on its way now.",
                                  "{n} messages that were waiting for your digest are on their way now.", moved))
        env.owes_messages = True
    return Safe("\n".join(lines))


@command()
async def notify(env: Env) -> None:
    assert env.member is not None
    if not env.args:
        env.reply(_explanation(env.t, env.member, env.zone_of(env.member)), _buttons(env.t))
        return
    words, hour = env.args[:6], None
    for count in (2, 1):  # "19h", or "7 pm"
        if len(words) > count and parse_hour(" ".join(words[-count:])) is not None:
            hour, words = parse_hour(" ".join(words[-count:])), words[:-count]
            break
    mode = read_mode(" ".join(words)) if len(env.args) <= 6 else None
    if mode is None and len(words) > 1 and read_mode(" ".join(words[:-1])) == DIGEST \
            and any(c.isdigit() for c in words[-1]):
        env.reply(env.t("“{text}” is not an hour of the day: write a whole hour from 0 to 23, for example "
                        "7, 07:00 or 19h.", text=words[-1][:20]))
        return
    if mode is None or (hour is not None and mode != DIGEST):
        env.reply(env.t("I did not understand “{text}”.", text=" ".join(env.args)[:60]) + "\n" + env.t(USAGE),
                  _buttons(env.t))
        return
    env.reply(await _choose(env, mode, hour))


@button()
async def notify_button(env: Env) -> None:
    parts = callback_args(env.data, "notify", 1)
    if parts is None or parts[0] not in MODES or env.in_group:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    text = await _choose(env, parts[0], None)
    if parts[0] == DIGEST:
        text = Safe(text + "\n" + env.t("To choose another hour: /notify digest 7h (an hour of your day)."))
    env.edit(text)


async def render_daily_digest(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    """Everything held for this digest, oldest first, in one message (split by the sender when
    long); the held rows are marked sent only when Telegram confirms this one."""
    member, t, _zone = await recipient(session, row, services)
    held = [item for item in await notifications.held_for(session, member.id) if item.due_at <= row.due_at]
    if not held:
        raise Skip("cancelled", "nothing waited for this digest")
    parts = [t.plural("📬 <b>Your daily digest</b>: {n} message.", "📬 <b>Your daily digest</b>: {n} messages.",
                      len(held))]
    parts += [f"<b>{number}.</b> {item.payload.get('text', '')}" for number, item in enumerate(held, start=1)]
    parts.append(t("<i>How much the bot sends you: /notify</i>"))
    return Rendered(member.telegram_id, SEPARATOR.join(parts), covers=tuple(item.id for item in held))


RENDERERS = {DAILY_DIGEST: render_daily_digest}


def register(application: Application) -> None:
    application.add_handler(CommandHandler("notify", notify))
    application.add_handler(CallbackQueryHandler(notify_button, pattern=r"^notify:"))
