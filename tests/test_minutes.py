"""The minutes' structure (bot/services/minutes.py) built from stored records, and its three renderings
(Telegram HTML, Markdown, standalone HTML page) in French, English and Spanish."""

from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser

from bot.services import minutes, records
from bot.i18n.translation import I18n
from handlers.shared.minutes_text import as_html_page, as_markdown, render_parts
from storage.models import AgendaItem, Meeting, Member

I18N = I18n()
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


async def _record(bot):
    async with bot.services.db.transaction() as session:
        chair = await session.get(Member, (await bot.member("Bart")).id)
        samy = await session.get(Member, (await bot.member("Samy")).id)
        ingrid = await session.get(Member, (await bot.member("Ingrid")).id)
        meeting = Meeting(title="Committee <2027> & co", starts_at=NOW, duration_minutes=90,
                          timezone="Europe/Brussels", status="scheduled")
        session.add(meeting)
        await session.flush()
        for position, title in enumerate(("Budget", "Elections"), start=1):
            session.add(AgendaItem(meeting_id=meeting.id, position=position, title=title, status="approved"))
        await session.flush()
        offsets, zone = [timedelta(hours=48)], "Europe/Brussels"
        await records.start_record(session, meeting, chair, NOW)
        await records.set_attendance(session, meeting, samy, "present", chair)
        await records.set_attendance(session, meeting, ingrid, "apologies", ingrid)
        vote = await records.open_vote(session, meeting, chair, "Adopt?", NOW)
        await records.cast_ballot(session, vote, samy, "yes", NOW)
        await records.cast_ballot(session, vote, ingrid, "no", NOW)
        await records.cast_ballot(session, vote, chair, "yes", NOW)
        await records.add_decision(session, meeting, chair, "Budget adopted", NOW)
        gone = await records.add_decision(session, meeting, chair, "Wrong wording", NOW + timedelta(minutes=1))
        gone[0].deleted_at = NOW
        await records.add_action(session, meeting, chair, samy, "Send <the> budget", date(2026, 12, 15),
                                 NOW, offsets, zone)
        await records.next_item(session, meeting, chair, NOW)
        await records.add_note(session, meeting, samy, "Slides *on* the_drive", NOW)
        await records.add_action(session, meeting, chair, None, "Find a venue", None, NOW, offsets, zone)
        await records.add_action(session, meeting, chair, samy, "Call Lima", date(2026, 12, 1), NOW, offsets, zone)
        await records.end_record(session, meeting, chair, NOW + timedelta(hours=1))
        return meeting.id


async def _build(bot, meeting_id):
    async with bot.services.db.transaction() as session:
        return await minutes.build(session, await session.get(Meeting, meeting_id))


async def test_structure_from_records(bot):
    built = await _build(bot, await _record(bot))
    assert [p.name for p in built.present] == ["Samy Arokiasamy"]
    assert [p.name for p in built.apologies] == ["Ingrid Mulamba"]
    budget, elections = built.items
    assert [d.text for d in budget.decisions] == ["Budget adopted"]  # the removed one is left out
    assert budget.decisions[0].vote.counts == {"yes": 2, "no": 1, "abstain": 0}
    assert not budget.votes and [a.text for a in budget.actions] == ["Send <the> budget"]
    assert [n.text for n in elections.notes] == ["Slides *on* the_drive"]
    owners = [(owner.name if owner else None, [a.text for a in acts]) for owner, acts in built.actions_by_owner]
    assert owners == [("Samy Arokiasamy", ["Call Lima", "Send <the> budget"]), (None, ["Find a venue"])]
    assert built.closed_at == NOW + timedelta(hours=1)


async def test_rendered_in_three_languages(bot):
    built = await _build(bot, await _record(bot))
    expected = {
        "fr": ["Procès-verbal de la réunion", "Présents (1) : Samy Arokiasamy", "oui 2 · non 1 · abstention 0",
               "Actions par responsable", "sans responsable", "lundi 23 novembre 2026, 10:00 (Bruxelles, UTC+01:00)"],
        "en": ["Minutes of meeting", "Present (1): Samy Arokiasamy", "yes 2 · no 1 · abstain 0",
               "Actions by owner", "unassigned", "Monday, November 23, 2026, 10:00 (Brussels, UTC+01:00)",
               "09:00 (UTC)"],
        "es": ["Acta de la reunión", "Presentes (1): Samy Arokiasamy", "sí 2 · no 1 · abstención 0",
               "Acciones por responsable", "sin responsable", "lunes, 23 de noviembre de 2026, 10:00 (Bruselas, UTC+01:00)"],
    }
    for lang, parts in expected.items():
        rendered = render_parts(I18N.translator(lang), built, "Europe/Brussels")
        for part in parts:
            for kind in ("text", "md", "html"):
                assert part.replace("<", "&lt;") in rendered[kind] or part in rendered[kind], (lang, kind, part)
        assert "Wrong wording" not in rendered["text"]
        assert "Committee &lt;2027&gt; &amp; co" in rendered["text"]
        assert f'<html lang="{lang}">' in rendered["html"]


async def test_html_page_is_well_formed_and_escaped(bot):
    built = await _build(bot, await _record(bot))
    page = render_parts(I18N.translator("en"), built, "Europe/Brussels")["html"]
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "Send &lt;the&gt; budget" in page and "<the>" not in page

    class Checker(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.errors = [], []

        def handle_starttag(self, tag, attrs):
            if tag not in ("meta",):
                self.stack.append(tag)

        def handle_endtag(self, tag):
            if not self.stack or self.stack.pop() != tag:
                self.errors.append(tag)

    checker = Checker()
    checker.feed(page)
    assert not checker.errors and not checker.stack


async def test_markdown_escapes_user_text(bot):
    built = await _build(bot, await _record(bot))
    text = render_parts(I18N.translator("en"), built, "Europe/Brussels")["md"]
    assert text.startswith("# Minutes of meeting")
    assert r"Slides \*on\* the\_drive" in text and r"Send \<the\> budget" in text
    assert "## Actions by owner" in text and "&lt;" not in text and "&amp;" not in text


def test_blocks_render_lists_in_html():
    t = I18N.translator("fr")
    blocks = [("h1", t("Attendance")), ("li", t("Nothing recorded.")), ("li", t("done")), ("p", t("closed"))]
    page = as_html_page(blocks, "fr")
    assert "<ul>\n<li>Rien n’a été enregistré.</li>\n<li>fait</li>\n</ul>\n<p>clos</p>" in page
    assert as_markdown(blocks).startswith("# Participation\n")
