"""End-to-end: the real ``main.py run`` process against the Bot API emulator, on SQLite and
PostgreSQL, set up as an operator does (environment variables, roster and organisations
imported with the command line), driven as Telegram users do."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.i18n.translation import I18n, Translator
from tests.databases import POSTGRES_ADMIN_URL, PostgresScratch, postgres_or_reason, require_postgres, run_sync
from tests.e2e.botproc import (
    MAIN, TOKEN, Deployment, cli, demo_people, install, local_times, minutes_between, texts,
)
from tests.e2e.emulator import Chat, EmulatorClient, User

I18N = I18n()
TELEGRAM_IDS = {
    "Ingrid Mulamba": 7101, "Denis Mushiya": 7102, "Sabine Jenifère Medetadji Degue": 7103,
    "Drissa Soaré": 7105, "Ángeles Carrión": 7106, "Mary Karol Luna": 7107,
    "Gabriela Prudencio": 7108, "Elly Rosita Silaban": 7109, "Samy Arokiasamy": 7110,
    "Bismo Sanyoto": 7111, "Santiago Fischer": 7112, "Bart Verstraeten": 7113,
}  # Niwa Soulima is not linked: the chair invites her.
# The roster's language wins over Telegram's; Santiago has none in the roster.
PEOPLE = demo_people(TELEGRAM_IDS,
                     language_codes={"Samy Arokiasamy": "fr", "Ingrid Mulamba": "en", "Santiago Fischer": "es"},
                     no_roster_language=["Santiago Fischer"])
INGRID, SAMY, ANGELES, SANTIAGO = (PEOPLE[n] for n in (
    "Ingrid Mulamba", "Samy Arokiasamy", "Ángeles Carrión", "Santiago Fischer"))
MARY, CHAIR = PEOPLE["Mary Karol Luna"], PEOPLE["Bart Verstraeten"]
NAMES = list(PEOPLE)
SURNAMES = [name.split()[-1] for name in NAMES]


def t(lang: str) -> Translator:
    return I18N.translator(lang)


def translated(lang: str, message: str, **values: object) -> str:
    """``message`` as the bot phrases it in ``lang``, checked to be really translated."""
    text = t(lang)(message, **values)
    if lang != "en":
        assert text != t("en")(message, **values), f"no {lang} translation of {message!r}"
    return text


# ---- fixtures: the session's emulator, the committee installed once per database ----


@pytest.fixture(scope="module")
def installed_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file with the demo committee, installed with the command line once per module."""
    workdir = tmp_path_factory.mktemp("installed-sqlite")
    database = workdir / "inspir.db"
    install(workdir, f"sqlite+aiosqlite:///{database}", PEOPLE)
    return database


