"""Issue 8's hostile inputs: hand-written, grouped by category, and hypothesis strategies.

Everything here is data; the checks live in ``tests/hostile/lab.py``. The categories:

- DATES, TIMES, DATETIMES: malformed and extreme dates and clock times (never valid).
- DURATIONS: malformed and extreme durations (never a valid meeting length or reminder).
- ZONES: unknown, misspelled and absurd time zones (never resolvable).
- TEXTS: free text that must be stored verbatim or refused, and always shown escaped:
  HTML and Markdown, zero-width and right-to-left characters, emoji, null bytes and control
  characters, SQL-looking strings, format strings, Unicode digits, 5,000-character titles.
- IDS: ids that name nothing (zero, negative, huge, Unicode digits, forged).
"""

from hypothesis import strategies as st

LONG = 5000

DATES = [
    "2026-02-30", "2027-02-29", "2100-02-29", "9999-12-31", "0000-00-00", "0001-01-01", "2026-13-01",
    "2026-00-10", "2026-12-32", "2026-12-00", "26-12-03", "2026/12/03", "03/12/2026", "2026-12-3",
    "-2026-12-03", "20261203", "2026-12-03T15:00", "tomorrow", "demain", "mañana", "1e10",
    "２０２６-１２-０３", "٢٠٢٦-١٢-٠٣", "2026-12-03\u200b", "\u202e2026-12-03", "2026‐12‐03",
    "99999-12-03", "2020-01-01", "2037-01-01", "2100-12-31", "1970-01-01", "<b>2026-12-03</b>", "2026-12-03'; DROP TABLE meeting;--",
]

# Read as valid on purpose: Unicode decimal digits are digits (members type Arabic-Indic or
# full-width ones) and a one-digit day is unambiguous. Everything else in DATES and TIMES
# must be refused for a meeting ("2037-01-01" is beyond the ten-year planning horizon).
LENIENT = {"2026-12-3", "２０２６-１２-０３", "٢٠٢٦-١٢-٠٣", "１５:００", "٣:٠٠",
           "00:00\x00"}  # the frame drops NUL from what was typed

TIMES = [
    "24:00", "25:61", "23:60", "-5:00", "99:99", "15", "15h", "3pm", "00:00:00", "15:00:60",
    "１５:００", "٣:٠٠", "15:00\u200b", "1500", "15.00", "15:0", ":", "12:-1", "00:00\x00",
]

# (date, time): every one impossible, past, skipped or ambiguous somewhere.
DATETIMES = [
    ("9999-12-31", "23:59"), ("0000-00-00", "00:00"), ("2026-02-30", "15:00"), ("2026-12-03", "24:00"),
    ("2026-12-03", "25:61"), ("2020-01-01", "10:00"), ("2026-11-23", "08:59"), ("1970-01-01", "00:00"),
]
# Europe/Brussels: 02:30 does not exist on 2027-03-28 and happens twice on 2027-10-31.
DST_TRAPS = [("2027-03-28", "02:30", "Europe/Brussels"), ("2027-10-31", "02:30", "Europe/Brussels")]

DURATIONS = [
    "-5", "0", "4", "721", "100000000000000000000", "10" + "0" * 20, "1e3", "90.5", "٩٠٠٠", "９０００",
    "99999999999999999999999", "25h", "1h99999999999999", "0h", "0m", "NaN", "inf", "-0", "-90",
    "99999999999999999999d", "1000000000000d", "2d" * 40, "5 minutes", "½", "²", "90²", "⁹⁰",
]

ZONES = [
    "Mars/Olympus_Mons", "Europe/Brusels", "Europe/Bruxelles", "Asia/Kathmandoo", "UTC+5", "GMT-3:30",
    "Etc/GMT+15", "../../etc/passwd", "Europe/", "/", "Z", "PST8PDTX", "A" * 200, "Europe/Brussels\u200b",
    "Asia/Tokyo\x00", "\u202eEurope/Paris", "Europe/<b>Paris</b>", "Europe/Paris'; DROP TABLE member;--",
    "Atlantis", "Narnia", "Xyzzy/Plugh", "🌍/🕐",
]

TEXT_CATEGORIES = {
    "html": ["<b>bold</b>", "</a>", "<a href=\"javascript:alert(1)\">x</a>", "<script>alert(1)</script>",
             "&amp;", "&lt;b&gt;", "&", "<", ">", "a < b > c", "<<>>", "<i>unclosed", "<tg-spoiler>x</tg-spoiler>",
             "<pre><code class=\"language-python\">x</code></pre>", "&#0;", "&#x110000;", "&bogus;"],
    "markdown": ["*bold*", "_italic_", "`code`", "```pre```", "[link](http://evil.example)", "~~strike~~",
                 "||spoiler||", "# heading", "> quote", "- item"],
    "invisible": ["\u200b", "\ufeff", "\u200bzero\u200bwidth\ufeff", "\u202eevil\u202c", "\u202egnp.exe",
                  "\u2066isolate", "\u00a0", "\u2028\u2029"],
    "unicode": ["🎉🔥👩🏽‍💻", "🏳️‍🌈 réunion", "ŻÓŁĆ 日本語 العربية עברית", "a\u0301" * 30, "Ｓａｍｙ", "𝟙𝟚", "²", "٣"],
    "control": ["\x00", "a\x00b", "\x07\x1b[31mred\x1b[0m", "line\r\nbreak", "\t\t", "\x7f\x85", "\x01\x02\x03"],
    "injection": ["'; DROP TABLE member;--", "1 OR 1=1", "\" OR \"\"=\"", "Robert'); DROP TABLE decision;--",
                  "%s %d %n", "{0} {name} {id}", "{}", "{{", "${jndi:ldap://x}", "../../../etc/passwd", "NULL",
                  "None", "null"],
    "numbers": ["-1", "0", "#", "##1", "#-1", "1e309", "999999999999999999999", "-", ":", "|", "| | |",
                "@inspir_bot", "/start", "/help@inspir_bot", "Samy", "Bart Verstraeten"],
    "long": ["x" * LONG, "<b>" * 1700, "é" * 4097, "\u200b" * 1000, "🎉" * 1200, "word " * 250, "<" * 999],
}
TEXTS = [text for texts in TEXT_CATEGORIES.values() for text in texts]

