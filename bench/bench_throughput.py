"""Replies per second and latency through the Bot API emulator: the minimal echo bot
(tests/e2e/echo_bot.py) as the baseline, then inspir-bot (``main.py run``, a real process)
answering lookups (/who, /org, plain questions), /meetings and /mytasks with 1,000 members,
10,000 decisions and 10,000 action items in its database; on SQLite and on PostgreSQL.

    .venv/bin/python bench/bench_throughput.py [--only sqlite|postgresql] [--users 50]
        [--per-user 10] [--variants echo,echo-limited,inspir,inspir-unlimited]
        [--concurrency 8] [--profile DIR]

Load: ``--users`` members (linked Telegram accounts) send ``--per-user`` messages each, all
at once (one asyncio task per user); each user sends its next message when the answer to the
previous one arrived (the emulator waits server-side), as a person in a chat does. Mix: 70 %
lookups cycling through tests/lookup_questions.py, 20 % /meetings, 10 % /mytasks. Latency is
from sending a message (client clock, just before the HTTP call) to the first message of the
answer reaching the emulator (sendMessage, the emulator's clock, same machine); throughput is
answered messages / (last reply - first message). Before the load, each distinct text and a
few heavier probes (/decisions, /actions on 10,000 rows) are answered once, one at a time:
their latency without a queue is printed too, and the number of messages per answer.

Variants, run back to back on each database so that both sides of a ratio see the same
machine load:
- echo: echo_bot.py as it is (no rate limiter), texts without their slash so it echoes them;
- echo-limited: echo_bot.py --rate-limiter (PTB's AIORateLimiter, as inspir-bot deploys it);
- inspir: ``main.py run`` exactly as deployed (AIORateLimiter, INFO logs);
- inspir-unlimited: the same with AIORateLimiter replaced by none (a ``python -c`` shim), i.e.
  the bot's own cost per update;
- inspir-concurrent (not run by default): PTB's plain concurrent_updates(N) forced by a shim,
  the experiment that motivated the per-chat update processor.
AIORateLimiter holds sends to Telegram's overall 30 messages/s, so "inspir" vs "echo-limited"
compares deployments and "inspir-unlimited" vs "echo" compares code. Bot CPU ms per reply
(/proc/<pid>/stat) is printed as well: on a shared machine it moves much less than wall time.

The last lines (``SUMMARY | ...``) are what bench/run_all.py tabulates.
"""

from __future__ import annotations

import argparse
import asyncio
import pstats
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402

from _support import (  # noqa: E402
    ROOT, Emulator, EmulatorClient, Population, cpu_seconds, machine, percentile, populate, rss_mib,
    scratch_database, start_echo, start_inspir, stop, wait_for_polling,
)
from tests.lookup_questions import QUESTIONS  # noqa: E402

VARIANTS = ("echo", "echo-limited", "inspir", "inspir-unlimited", "inspir-concurrent")
DEFAULT_VARIANTS = ("echo", "echo-limited", "inspir", "inspir-unlimited")
# Answered once each, one at a time, before the load (not part of it): what a single request
# costs on these tables, queue excluded. /decisions and /actions read 10,000 rows each.
PROBES = ("/decisions budget", "/decisions", "/actions", "/actions overdue", "/me")
PREFIX = {"ask": "", "who": "/who ", "org": "/org "}
NO_LIMITER = (
    "import sys; sys.path.insert(0, {root!r}); sys.argv = ['main.py', 'run']\n"
    "import bot.telegram.application as application; application.RateLimiter = lambda **_: None\n"
    "import main; raise SystemExit(main.main(['run']))"
)
# An experiment, not the deployment: PTB's concurrent_updates (updates of different users
# handled at the same time, up to N), AIORateLimiter kept.
CONCURRENT = (
    "import sys; sys.path.insert(0, {root!r}); sys.argv = ['main.py', 'run']\n"
    "from telegram.ext import ApplicationBuilder\n"
    "build = ApplicationBuilder.build\n"
    "ApplicationBuilder.build = lambda self: build(self.concurrent_updates({updates}))\n"
    "import main; raise SystemExit(main.main(['run']))"
)
REPLY_TIMEOUT = 60.0
GOAL = 0.8


