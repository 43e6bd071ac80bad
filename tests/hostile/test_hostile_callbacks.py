"""Issue 8: forged and replayed callback data against every button handler.

Buttons carry data the client sends back verbatim, so anyone can send anything: every prefix
the handlers use with wrong arity, non-numeric, Unicode-digit and huge ids, 64+ bytes; real
data replayed after it expired, or aimed at other people's polls, votes, pages and accounts;
presses by strangers, removed members and in other groups. None may change anything, each gets
a toast or a refusal, and every press is answered.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.telegram.offline import SentMessage
from tests.hostile import corpus
from tests.hostile.conftest import CHAIR, MEMBER, OTHER_GROUP, REMOVED, SECRETARIAT
from tests.hostile.lab import Lab
from tests.hostile.test_hostile_commands import report


def anchor(lab: Lab, name: str) -> SentMessage:
    return lab.world[f"anchor:{name}"]


async def press_all(lab: Lab, who: str, datas: list[str], legit: set[str] = frozenset(), **checks) -> list[str]:
    failures = []
    for data in datas:
        answers = len(lab.bot.api.callback_answers)
        try:
            if data in legit:
                await lab.press(who, anchor(lab, who), data)
            else:
                await lab.press(who, anchor(lab, who), data, must_refuse=True, **checks)
            assert len(lab.bot.api.callback_answers) == answers + 1, f"{data!r}: the press was not answered"
        except AssertionError as failure:
            failures.append(str(failure).split("\n")[0][:300])
    return failures


def test_forged_data_for_every_prefix_changes_nothing(lab):
    datas = corpus.hand_written_callbacks()
    if lab.db != "sqlite":
        datas = datas[::5]
    failures = lab.run(press_all(lab, MEMBER, datas))
    world = lab.world
    real = {f"agenda:approve:{world['proposal']}", f"agenda:decline:{world['proposal']}",
            f"poll:close:{world['poll']}", f"poll:meet:{world['poll']}",  # real buttons: see below
            "depart:1", "invite:1:0", "invite:1:1", "setm:1:1:1"}
    failures += lab.run(press_all(lab, CHAIR, [d for d in datas[::3] if d not in real]))
    report(failures)


def replays(lab: Lab) -> list[tuple[str, str, str]]:
    """(who, data, why) presses that name real things the presser may not touch."""
    w, ids = lab.world, lab.world["ids"]
    poll, slot = w["poll"], w["slots"][0]
    q = w["quarters"]
    past = q[0] - 4 * 24 * 30  # a month before the first proposed time: already past
    far = q[0] + 4 * 24 * 800  # two years ahead: beyond any poll
    return [
        (MEMBER, f"poll:a:{poll}:{slot}:y:{ids[CHAIR]}", "someone else's ballot"),
        (MEMBER, f"poll:a:{poll}:999999:y:{ids[MEMBER]}", "a slot of no poll"),
        (MEMBER, f"poll:a:{poll}:{slot}:y:{ids[REMOVED]}", "a removed member's ballot"),
        (MEMBER, f"poll:a:999999999:{slot}:y:{ids[MEMBER]}", "a poll that does not exist"),
        (MEMBER, f"poll:view:{poll}", "the secretariat's view"),
        (MEMBER, f"poll:close:{poll}", "the chair's close"),
        (MEMBER, f"poll:meet:{poll}", "the chair's meeting"),
        (SECRETARIAT, f"poll:close:{poll}", "the chair's close, by the secretariat"),
        (CHAIR, f"poll:meet:{poll}", "a meeting from a poll still open"),
        (MEMBER, f"agenda:approve:{w['proposal']}", "approving a proposal as a member"),
        (MEMBER, f"forget:{ids[CHAIR]}:1", "erasing the chair"),
        (MEMBER, f"forget:{ids[REMOVED]}:1", "erasing a removed member"),
        (CHAIR, f"forget:{ids[MEMBER]}:1", "the chair erasing a member"),
        (MEMBER, f"depart:{ids[CHAIR]}", "a member recording a departure"),
        (SECRETARIAT, f"depart:{ids[REMOVED]}", "the departure of a member already gone"),
        (MEMBER, f"invite:{ids[MEMBER]}:1", "a member inviting an account onto themselves"),
        (CHAIR, f"invite:{ids[REMOVED]}:1", "an invitation for a removed member"),
        (CHAIR, "invrevoke:999999999", "revoking an invitation that does not exist"),
        (MEMBER, f"setm:{ids[MEMBER]}:2:3", "a member changing their own network"),
        (CHAIR, f"setm:{ids[REMOVED]}:2:3", "changing a removed member"),
        (CHAIR, f"setm:{ids[CHAIR]}:1:2", "the only chair made a plain member"),
        (MEMBER, f"vote:{w['closed_vote']}:yes", "a closed vote"),
        (MEMBER, "vote:999999999:yes", "a vote that does not exist"),
        (MEMBER, f"att:{w['meeting']}:present", "a meeting whose record is not open"),
        (MEMBER, "att:999999999:present", "a meeting that does not exist"),
        (MEMBER, "rsvp:999999999:yes", "a meeting that does not exist"),
        (MEMBER, "rsvp:#0:yes", "meeting zero"),
        (MEMBER, f"nm:slot:60:{q[0]}", "scheduling as a member"),
        (CHAIR, f"nm:slot:60:{past}", "a time already past"),
        (CHAIR, f"nm:slot:60:{far}", "a time beyond any search"),
        (CHAIR, f"nm:slot:4:{q[0]}", "a duration too short"),
        (CHAIR, f"nm:slot:999999:{q[0]}", "a duration too long"),
        (CHAIR, f"slot:open:60:0:{q[0]}.{q[1]}", "a poll with no time chosen"),
        (CHAIR, f"slot:open:60:3:{q[0]}.{q[0]}", "the same time twice"),
        (CHAIR, f"slot:open:60:64:{q[0]}.{q[1]}", "a mask beyond the times"),
        (CHAIR, f"slot:open:60:1:{past}", "a poll on a past time"),
        (CHAIR, f"slot:pick:60:1:{q[0]}.{q[1]}.{q[0] + 1}.{q[0] + 2}.{q[0] + 3}.{q[0] + 4}", "six times"),
        (CHAIR, "nm:ok", "confirming a guided meeting never started"),
        (CHAIR, "nm:keep", "a guided step never reached"),
        (CHAIR, "nm:dur:60", "a guided step never reached"),
        (CHAIR, "tz:Mars/Olympus", "a zone that does not exist"),
        (CHAIR, "tz:../../etc/passwd", "a path as a zone"),
        (CHAIR, "lang:de", "a language the bot does not speak"),
    ]


def test_replayed_and_other_peoples_data_changes_nothing(lab):
    async def run() -> list[str]:
        failures = []
        for who, data, why in replays(lab):
            answers = len(lab.bot.api.callback_answers)
            try:
                await lab.press(who, anchor(lab, who), data, must_refuse=True, label=f"{why}: {data}")
                assert len(lab.bot.api.callback_answers) == answers + 1, f"{why}: not answered"
            except AssertionError as failure:
                failures.append(str(failure).split("\n")[0][:300])
        return failures

    report(lab.run(run()))


def test_real_buttons_replayed_after_they_expired(lab):
    """A vote closed, a proposal decided, a lookup page of another member, a poll answered twice."""
    w, ids = lab.world, lab.world["ids"]

    async def run() -> None:
        first = f"agenda:approve:{w['proposal']}"
        await lab.press(CHAIR, anchor(lab, CHAIR), f"agenda:decline:{w['proposal']}")
        await lab.press(CHAIR, anchor(lab, CHAIR), first, must_refuse=True)  # already decided
        await lab.press(SECRETARIAT, anchor(lab, SECRETARIAT), first, must_refuse=True)
        answer = f"poll:a:{w['poll']}:{w['slots'][0]}:y:{ids[MEMBER]}"
        await lab.press(MEMBER, anchor(lab, MEMBER), answer, may_change={"poll_answer"})
        await lab.press(MEMBER, anchor(lab, MEMBER), answer, must_refuse=True)  # the same answer again
        [pages] = await lab.bot.send(MEMBER, "/org Benin")
        data = next(b["callback_data"] for row in pages.buttons for b in row if b["callback_data"].startswith("lk:"))
        await lab.press("Ingrid Mulamba", anchor(lab, MEMBER), data, must_refuse=True)
        await lab.press(MEMBER, pages, data.rsplit(":", 1)[0] + ":9999", must_refuse=True)
        await lab.press(MEMBER, pages, "lk:" + "f" * 60 + ":1", must_refuse=True)

    lab.run(run())


def test_outsiders_pressing_real_buttons_are_refused_and_learn_nothing(lab):
    w, ids = lab.world, lab.world["ids"]
    stranger, removed = lab.bot.stranger("es"), lab.bot.person(REMOVED)
    datas = [f"poll:a:{w['poll']}:{w['slots'][0]}:y:{ids[REMOVED]}", f"poll:view:{w['poll']}",
             f"agenda:approve:{w['proposal']}", f"rsvp:{w['meeting']}:yes", f"vote:{w['vote']}:yes",
             f"att:{w['record']}:present", f"forget:{ids[REMOVED]}:1", f"nm:slot:60:{w['quarters'][0]}",
             "lang:fr", "tz:Europe/Brussels", "lk:00000000:1", "nm:cancel"]
    group_message = SentMessage(OTHER_GROUP["id"], 1, "x")

    async def run() -> list[str]:
        failures = []
        for data in datas:
            for who, message in ((stranger, SentMessage(stranger.telegram_id, 1, "x")),
                                 (removed, anchor(lab, REMOVED))):
                try:
                    await lab.press(who, message, data, outsider=True, expect=lab.refusals)
                except AssertionError as failure:
                    failures.append(str(failure).split("\n")[0][:300])
            try:
                await lab.press(MEMBER, group_message, data, must_refuse=True, expect=lab.unregistered)
            except AssertionError as failure:
                failures.append(str(failure).split("\n")[0][:300])
        return failures

    report(lab.run(run()))


PREFIXES = list(corpus.CALLBACK_PREFIXES)


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=corpus.callback_data(PREFIXES), presser=st.sampled_from(["member", "chair", "stranger"]))
def test_generated_callback_data(sqlite_lab, data, presser):
    lab = sqlite_lab
    ids = lab.world["ids"]
    if presser == "stranger":
        who = lab.bot.stranger("fr")
        lab.run(lab.press(who, SentMessage(who.telegram_id, 1, "x"), data, outsider=True))
        return
    name = MEMBER if presser == "member" else CHAIR
    if data.startswith(f"forget:{ids[name]}:"):
        return  # a real erasure of the presser (tested in tests/test_records_handlers.py)
    # Generated data can hit a real button (an RSVP, a ballot, a poll answer, approving a
    # proposal): then only the presser's own answer may change.
    lab.run(lab.press(name, anchor(lab, name), data,
                      may_change={"rsvp", "ballot", "attendance", "poll_answer", "member", "agenda_item",
                                  "outbox", "availability_poll", "meeting"} if presser == "chair" else
                      {"rsvp", "ballot", "attendance", "poll_answer", "member", "outbox"}))