IDS = ["0", "-1", "#0", "##1", "1.5", "1e3", "0x10", "999999999", "9999999999", "2147483648",
       "99999999999999999999", "²", "٣", "１", "𝟙", "1\u200b", "#", "", "abc", "'1'", "1;2"]

# Callback data prefixes the handlers use (the first segment(s) of the data), with the arity
# (number of segments after the prefix) of real buttons.
CALLBACK_PREFIXES = {
    "lang": 1, "tz": 1, "forget": 2, "agenda:approve": 1, "agenda:decline": 1, "rsvp": 2, "nm": 1,
    "nm:slot": 2, "nm:dur": 1, "vote": 2, "att": 2, "lk": 2, "slot:choose": 3,
    "slot:pick": 3, "slot:open": 3, "poll:a": 4, "poll:view": 1, "poll:close": 1, "poll:meet": 1,
    "depart": 1, "invite": 2, "invrevoke": 1, "setm": 3, "notify": 1, "minutes:files": 1, "chart": 2,
}
CALLBACK_VALUES = ["", "0", "-1", "1", "x", "yes", "present", "y", "9" * 9, "9" * 10, "9" * 30, "²", "٣",
                   "１", "1.5", "1e3", "<b>", "'", "%00", "\x00", "\u200b", "🎉", "a" * 70]


def hand_written_callbacks() -> list[str]:
    """Every prefix with wrong arity, non-numeric, huge and Unicode-digit values, and 64+ bytes."""
    out: list[str] = []
    for prefix, arity in CALLBACK_PREFIXES.items():
        out.append(prefix)
        out.append(prefix + ":")
        for count in {0, arity - 1, arity + 1, arity + 3} - {-1}:
            out.append(":".join([prefix, *(["1"] * count)]))
        for value in CALLBACK_VALUES:
            out.append(":".join([prefix, *([value] * arity)]))
        out.append(":".join([prefix, *(["1"] * arity)]) + "x" * 64)  # more than 64 bytes
        out.append(":".join([prefix, *(["🎉" * 17] * arity)]))  # 64+ bytes in few characters
    return list(dict.fromkeys(out))


# --- hypothesis strategies ----------------------------------------------------------------

SPECIALS = "<>&\"'`*_[]()~|#:;-/\\%{}$@!\x00\x01\x07\x1b\x7f\u200b\u200d\ufeff\u202e\u2028\n\t "
FRAGMENTS = ["<b>", "</b>", "</a>", "<script>", "&amp;", "&lt;", "*", "`", "'; DROP TABLE member;--",
             "\u202e", "\u200b", "🎉", "\x00", "²", "٣", "９", "#", "|", ":"]

hostile_text = st.one_of(
    st.text(alphabet=st.sampled_from(SPECIALS + "abcXYZ0129éß日"), min_size=1, max_size=80),
    st.text(min_size=1, max_size=60),  # any Unicode (hypothesis leaves surrogates out)
    st.lists(st.sampled_from(FRAGMENTS + TEXTS[:40]), min_size=1, max_size=6).map("".join),
)

_digits = st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩０１２３４５６７８９²³¹", min_size=1, max_size=6)
malformed_date = st.one_of(
    st.sampled_from(DATES),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(13, 99),
              st.integers(0, 99)),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 12),
              st.integers(32, 99)),
    st.builds(lambda a, b, c: f"{a}-{b}-{c}", _digits, _digits, _digits),
)
malformed_time = st.one_of(
    st.sampled_from(TIMES),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(24, 99), st.integers(0, 99)),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(60, 99)),
    st.builds(lambda h, m: f"{h}:{m}", _digits, _digits),
)
malformed_duration = st.one_of(
    st.sampled_from(DURATIONS),
    st.integers(min_value=10**6, max_value=10**30).map(str),
    st.integers(min_value=-10**6, max_value=4).map(str),
    st.builds(lambda n, u: f"{n}{u}", st.integers(10**9, 10**25), st.sampled_from("dhm")),
)
unknown_zone = st.one_of(
    st.sampled_from(ZONES),
    st.builds(lambda a, b: f"{a}/{b}", st.sampled_from(["Mars", "Venus", "Nowhere", "Atlantis"]),
              st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=12)),
)
bad_id = st.one_of(st.sampled_from(IDS), st.integers(min_value=10**9, max_value=10**40).map(str),
                   st.integers(max_value=0).map(str), _digits.filter(lambda s: not s.isascii()))


def callback_data(prefixes: list[str]) -> st.SearchStrategy[str]:
    """Forged data: a real prefix, then any number of hostile segments (often past 64 bytes)."""
    segment = st.one_of(st.sampled_from(CALLBACK_VALUES), st.integers(-10**12, 10**30).map(str),
                        st.text(alphabet=st.sampled_from(SPECIALS + "0123456789ynm²٣"), max_size=12))
    return st.builds(lambda prefix, parts: ":".join([prefix, *parts]), st.sampled_from(prefixes),
                     st.lists(segment, max_size=6))