@dataclass
class Request:
    text: str
    kind: str


@dataclass
class Result:
    variant: str
    replies: int
    seconds: float
    latencies_ms: list[float]
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    rss_mib: float = 0.0
    peak_rss_mib: float = 0.0
    bot_cpu_s: float = 0.0
    emulator_cpu_s: float = 0.0
    handler_ms: dict[str, list[float]] = field(default_factory=dict)
    single_ms: dict[str, float] = field(default_factory=dict)
    answers: dict[str, int] = field(default_factory=dict)

    @property
    def cpu_ms_per_reply(self) -> float:
        return self.bot_cpu_s * 1000 / self.replies if self.replies else 0.0

    @property
    def rate(self) -> float:
        return self.replies / self.seconds if self.seconds else 0.0

    def p(self, fraction: float) -> float:
        return percentile(self.latencies_ms, fraction)


def lookups() -> list[Request]:
    return [Request(PREFIX[case["via"]] + case["question"], f"lookup ({case['via']})") for case in QUESTIONS]


def workload(users: int, per_user: int) -> list[list[Request]]:
    """Per user: 70 % lookups (/who, /org and plain questions, cycling through the shared
    question set), 20 % /meetings, 10 % /mytasks."""
    questions = lookups()
    plan = []
    for user in range(users):
        mine = []
        for number in range(per_user):
            slot = number % 10
            if slot in (2, 7):
                mine.append(Request("/meetings", "/meetings"))
            elif slot == 5:
                mine.append(Request("/mytasks", "/mytasks"))
            else:
                mine.append(questions[(user * 7 + number) % len(questions)])
        plan.append(mine)
    return plan


def echo_workload(plan: list[list[Request]]) -> list[list[Request]]:
    """The same texts without a leading slash: the echo bot echoes any text that is no command."""
    return [[Request(request.text.lstrip("/"), "echo") for request in mine] for mine in plan]


def user_json(telegram_id: int, language: str) -> dict:
    return {"id": telegram_id, "first_name": f"Member{telegram_id % 10_000}", "language_code": language}


async def drive(emulator: EmulatorClient, users: list[dict], plan: list[list[Request]],
                answers: dict[str, int]) -> tuple[dict, float]:
    """Every user sends its messages one after the other, each once the previous one was
    answered; all users at once. Returns each user's send times and the first send."""
    sent: dict[int, list[tuple[float, Request]]] = {user["id"]: [] for user in users}
    limits = httpx.Limits(max_connections=len(users) * 2 + 4, max_keepalive_connections=len(users) * 2 + 4)
    async with httpx.AsyncClient(base_url=emulator.api_url, timeout=REPLY_TIMEOUT + 10, limits=limits) as http:
        async def one_user(user: dict, requests: list[Request]) -> None:
            number = 0
            for request in requests:
                number += answers[request.text]
                sent[user["id"]].append((time.time(), request))
                body = (await http.post("/e2e/message", json={
                    "token": emulator.token, "user": user, "text": request.text, "chat": None, "extra": {}})).json()
                assert body["ok"], body
                answered = (await http.get("/e2e/messages", params={
                    "token": emulator.token, "chat_id": user["id"], "count": number,
                    "timeout": REPLY_TIMEOUT})).json()
                assert answered["ok"] and len(answered["result"]) >= number, (
                    f"no reply to {request.text!r} within {REPLY_TIMEOUT} s")

        await asyncio.gather(*(one_user(user, requests) for user, requests in zip(users, plan)))
    first = min(times[0][0] for times in sent.values() if times)
    return sent, first


