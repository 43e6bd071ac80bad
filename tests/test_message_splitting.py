"""Long messages are split for Telegram without cutting an entity or a tag: the minutes and
/decisions of a decision of 1,000 ``&`` (5,000 characters once escaped) stay valid HTML."""

import html
import re

from bot.delivery.sending import split_message
from tests.hostile.lab import html_problems
from tests.test_records_handlers import make_meeting

CHAIR = "Bart Verstraeten"


def visible(text: str) -> str:
    return html.unescape(re.sub(r"</?[A-Za-z][^<>]*>", "", text))


def test_a_long_line_is_cut_between_characters_and_its_tags_reopened() -> None:
    text = "<b>Decision</b>\n" + "&amp;" * 1000 + "\n<i>" + "x&lt;" * 1500 + '</i> <a href="https://x.org">y</a>'
    parts = split_message(text)
    assert len(parts) > 2 and all(len(part) <= 4096 for part in parts)
    assert [html_problems(part) for part in parts] == [[]] * len(parts)
    assert visible("".join(parts)) == visible(text.replace("\n", ""))
    assert split_message("one\ntwo") == ["one\ntwo"]


async def test_minutes_and_decisions_of_a_decision_of_a_thousand_ampersands(bot):
    await make_meeting(bot)
    await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    await bot.send(CHAIR, "/decide " + "&" * 1000, group=True)
    sent = await bot.send(CHAIR, "/endmeeting", group=True)
    sent += await bot.send("Samy Arokiasamy", "/decisions")
    texts = [m.text for m in sent if m.text and not m.document]
    assert any("&amp;" * 500 in text for text in texts)
    assert [html_problems(text) for text in texts] == [[]] * len(texts)