@pytest.fixture(scope="module")
def installed_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PostgresScratch | None, str]]:
    """A scratch PostgreSQL database for this module, installed like the SQLite file."""
    scratch, reason = postgres_or_reason()
    if scratch is None:
        yield None, reason
        return
    try:
        install(tmp_path_factory.mktemp("installed-postgresql"), scratch.url, PEOPLE)
        yield scratch, ""
    finally:
        scratch.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A copy of the installed database for one test, on each database."""
    if request.param == "sqlite":
        installed: Path = request.getfixturevalue("installed_sqlite")
        for file in installed.parent.glob(installed.name + "*"):  # with its WAL, if any
            shutil.copy(file, tmp_path / file.name)
        yield f"sqlite+aiosqlite:///{tmp_path / installed.name}"
        return
    scratch, reason = request.getfixturevalue("installed_postgres")
    if scratch is None:
        require_postgres(reason)
    copy = f"{scratch.name}_{uuid.uuid4().hex[:6]}"
    admin = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://", 1)
    run_sync(PostgresScratch._admin(admin, f'CREATE DATABASE "{copy}" TEMPLATE "{scratch.name}"'))
    yield f"{scratch.url.rpartition('/')[0]}/{copy}"
    run_sync(PostgresScratch._admin(admin, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)'))


@pytest.fixture
def deployment(database_url: str, tmp_path: Path, tg: EmulatorClient, start_bot) -> Deployment:
    """The installed committee; the bot not started yet."""
    return Deployment(tmp_path, database_url, tg, start_bot)


@pytest.fixture
def running(deployment: Deployment) -> Iterator[Deployment]:
    """The bot running; once stopped, its logs must hold no secret and no personal data."""
    deployment.start()
    yield deployment
    deployment.stop_all()
    assert_logs_are_clean(deployment)


def assert_logs_are_clean(deployment: Deployment, *secrets: str) -> None:
    """No token, no member name, no message text (nor ``secrets``), and no error, in the logs."""
    logs = deployment.logs()
    assert "bot started" in logs
    assert " ERROR " not in logs and "Traceback" not in logs, logs
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs
    for word in [*NAMES, *SURNAMES, "Katmandou", "comité", *secrets]:
        assert word not in logs, f"{word!r} in the bot's logs"


# ---- helpers ----

def ask(tg: EmulatorClient, user: User, text: str, chat: Chat | None = None, count: int = 1) -> list[dict]:
    """Sends ``text`` and returns the ``count`` new bot messages in the chat it was sent to."""
    chat_id = chat.id if chat else user.id
    before = len(tg.messages(chat_id))
    tg.send_message(user, text, chat)
    return tg.wait_for_messages(chat_id, before + count)[before:]


def only(tg: EmulatorClient, user: User, text: str) -> str:
    [reply] = ask(tg, user, text)
    assert reply["parse_mode"] == "HTML"
    return reply["text"]


# ---- tests ----

HELLO = ("Hello {name}! I help the INSP!R steering committee with its roster, meetings across time "
         "zones, reminders, decisions and action items. Send /help to see what I can do.")
REFUSAL = ("Sorry, this bot serves the members of the INSP!R steering committee only. "
           "If you are a member, ask the chair for an invitation link.")
WELCOME = ("Welcome, {name}! Your Telegram account is now linked to the committee roster. "
           "Send /help to see what I can do.")
INVALID_INVITE = "This invitation link is not valid or has expired. Ask the chair for a new one."
UNREGISTERED_GROUP = ("This group is not the committee's registered group, so I am leaving it. "
                      "The chair can register a group with /bindgroup.")
GROUP_BOUND = ("This group is now the committee's registered group: announcements and "
               "agendas will be posted here.")
SENT_PRIVATELY = "I sent you the answer in a private message."
OPEN_PRIVATE_CHAT = ("I cannot write to you privately yet: open a private chat with me, press Start, "
                     "then ask again.")


def test_start_greets_members_in_their_language(running: Deployment) -> None:
    tg = running.emulator
    # Roster language first (Samy's Telegram is in French, Ingrid's in English), then Telegram's.
    for person, lang in ((INGRID, "fr"), (SAMY, "en"), (ANGELES, "es"), (SANTIAGO, "es")):
        assert only(tg, person.user, "/start") == translated(lang, HELLO, name=person.name)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_strangers_are_refused_in_their_language_and_learn_nothing(running: Deployment) -> None:
    tg = running.emulator
    strangers = [
        (User(7901, "Lucía", language_code="es"), "/start", "es"),
        (User(7902, "Jean", language_code="fr-BE"), "Qui fait partie du comité ?", "fr"),
        (User(7903, "Ann", language_code="en"), "/members", "en"),
        (User(7904, "Kai", language_code="de"), "/members Asia", "en"),  # unsupported: the default
        (User(7905, "Eve"), "/me", "en"),
    ]
    for stranger, text, lang in strangers:
        assert only(tg, stranger, text) == translated(lang, REFUSAL)
    # A made-up invitation code is refused like an expired one.
    assert only(tg, strangers[0][0], "/start bm90LWEtcmVhbC1jb2Rl") == translated("es", INVALID_INVITE)

    said = "\n".join(texts(tg.messages()))
    for word in [*NAMES, *SURNAMES, *(p.timezone for p in PEOPLE.values())]:
        assert word not in said


def test_health_running_judges_the_live_bot(running: Deployment) -> None:
    """The running bot beats (loop, dispatcher, updater); ``health --running`` reads the beat."""

    tg = running.emulator
    only(tg, SAMY.user, "/help")  # it answers: the updater receives, the dispatcher has run
    deadline = datetime.now(timezone.utc).timestamp() + 20
    while True:
        result = subprocess.run([sys.executable, str(MAIN), "health", "--running"], cwd=running.workdir,
                                env=running.env, capture_output=True, text=True, timeout=60)
        if result.returncode == 0 or datetime.now(timezone.utc).timestamp() > deadline:
            break
        time.sleep(1)  # the first beat comes a second after the start
    assert result.returncode == 0, result.stderr
    assert "running bot: ok (1 instance(s), last heartbeat" in result.stdout
    assert cli(running.workdir, running.env, "health", "--database-only").returncode == 0


def parse_members(text: str) -> tuple[str, dict[str, list[tuple[str, str, str]]]]:
    """``/members`` as (title, {network heading: [(name, HH:MM, place)]}), in the order shown."""
    title, *rest = text.split("\n")
    sections: dict[str, list[tuple[str, str, str]]] = {}
    heading = None
    for line in rest:
        if not line:
            continue
        if match := re.fullmatch(r"<b>(.+)</b>", line):
            heading = match.group(1)
            sections[heading] = []
        elif match := re.fullmatch(r"• <b>(.+)</b>: .* · (\d\d:\d\d) \((.+), UTC[+-]\d\d:\d\d\)", line):
            assert heading is not None, line
            sections[heading].append(match.groups())
        else:
            raise AssertionError(f"unexpected line in /members: {line!r}")
    return title, sections


def expected_sections(lang: str) -> dict[str, list[tuple[str, str]]]:
    from bot.domain.labels import network_label

    expected: dict[str, list[tuple[str, str]]] = {}
    for person in sorted(PEOPLE.values(), key=lambda p: (p.network or "", p.name)):
        expected.setdefault(network_label(t(lang), person.network), []).append(
            (person.name, t(lang).place(person.timezone)))
    return expected


def test_members_by_network_with_local_times(running: Deployment) -> None:
    tg = running.emulator
    for reader, lang in ((SAMY, "en"), (MARY, "es")):
        before = datetime.now(timezone.utc)
        text = only(tg, reader.user, "/members")
        after = datetime.now(timezone.utc)
        title, sections = parse_members(text)
        assert title == t(lang).plural("<b>{n} committee member</b>", "<b>{n} committee members</b>", 13)
        assert {heading: [(name, place) for name, _, place in people] for heading, people in sections.items()} \
            == expected_sections(lang)  # each member's city, in the reader's language
        assert list(sections) == list(expected_sections(lang))  # grouped and ordered by network
        shown = {name: clock for people in sections.values() for name, clock, _ in people}
        for person in PEOPLE.values():
            assert shown[person.name] in local_times(person.timezone, before, after), (person.name, shown)
        assert not re.search(r"\b[A-Z][a-z]+/[A-Z]", text)  # places by their names, never Area/City ids


CORE_COMMANDS = {
    "start": "Start talking with the bot",
    "help": "What the bot can do for you",
    "members": "The committee by continental network, with everyone's local time",
    "me": "Your profile and your current local time",
    "lang": "Choose your language: /lang français, English or español",
    "tz": "Set your time zone, e.g. /tz Asia/Kathmandu or /tz Lima",
}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_command_menu_is_registered_in_each_language(deployment: Deployment) -> None:
    from bot.telegram.menus import DESCRIPTION, SHORT_DESCRIPTION

    tg = deployment.emulator
    deployment.log_level = "DEBUG"  # the most talkative level must not leak the token either
    deployment.start()
    tg.wait_for(lambda: tg.calls("setMyShortDescription"), lambda found: len(found) == 3)  # the last step
    menus = {lang: tg.commands_for(lang) for lang in ("fr", "en", "es")}
    names = [entry["command"] for entry in menus["en"]]
    for lang, menu in menus.items():
        assert [entry["command"] for entry in menu] == names
        for entry in menu:  # what Telegram accepts, or it refuses the whole list
            assert re.fullmatch(r"[a-z0-9_]{1,32}", entry["command"]) and 1 <= len(entry["description"]) <= 256
        described = {entry["command"]: entry["description"] for entry in menu}
        for name, description in CORE_COMMANDS.items():
            assert described[name] == translated(lang, description)
        assert tg.commands_for(lang, {"type": "all_private_chats"}) == menu
    assert tg.commands_for("") == menus["en"]  # the committee's default language
    # Chair-only commands are not offered to everyone; the group's menu fits a group.
    assert not {"invite", "bindgroup"} & set(names)
    in_group = {entry["command"] for entry in tg.commands_for("es", {"type": "all_group_chats"})}
    assert {"meetings", "agenda", "who"} <= in_group and not {"forgetme", "mydata", "lang", "tz"} & in_group
    # The chair's own chat lists the chair's commands too, in the chair's language.
    chair_menu = [entry for entry in tg.commands() if entry["scope"] == {"type": "chat", "chat_id": CHAIR.user.id}]
    assert chair_menu and {"invite", "newmeeting", "endmeeting"} <= {c["command"] for c in chair_menu[0]["commands"]}
    assert "bindgroup" not in {c["command"] for c in chair_menu[0]["commands"]}  # it is done in the group
    for call in tg.calls("setMyDescription"):
        lang = call["params"]["language_code"]
        assert call["params"]["description"] == translated(lang, DESCRIPTION)
    assert {call["params"]["short_description"] for call in tg.calls("setMyShortDescription")} \
        == {translated(lang, SHORT_DESCRIPTION) for lang in ("fr", "en", "es")}

    only(tg, SAMY.user, "/help")
    deployment.stop_all()
    logs = deployment.logs()
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs
    # python-telegram-bot's own DEBUG lines carry whole updates: they stay silent.
    assert "Samy" not in logs and "/help" not in logs


def test_restart_keeps_settings_invites_and_pending_messages(deployment: Deployment) -> None:
    tg = deployment.emulator
    first = deployment.start()
    assert only(tg, SAMY.user, "/lang es") == translated("es", "From now on I will write to you in {language}.",
                                                          language=t("es").language_name("es"))
    before = datetime.now(timezone.utc)
    zone_set = only(tg, SAMY.user, "/tz Katmandou")  # the French name of the city
    assert zone_set in {
        translated("es", "Your time zone is now {zone}. Your local time: {time}.",
                   zone=t("es").zone_setting("Asia/Kathmandu"), time=t("es").datetime(moment, "Asia/Kathmandu"))
        for moment in minutes_between(before)}
    invitation = only(tg, CHAIR.user, "/invite Niwa")
    assert "Niwa Soulima" in invitation
    code = re.search(r"https://t\.me/inspir_test_bot\?start=([\w-]+)", invitation).group(1)

    assert deployment.stop(first) == 0
    assert tg.pending_updates() == []  # what it handled is confirmed before it exits
    tg.send_message(SAMY.user, "/me")
    tg.send_message(INGRID.user, "/start")
    deployment.start()

    [profile] = tg.wait_for_messages(SAMY.user.id, 3)[2:]
    lines = profile["text"].split("\n")
    assert lines[0] == translated("es", "<b>Your profile</b>")
    assert translated("es", "Time zone: {zone}", zone=t("es").zone_setting("Asia/Kathmandu")) in lines
    assert translated("es", "Language: {language}", language=t("es").language_name("es")) in lines
    assert any(line.endswith("(Katmandú, UTC+05:45)") for line in lines)

    niwa = User(7200, "Niwa", language_code="en")
    assert only(tg, niwa, f"/start {code}") == translated("fr", WELCOME, name="Niwa Soulima")
    assert only(tg, niwa, "/start") == translated("fr", HELLO, name="Niwa Soulima")
    someone = User(7201, "Someone", language_code="es")
    assert only(tg, someone, f"/start {code}") == translated("es", INVALID_INVITE)
    assert only(tg, someone, "/members") == translated("es", REFUSAL)

    # The message sent while the bot was down was answered exactly once: updates are
    # handled in order, so a redelivered one would be answered again before this /help.
    only(tg, INGRID.user, "/help")
    ingrid = texts(tg.messages(INGRID.user.id))
    assert ingrid[0] == translated("fr", HELLO, name=INGRID.name) and len(ingrid) == 2
    assert len(tg.messages(SAMY.user.id)) == 3
    deployment.stop_all()
    assert_logs_are_clean(deployment, code)


COMMITTEE_GROUP = Chat(-1007001, "supergroup", "INSP!R steering committee")
OTHER_GROUP = Chat(-1007002, "supergroup", "Social protection fans")


def bot_user(tg: EmulatorClient) -> dict:
    return {"id": int(tg.token.split(":")[0]), "is_bot": True, "first_name": "Test Bot",
            "username": "inspir_test_bot"}


def test_groups_unregistered_left_registered_answers_privately(running: Deployment) -> None:
    tg = running.emulator
    stranger = User(7950, "Marc", language_code="fr")
    tg.send_message(stranger, None, OTHER_GROUP, new_chat_members=[bot_user(tg)])
    [notice] = tg.wait_for_messages(OTHER_GROUP.id, 1)
    assert notice["text"] == translated("fr", UNREGISTERED_GROUP)
    [left] = tg.wait_for(lambda: tg.calls("leaveChat"), lambda calls: len(calls) == 1)
    assert left["params"]["chat_id"] == OTHER_GROUP.id

    assert only_in(tg, CHAIR.user, "/bindgroup", COMMITTEE_GROUP) == translated("en", GROUP_BOUND)
    private_before = len(tg.messages(SAMY.user.id))
    # As Telegram clients send a command picked from the menu in a group.
    assert only_in(tg, SAMY.user, "/members@inspir_test_bot", COMMITTEE_GROUP) == translated("en", SENT_PRIVATELY)
    [roster] = tg.wait_for_messages(SAMY.user.id, private_before + 1)[private_before:]
    assert "Mary Karol Luna" in parse_members(roster["text"])[1][t("en")("Latin America and the Caribbean")][1]
    # Mary never opened a private chat with the bot: Telegram refuses, and the group only gets a hint.
    tg.block_bot(MARY.user.id)
    assert only_in(tg, MARY.user, "/members", COMMITTEE_GROUP) == translated("es", OPEN_PRIVATE_CHAT)
    # A stranger in the registered group is refused there, and the bot stays.
    assert only_in(tg, User(7951, "Paul", language_code="en"), "/members", COMMITTEE_GROUP) \
        == translated("en", REFUSAL)
    assert len(tg.calls("leaveChat")) == 1  # the registered group is kept

    in_groups = "\n".join(texts(tg.messages(COMMITTEE_GROUP.id) + tg.messages(OTHER_GROUP.id)))
    for word in [*NAMES, *SURNAMES]:
        assert word not in in_groups


def only_in(tg: EmulatorClient, user: User, text: str, chat: Chat) -> str:
    [reply] = ask(tg, user, text, chat)
    return reply["text"]


NEW_GROUP = Chat(-1007003, "supergroup", "INSP!R committee (new)")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_chair_adds_the_bot_to_the_committee_group_and_binds_it(running: Deployment) -> None:
    """README, "Running the bot" step 4: the chair adds the bot to the group, then /bindgroup there."""
    tg = running.emulator
    tg.send_message(CHAIR.user, None, NEW_GROUP, new_chat_members=[bot_user(tg)])
    tg.send_message(CHAIR.user, "/bindgroup", NEW_GROUP)
    bound = translated("en", GROUP_BOUND)
    said = texts(tg.wait_for(lambda: tg.messages(NEW_GROUP.id), lambda found: bound in texts(found)))
    assert translated("en", UNREGISTERED_GROUP) not in said
    assert tg.calls("leaveChat") == []