def measure(variant: str, emulator: EmulatorClient, users: list[dict], plan: list[list[Request]],
            answers: dict[str, int], process_pid: int, emulator_pid: int) -> Result:
    emulator.reset()
    bot_cpu, emulator_cpu = cpu_seconds(process_pid), cpu_seconds(emulator_pid)
    sent, first = asyncio.run(drive(emulator, users, plan, answers))
    bot_cpu, emulator_cpu = cpu_seconds(process_pid) - bot_cpu, cpu_seconds(emulator_pid) - emulator_cpu
    replies: dict[int, list[float]] = {}
    for call in emulator.calls("sendMessage"):
        if "error_code" not in call:
            replies.setdefault(int(call["params"]["chat_id"]), []).append(float(call["time"]))
    latencies, by_kind, last = [], {}, first
    for user_id, requests in sent.items():
        times = sorted(replies.get(user_id, []))
        expected = sum(answers[request.text] for _, request in requests)
        assert len(times) == expected, f"user {user_id}: {len(times)} replies, {expected} expected"
        position = 0
        for at, request in requests:
            elapsed = (times[position] - at) * 1000  # to the first message of the answer
            position += answers[request.text]
            latencies.append(elapsed)
            by_kind.setdefault(request.kind, []).append(elapsed)
        last = max([last, *times])
    result = Result(variant, len(latencies), last - first, latencies, by_kind,
                    bot_cpu_s=bot_cpu, emulator_cpu_s=emulator_cpu)
    result.rss_mib = rss_mib(process_pid)
    result.peak_rss_mib = rss_mib(process_pid, "VmHWM")
    return result


def warm_up(emulator: EmulatorClient, users: list[dict], requests: list[Request]) -> dict[str, tuple[int, float]]:
    """Each distinct text once, one at a time, each from its own user (the first lookup builds
    the directory). For each text: how many messages the bot sends in answer (most answers are
    one message; a long list can be two), and the latency to the first one with no queue."""
    emulator.reset()
    texts = list(dict.fromkeys(request.text for request in requests))
    assert len(users) >= len(texts), "not enough linked members for the warm-up"
    sent_at = {}
    with httpx.Client(base_url=emulator.api_url, timeout=REPLY_TIMEOUT + 10) as http:
        for user, text in zip(users, texts):
            sent_at[user["id"]] = time.time()
            http.post("/e2e/message", json={"token": emulator.token, "user": user, "text": text,
                                            "chat": None, "extra": {}}).raise_for_status()
            answered = http.get("/e2e/messages", params={"token": emulator.token, "chat_id": user["id"],
                                                         "count": 1, "timeout": REPLY_TIMEOUT}).json()
            assert answered["result"], f"no reply to {text!r} in the warm-up"
    time.sleep(1.0)  # any further message of an answer has arrived by now
    replies: dict[int, list[float]] = {}
    for call in emulator.calls("sendMessage"):
        replies.setdefault(int(call["params"]["chat_id"]), []).append(float(call["time"]))
    return {text: (len(replies[user["id"]]), (min(replies[user["id"]]) - sent_at[user["id"]]) * 1000)
            for user, text in zip(users, texts)}


HANDLED = re.compile(r"update (\d+) handled by (\w+) in \w+ chat: \w+ \((\d+) ms\)")


def handler_times(log: Path, last: int) -> dict[str, list[float]]:
    """The time each handler took by the bot's own INFO line per update (transaction, handler
    and sends, not the wait in the update queue), for the ``last`` updates handled."""
    found: dict[str, list[float]] = {}
    for match in list(HANDLED.finditer(log.read_text(errors="replace")))[-last:]:
        found.setdefault(match[2], []).append(float(match[3]))
    return found


def run_variant(variant: str, database_url: str, emulator: EmulatorClient, emulator_pid: int,
                population: Population, plan: list[list[Request]], workdir: Path,
                profile: Path | None = None, concurrency: int = 8) -> Result:
    users = [user_json(telegram_id, language)
             for telegram_id, language in zip(population.telegram_ids, population.languages)][:len(plan)]
    emulator.reset()
    log = workdir / f"{variant}.log"
    if variant.startswith("echo"):
        process = start_echo(emulator, log, rate_limiter=variant == "echo-limited")
        plan = echo_workload(plan)
    else:
        profiling = ("-m", "cProfile", "-o", str(profile / f"{variant}.pstats")) if profile else ()
        code = {"inspir-unlimited": NO_LIMITER.format(root=str(ROOT)),
                "inspir-concurrent": CONCURRENT.format(root=str(ROOT), updates=concurrency)}.get(variant)
        if profiling and code:
            profiling, code = (), (f"import cProfile; cProfile.run({code!r}, {str(profile / (variant + '.pstats'))!r})")
        process = start_inspir(database_url, emulator, log, python_args=profiling, code=code)
    try:
        wait_for_polling(emulator, process)
        distinct = [request for mine in plan for request in mine]
        if not variant.startswith("echo"):
            distinct += [Request(text, "probe") for text in PROBES]
        spare = [user_json(telegram_id, language) for telegram_id, language
                 in zip(population.telegram_ids, population.languages)][len(plan):]
        single = warm_up(emulator, spare, distinct)
        answers = {text: count for text, (count, _) in single.items()}
        result = measure(variant, emulator, users, plan, answers, process.pid, emulator_pid)
        result.single_ms = {text: latency for text, (_, latency) in single.items()}
        result.answers = answers
        if not variant.startswith("echo"):
            stop(process)
            result.handler_ms = handler_times(log, result.replies)
        return result
    except BaseException:
        sys.stderr.write(log.read_text(errors="replace")[-3000:])
        raise
    finally:
        stop(process)


def report(label: str, results: dict[str, Result]) -> list[str]:
    print(f"\n{label}")
    print(f"  {'variant':18} {'replies':>7} {'replies/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
          f" {'bot CPU ms/reply':>16} {'emulator CPU ms/reply':>21} {'RSS MiB':>8} {'peak MiB':>8}")
    for result in results.values():
        print(f"  {result.variant:18} {result.replies:7d} {result.rate:9.1f} {result.p(0.5):8.1f}"
              f" {result.p(0.95):8.1f} {result.p(0.99):8.1f} {result.cpu_ms_per_reply:16.1f}"
              f" {result.emulator_cpu_s * 1000 / max(result.replies, 1):21.1f}"
              f" {result.rss_mib:8.0f} {result.peak_rss_mib:8.0f}")
    summary = []
    pairs = (("inspir", "echo-limited", "as deployed, both with AIORateLimiter"),
             ("inspir-concurrent", "echo-limited", "experiment: concurrent_updates, both with AIORateLimiter"),
             ("inspir", "echo", "inspir as deployed vs the plain echo bot"),
             ("inspir-unlimited", "echo", "code only, neither rate-limited"))
    for mine, baseline, meaning in pairs:
        if mine in results and baseline in results:
            ratio = results[mine].rate / results[baseline].rate
            verdict = "meets" if ratio >= GOAL else "below"
            cpu = results[mine].cpu_ms_per_reply / max(results[baseline].cpu_ms_per_reply, 1e-9)
            print(f"  ratio {mine}/{baseline}: {ratio:.2f} ({verdict} the {GOAL} goal; {meaning});"
                  f" bot CPU per reply x{cpu:.1f}")
    for name in ("inspir", "inspir-unlimited", "inspir-concurrent"):
        if name in results and len(results[name].by_kind) > 1:
            print(f"  {name} latency by request kind, sent to answered incl. the queue (p50 / p95 ms):")
            for kind, samples in sorted(results[name].by_kind.items()):
                print(f"    {kind:18} n={len(samples):4d}  {percentile(samples, 0.5):8.1f} / "
                      f"{percentile(samples, 0.95):8.1f}")
            single = results[name].single_ms
            lookups_alone = [single[r.text] for r in lookups() if r.text in single]
            print(f"  {name} one request at a time, no queue (ms, messages in the answer): lookups p50 "
                  f"{percentile(lookups_alone, 0.5):.0f}, max {max(lookups_alone):.0f} (the first builds the "
                  f"directory); " + "; ".join(f"{text} {single[text]:.0f} ({results[name].answers[text]})"
                                              for text in ("/meetings", "/mytasks", *PROBES) if text in single))
            print(f"  {name} time in each handler by the bot's log line (p50 / p95 / total ms):")
            for handler, samples in sorted(results[name].handler_ms.items()):
                print(f"    {handler:18} n={len(samples):4d}  {percentile(samples, 0.5):8.1f} / "
                      f"{percentile(samples, 0.95):8.1f} / {sum(samples):8.0f}")
    for result in results.values():
        ratio = ""
        baseline = {"inspir": "echo-limited", "inspir-concurrent": "echo-limited",
                    "inspir-unlimited": "echo"}.get(result.variant)
        if baseline and baseline in results:
            ratio = f" | ratio vs {baseline} {result.rate / results[baseline].rate:.2f}"
        summary.append(f"SUMMARY | throughput {label} {result.variant} | {result.rate:.1f} replies/s | "
                       f"p50 {result.p(0.5):.0f} ms p95 {result.p(0.95):.0f} ms p99 {result.p(0.99):.0f} ms | "
                       f"{result.cpu_ms_per_reply:.1f} CPU ms/reply{ratio}")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=8,
                        help="concurrent_updates of the inspir-concurrent variant (default 8)")
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS),
                        help=f"comma-separated, among {', '.join(VARIANTS)}")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="run the inspir variants under cProfile, keep DIR/<db>-<variant>.pstats, print the top")
    parser.add_argument("--postgres", help="admin URL of the PostgreSQL server (default: INSPIR_TEST_POSTGRES_URL "
                                           "or postgresql://postgres@127.0.0.1:5432/postgres)")
    args = parser.parse_args()
    variants = [name.strip() for name in args.variants.split(",") if name.strip()]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variant(s): {', '.join(sorted(unknown))}")
    plan = workload(args.users, args.per_user)
    print(f"machine: {machine()}")
    print(f"load: {args.users} users x {args.per_user} messages = {args.users * args.per_user} messages, "
          f"each user waiting for the reply before its next message")

    server = Emulator.start()
    emulator = server.client()
    summary: list[str] = []
    try:
        for kind in ("sqlite", "postgresql"):
            if args.only not in (None, kind):
                continue
            extra = {"postgresql": {"admin_url": args.postgres}} if args.postgres else {}
            with scratch_database(kind, **extra.get(kind, {})) as url, \
                    tempfile.TemporaryDirectory(prefix="inspir-bench-") as directory:
                started = time.perf_counter()
                population = populate(url, Path(directory))
                label = "SQLite" if kind == "sqlite" else "PostgreSQL"
                print(f"\n{label}: {population.members} members (all linked), {population.organisations} "
                      f"organisations, {population.meetings} meetings ({population.upcoming} upcoming), "
                      f"{population.decisions} decisions, {population.actions} action items "
                      f"(written in {time.perf_counter() - started:.0f} s)")
                results = {}
                profile = None
                if args.profile:
                    profile = args.profile.resolve() / kind
                    profile.mkdir(parents=True, exist_ok=True)
                for variant in variants:
                    results[variant] = run_variant(variant, url, emulator, server.process.pid, population, plan,
                                                   Path(directory), profile, args.concurrency)
                    print(f"  {variant}: {results[variant].rate:.1f} replies/s", flush=True)
                    if profile and (profile / f"{variant}.pstats").exists():
                        print(f"  profile of {variant} (whole run, cumulative):")
                        stats = pstats.Stats(str(profile / f"{variant}.pstats"), stream=sys.stdout)
                        stats.sort_stats("cumulative").print_stats(r"inspir|/bot/|/handlers/|/storage/", 30)
                summary += report(label, results)
    finally:
        emulator.close()
        server.stop()
    print()
    print("\n".join(summary))


if __name__ == "__main__":
    main()
