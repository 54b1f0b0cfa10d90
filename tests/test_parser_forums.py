"""The forum and CMS parsers on hand-written fixtures, each named after the quirk it covers.

XenForo, vBulletin, phpBB, Discuz!, Askbot, Stack Exchange, GitHub and Drupal. The fixtures are
invented threads on invented hosts, so passing here shows each parser keys on its platform's
markup and not on the saved pages in ../shared/realdata (those are the golden tests).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.parsers import PARSERS, parse_file, parse_source, parser_for
from indexer.parsers.askbot import AskbotParser
from indexer.parsers.base import ParseError, SourceFile
from indexer.parsers.discuz import DiscuzParser
from indexer.parsers.drupal import DrupalParser
from indexer.parsers.github import GitHubParser
from indexer.parsers.phpbb import PhpBBParser
from indexer.parsers.stackexchange import StackExchangeParser
from indexer.parsers.vbulletin import VBulletinParser
from indexer.parsers.xenforo import XenForoParser, without_session
from tests.conftest import FIXTURES, REALDATA, require_shared

FORUM_PARSERS = {
    "xenforo": XenForoParser,
    "vbulletin": VBulletinParser,
    "phpbb": PhpBBParser,
    "discuz": DiscuzParser,
    "askbot": AskbotParser,
    "stackexchange": StackExchangeParser,
    "github": GitHubParser,
    "drupal": DrupalParser,
}
CASES = sorted(
    (folder, path.name) for folder in FORUM_PARSERS for path in (FIXTURES / folder).glob("*.html")
)


def source_of(data: str | bytes, name: str = "page.html") -> SourceFile:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return SourceFile(path=Path(name), relpath=name, data=raw)


def parse(folder: str, name: str):
    threads = parse_file(FIXTURES / folder / name)
    assert 1 == len(threads)
    return threads[0]


def shape(thread) -> list[tuple]:
    """(kind, author, date, parent position) of every post, in page order."""
    positions = {p.id: p.position for p in thread.posts}
    return [(p.kind, p.author, p.date, positions.get(p.parent_id)) for p in thread.posts]


def native_ids(thread) -> list[str | None]:
    return [p.id.split("-c", 1)[1] if "-c" in p.id else None for p in thread.posts]


def head(thread) -> dict:
    return {k: thread.metadata()[k] for k in ("platform", "url", "site", "title", "author", "date")}


# -- the registry -----------------------------------------------------------------------------------


@pytest.mark.parametrize("platform", sorted(FORUM_PARSERS))
def test_platform_description_and_place_in_the_registry(platform):
    parser = FORUM_PARSERS[platform]
    assert platform == parser.PLATFORM
    assert parser.DESCRIPTION and "\n" not in parser.DESCRIPTION
    order = [p.PLATFORM for p in PARSERS]
    assert order.index("blogger") < order.index(platform) < order.index("plaintext") < order.index("generic")


@pytest.mark.parametrize(("folder", "name"), CASES)
def test_every_fixture_has_exactly_one_owner(folder, name):
    source = SourceFile.read(FIXTURES / folder / name)
    claimed = [platform for platform, parser in FORUM_PARSERS.items() if parser.suitable(source)]
    assert [folder] == claimed
    assert FORUM_PARSERS[folder] is parser_for(source)


def test_an_article_about_forum_software_is_no_forum():
    page = """<!DOCTYPE html><html lang="en"><head><title>Choosing forum software</title></head><body>
    <article><h1>XenForo, vBulletin, phpBB or Discourse?</h1>
    <p>Powered by phpBB is the footer you know. vBulletin_init() and XF.ready are what their scripts call;
    Stack Exchange serves cdn.sstatic.net/ files and GitHub github.githubassets.com/ ones.</p>
    <p>Drupal.settings and /sites/default/files/ give Drupal away. Askbot pages call askbot['urls'].</p>
    <div class="comment"><p>Nice overview!</p></div></article></body></html>"""
    source = source_of(page)
    assert [] == [platform for platform, parser in FORUM_PARSERS.items() if parser.suitable(source)]


def test_plain_text_is_never_claimed():
    source = source_of("Title: phpBB tips\n\nPowered by phpBB. id=\"post_message_1\" data-author=\"x\"\n")
    assert [] == [platform for platform, parser in FORUM_PARSERS.items() if parser.suitable(source)]


# -- XenForo ----------------------------------------------------------------------------------------


def test_xenforo2_quote_in_post():
    thread = parse("xenforo", "xenforo2-quote-in-post.html")
    assert {
        "platform": "xenforo",
        "url": "https://forum.spokechain.example/threads/which-tyres-for-gravel.7730/",
        "site": "forum.spokechain.example",
        "title": "Which tyres for gravel?",
        "author": "Marta Jensen",
        "date": "2021-05-03T08:15:00Z",
    } == head(thread)
    assert [
        ("post", "Marta Jensen", "2021-05-03T08:15:00Z", None),
        ("comment", "Olu", "2021-05-03T09:02:30Z", 0),  # quotes post 1001 (data-source="post: 1001")
        ("comment", "Marta Jensen", "2021-05-04T06:00:00Z", 1),
    ] == shape(thread)
    assert ["1001", "1002", "1003"] == native_ids(thread)
    first, olu, marta = thread.posts
    assert ["https://www.tyreshop.example/guide"] == first.links
    assert (
        "> Marta Jensen said:\n"
        "> The shop recommends 40 mm tyres, see their sizing guide.\n\n"
        "Measure the clearance first: this page shows how.\n\n"
        "Most cyclocross frames stop at 38 mm."
    ) == olu.text
    assert "Click to expand" not in olu.text
    # the quoted guide link is Marta's, not Olu's
    assert ["https://clearance.example.net/how-to"] == olu.links
    assert "https://forum.spokechain.example/members/olu.77/" == olu.author_url
    assert "https://forum.spokechain.example/threads/which-tyres-for-gravel.7730/post-1002" == olu.permalink
    assert (
        "> Olu said:\n"
        "> > Marta Jensen said:\n"
        "> > Is that too wide?\n"
        ">\n"
        "> Most cyclocross frames stop at 38 mm.\n\n"
        "Measured: 41 mm. Thanks!"
    ) == marta.text


def test_xenforo1_thread():
    thread = parse("xenforo", "xenforo1-thread.html")
    assert "Cloudy water after two weeks" == thread.title
    assert [
        ("post", "Priya", "2015-02-09T19:40:00", None),  # span.DateTime title, no zone on the page
        ("comment", "Gus the Pleco", "2015-02-10T09:42:00Z", 0),  # abbr.DateTime data-time (unix)
    ] == shape(thread)
    assert ["5001", "5007"] == native_ids(thread)
    priya, gus = thread.posts
    assert "My 60 litre tank went cloudy two weeks after setup. I followed this cycling guide." == priya.text
    assert ["http://www.fishcycle.example/basics"] == priya.links
    # relative links resolve against <base href>, not the thread's URL
    assert "https://boards.aquarist.example/members/priya.12/" == priya.author_url
    assert (
        "> Priya said:\n"
        "> My 60 litre tank went cloudy two weeks after setup.\n\n"
        "That is a bacterial bloom. Do not change the water, it clears on its own."
    ) == gus.text
    assert "https://boards.aquarist.example/threads/cloudy-water-after-two-weeks.2291/#post-5007" == gus.permalink


def test_xenforo_comments_under_an_article():
    thread = parse("xenforo", "xenforo-comments-under-article.html")
    assert {
        "platform": "xenforo",
        "url": "https://www.gadgetdesk.example/reviews/pixel-slate",
        "site": "gadgetdesk.example",
        "title": "The Pixel Slate review: a tablet in search of a purpose",
        "author": "Rosa Lind",
        "date": "2019-01-08T15:00:00Z",
    } == head(thread)
    assert [
        ("post", "Rosa Lind", "2019-01-08T15:00:00Z", None),
        ("comment", "Tomasz", "2019-01-08T16:20:00Z", None),
        ("comment", None, None, None),  # the widget shows some comments without a name
    ] == shape(thread)
    article, tomasz, anonymous = thread.posts
    assert ["https://www.batterylab.example/slate"] == article.links
    assert "Chrome OS on a tablet still feels unfinished." == anonymous.text
    assert (3, 1) == (thread.declared_comments, thread.not_loaded)  # "3 Comments", two shown


# -- vBulletin --------------------------------------------------------------------------------------


def test_vbulletin4_two_posts():
    thread = parse("vbulletin", "vbulletin4-two-posts.html")
    assert {
        "platform": "vbulletin",
        # the session id (s=...) vBulletin adds for visitors without cookies is not part of the address
        "url": "https://www.garagetalk.example/forum/showthread.php?t=9120",
        "site": "garagetalk.example",
        "title": "Rust on the rear arches - what now?",
        "author": "Alpha Romeo",
        "date": "2012-03-14T21:30:00",
    } == head(thread)
    assert [
        ("post", "Alpha Romeo", "2012-03-14T21:30:00", None),
        ("comment", "Old Bodger", "2012-03-15T08:05:00", 0),  # the quote links post 501
    ] == shape(thread)
    assert ["501", "507"] == native_ids(thread)
    alpha, bodger = thread.posts
    assert ["http://www.photohost.example/album/arches"] == alpha.links
    assert "https://www.garagetalk.example/forum/showthread.php?t=9120&p=501#post501" == alpha.permalink
    assert "https://www.garagetalk.example/forum/member.php?u=77" == alpha.author_url
    assert bodger.text.startswith("> Originally Posted by Alpha Romeo\n> Weld or filler? See album\n\nWeld.")
    assert "'98 estate, '71 roadster" not in bodger.text  # the signature is not the post
    # the href, not the shortened text ("rear-...ch-panels.html") vBulletin shows, and not the quoted album
    assert ["http://www.restorers.example/guides/rear-arch-repair-with-patch-panels.html"] == bodger.links
    assert (1, 0) == (thread.declared_comments, thread.not_loaded)  # "Results 1 to 2 of 2"


# -- phpBB ------------------------------------------------------------------------------------------


def test_phpbb3_quote():
    thread = parse("phpbb", "phpbb3-quote.html")
    assert {
        "platform": "phpbb",
        "url": "https://forum.embeddedcorner.example/viewtopic.php?t=412",
        "site": "forum.embeddedcorner.example",
        "title": "Compiling on ARM fails with -march",
        "author": "Ada",
        "date": "2021-01-04T08:00:00Z",
    } == head(thread)
    assert [
        ("post", "Ada", "2021-01-04T08:00:00Z", None),
        ("comment", "Moderator Mo", "2021-01-04T09:30:00Z", 0),  # the cite links p2101 (data-post-id)
        ("comment", "Ada", "2021-01-05T18:45:00Z", None),  # a quote without a link names no parent
    ] == shape(thread)
    assert ["2101", "2107", "2110"] == native_ids(thread)
    ada, mo, again = thread.posts
    assert "gcc stops with unknown value 'armv8.2-a+crypto'. The toolchain is the one from the vendor page." == ada.text
    assert (
        "> Ada wrote:\n"
        "> The toolchain is the one from the vendor page.\n\n"
        "That toolchain is gcc 7. Use gcc 9 or later: release notes"
    ) == mo.text
    assert ["https://gcc.example.org/gcc-9/changes.html"] == mo.links
    assert "https://forum.embeddedcorner.example/memberlist.php?mode=viewprofile&u=58" == mo.author_url
    assert (
        "> Moderator Mo wrote:\n> > Ada wrote:\n> > gcc stops\n>\n> Use gcc 9 or later\n\nWorks with gcc 10, thanks."
    ) == again.text
    assert "https://forum.embeddedcorner.example/viewtopic.php?t=412#p2110" == again.permalink


def test_phpbb30_date_in_author_line():
    thread = parse("phpbb", "phpbb30-date-in-author-line.html")
    assert ("Sommerfest 2010", None) == (thread.title, thread.url)
    # "von Kassenwart » 03.07.2010, 10:12": the date is what follows the », day first
    assert [
        ("post", "Kassenwart", "2010-07-03T10:12:00", None),
        ("comment", "Heike", "2010-07-04T21:03:00", None),
    ] == shape(thread)
    assert "> Kassenwart hat geschrieben:\n> Wer bringt Kuchen mit?\n\nIch backe einen Zwetschgenkuchen." == (
        thread.posts[1].text
    )


# -- Discuz! ----------------------------------------------------------------------------------------


def test_discuz_reply_with_quote():
    thread = parse("discuz", "discuz-reply-with-quote.html")
    assert {
        "platform": "discuz",
        "url": "https://bbs.guangying.example/thread-5120-1-1.html",
        "site": "bbs.guangying.example",
        "title": "求推荐入门相机",
        "author": "小林",
        "date": "2020-07-01T09:15:00",
    } == head(thread)
    assert [
        ("post", "小林", "2020-07-01T09:15:00", None),
        ("comment", "老周", "2020-07-01T10:02:00", 0),  # the quote's findpost link names pid 90001
        ("comment", "小林", "2020-07-01T12:30:00", 1),  # a remark (点评) under 老周's floor
    ] == shape(thread)
    assert ["90001", "90004", None] == native_ids(thread)
    opening, reply, remark = thread.posts
    # the "register to see attachments" box is not the post
    assert "预算三千左右，主要拍风景。参考了 这篇评测。" == opening.text
    assert ["https://www.camreview.example/entry-level"] == opening.links
    assert "https://bbs.guangying.example/space-uid-301.html" == opening.author_url
    # the edit note (本帖最后由 … 编辑) is not the post either
    assert (
        "> 小林 发表于 2020-7-1 09:15\n> 预算三千左右，主要拍风景。参考了 这篇评测\n\n三千的话买二手全画幅更划算。"
    ) == reply.text
    assert "https://bbs.guangying.example/forum.php?mod=redirect&goto=findpost&ptid=5120&pid=90004" == reply.permalink
    assert "谢谢，我去看看二手的" == remark.text


# -- Askbot -----------------------------------------------------------------------------------------


def test_askbot_answer_comments():
    thread = parse("askbot", "askbot-answer-comments.html")
    assert {
        "platform": "askbot",
        "url": "https://ask.cloudkit.example/en/question/812/how-do-i-resize-a-root-volume/",
        "site": "ask.cloudkit.example",
        "title": "How do I resize a root volume?",
        "author": "Lena K",  # the asker, not admin who edited the question later
        "date": "2016-02-10T20:03:11Z",
    } == head(thread)
    assert [
        ("post", "Lena K", "2016-02-10T20:03:11Z", None),
        ("comment", "Tomas", "2016-02-10T21:00:00Z", 0),  # a comment on the question
        ("comment", "Tomas", "2016-02-11T00:20:00Z", None),  # an answer
        ("comment", "Lena K", "2016-02-12T14:00:00Z", None),  # an answer
        ("comment", "Tomas", "2016-02-12T15:10:00Z", 3),  # a comment on Lena's answer
    ] == shape(thread)  # the empty template comment (post-id-0) is left out
    assert ["812", "815", "820", "823", "825"] == native_ids(thread)
    question, _, answer, _, comment = thread.posts
    assert "My instance has a 10 GB root disk. The volume docs only cover data volumes." == question.text
    assert "Resize the volume, then grow the partition:\n\n> growpart /dev/vda 1" == answer.text
    assert ["https://wiki.cloudkit.example/GrowRoot"] == comment.links
    assert (None, 0) == (thread.declared_comments, thread.not_loaded)  # "2 answers", both shown


# -- Stack Exchange ---------------------------------------------------------------------------------


def test_stackexchange_question_answers_comments():
    thread = parse("stackexchange", "stackexchange-question-answers-comments.html")
    assert {
        "platform": "stackexchange",
        "url": "https://stackoverflow.com/questions/4198906/why-does-my-list-comprehension-leak-the-loop-variable",
        "site": "stackoverflow.com",
        "title": "Why does my list comprehension leak the loop variable?",
        "author": "curious cat",  # the owner's signature, not the editor's
        "date": "2010-11-16T20:47:07Z",
    } == head(thread)
    assert [
        ("post", "curious cat", "2010-11-16T20:47:07Z", None),
        ("comment", "Pat", "2010-11-16T20:50:13Z", 0),
        ("comment", "Snake Charmer", "2010-11-16T21:45:00Z", None),
        ("comment", "curious cat", "2010-11-16T22:01:00Z", 2),
        ("comment", "user123456", "2010-11-17T08:30:00Z", None),  # a deleted account: a name without a link
    ] == shape(thread)
    assert ["4198906", "comment-4839201", "4199355", "comment-4839300", "4199400"] == native_ids(thread)
    question, pat, answer, thanks, last = thread.posts
    assert (
        "In Python 2 this prints 9:\n\n[x for x in range(10)]\nprint x\n\nThe reference says nothing."
    ) == question.text
    assert ["https://docs.python.example/2/reference/expressions.html"] == question.links
    assert answer.text.endswith('> We decided to fix the "dirty little secret" of list comprehensions in Python 3.')
    assert "https://stackoverflow.com/a/4199355" == answer.permalink
    assert "https://stackoverflow.com/users/77/pat" == pat.author_url
    assert (None, None) == (last.author_url, last.permalink)
    # two comments behind "show 2 more comments", one of the "3 Answers" on another page
    assert 3 == thread.not_loaded


# -- GitHub -----------------------------------------------------------------------------------------


def test_github_issue_two_comments():
    thread = parse("github", "github-issue-two-comments.html")
    assert {
        "platform": "github",
        "url": "https://github.com/lanternfish/tidepool/issues/311",
        "site": "github.com",
        "title": "Crash when the config file is empty",
        "author": "mina-r",
        "date": "2024-03-02T09:12:44Z",
    } == head(thread)
    assert [
        ("post", "mina-r", "2024-03-02T09:12:44Z", None),
        ("comment", "ocean-dev", "2024-03-02T11:00:05Z", None),
        ("comment", "mina-r", "2024-03-03T08:30:00Z", None),
    ] == shape(thread)
    assert [None, "3000100001", "3000100002"] == native_ids(thread)
    issue, fix, confirmed = thread.posts
    assert ["https://gist.github.com/mina-r/8f2e1"] == issue.links
    assert "Thanks @mina-r. Fixed in #312." == fix.text
    assert ["https://github.com/lanternfish/tidepool/pull/312"] == fix.links  # the @mention is no link
    assert "https://github.com/ocean-dev" == fix.author_url
    assert "https://github.com/lanternfish/tidepool/issues/311#issuecomment-3000100001" == fix.permalink
    assert "> Fixed in #312.\n\nConfirmed, v0.9.1 works." == confirmed.text


def test_github_classic_timeline():
    thread = parse("github", "github-classic-timeline.html")
    assert ("Support for Windows paths", "https://github.com/quietbird/notekeeper/issues/7") == (
        thread.title, thread.url
    )
    assert [
        ("post", "ravi-p", "2019-06-01T12:00:00Z", None),
        ("comment", "quietbird", "2019-06-02T07:30:00Z", None),
    ] == shape(thread)
    assert [None, "498001"] == native_ids(thread)
    assert "> are read as relative\n\nKnown issue, see pathlib." == thread.posts[1].text


# -- Drupal -----------------------------------------------------------------------------------------


def test_drupal8_nested_comments():
    thread = parse("drupal", "drupal8-nested-comments.html")
    assert {
        "platform": "drupal",
        "url": "https://www.nordstadt-nachrichten.example/verkehr/neue-buslinie-42",
        "site": "nordstadt-nachrichten.example",
        "title": "Neue Buslinie 42 ab Dezember",
        "author": "Redaktion",
        "date": "2022-11-20T08:30:00Z",
    } == head(thread)
    assert [
        ("post", "Redaktion", "2022-11-20T08:30:00Z", None),
        ("comment", "Anja B.", "2022-11-20T10:15:00Z", None),
        ("comment", "Redaktion", "2022-11-20T12:00:00Z", 1),  # in the div.indented after Anja's
        ("comment", "Anja B.", "2022-11-21T07:45:00Z", 2),  # two levels down
        ("comment", "Pendler77", "2022-11-22T18:20:00Z", None),
    ] == shape(thread)
    assert [None, "1201", "1203", "1207", "1210"] == native_ids(thread)
    article, anja, editor, thanks, pendler = thread.posts
    assert ["https://www.verkehrsverbund.example/fahrplan-42"] == article.links
    assert "Kommentare" not in article.text and "Wochenende" not in article.text
    assert "Endlich! Fährt sie auch am Wochenende?" == anja.text  # without the subject line "Endlich!"
    assert "https://www.nordstadt-nachrichten.example/comment/1201#comment-1201" == anja.permalink
    assert "> Fährt sie auch am Wochenende?\n\nJa, samstags und sonntags alle 20 Minuten." == editor.text
    assert "https://www.nordstadt-nachrichten.example/user/12" == editor.author_url
    # its own permalink, not the "Antwort auf" link to its parent
    assert "https://www.nordstadt-nachrichten.example/comment/1203#comment-1203" == editor.permalink
    assert ["https://www.verkehrsverbund.example/linie-43"] == pendler.links
    assert [] == anja.links  # no "Antworten" link


def test_drupal7_anchor_before_comment():
    thread = parse("drupal", "drupal7-anchor-before-comment.html")
    assert ("Library hours change in March", "Dana Ortiz", "2018-02-20T16:00:00") == (
        thread.title, thread.author, thread.date
    )
    # the date and the time sit in separate li.date and li.time items
    assert [
        ("post", "Dana Ortiz", "2018-02-20T16:00:00", None),
        ("comment", "Anonymous", "2018-02-20T18:32:00", None),
        ("comment", "Dana Ortiz", "2018-02-21T09:05:00", 1),
    ] == shape(thread)
    assert [None, "5510", "5514"] == native_ids(thread)  # from the <a id="comment-N"> before each
    assert "https://civic.westfield.example/blog/library-hours-march#comment-5514" == thread.posts[2].permalink
    assert ["https://civic.westfield.example/libraries"] == thread.posts[2].links


def test_drupal_page_without_drupal_comments_is_left_to_the_generic_parser():
    page = """<!DOCTYPE html><html lang="en"><head><meta name="generator" content="Drupal 7 (http://drupal.org)">
    <title>A post</title></head><body><div class="node"><div class="field-name-body"><p>Text of the post, long
    enough to be one.</p></div></div><div id="disqus_thread"></div></body></html>"""
    assert not DrupalParser.suitable(source_of(page))


# -- failures are ParseErrors -----------------------------------------------------------------------


@pytest.mark.parametrize(("folder", "name"), CASES)
@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.5, 0.7, 0.9])
def test_a_truncated_page_parses_or_raises_parse_error(folder, name, fraction):
    data = (FIXTURES / folder / name).read_bytes()
    source = source_of(data[: int(len(data) * fraction)], name)
    try:
        threads = FORUM_PARSERS[folder]().parse(source)
    except ParseError as exc:
        assert name in str(exc) and folder in exc.reason
    else:
        assert 1 == len(threads) and threads[0].posts


@pytest.mark.parametrize("platform", sorted(FORUM_PARSERS))
@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe garbage \x89PNG", b"just some words, no markup"])
def test_not_html_raises_parse_error(platform, data):
    with pytest.raises(ParseError):
        FORUM_PARSERS[platform]().parse(source_of(data, "odd.bin"))


@pytest.mark.parametrize("platform", sorted(FORUM_PARSERS))
def test_a_page_without_posts_raises_parse_error(platform):
    page = "<!DOCTYPE html><html><head><title>Nothing here</title></head><body><p>Login required.</p></body></html>"
    with pytest.raises(ParseError) as caught:
        FORUM_PARSERS[platform]().parse(source_of(page, "login-wall.html"))
    assert caught.value.path == "login-wall.html"


def test_truncated_page_through_the_registry():
    data = (FIXTURES / "xenforo" / "xenforo2-quote-in-post.html").read_bytes()
    cut = data[: data.index(b'data-content="post-1003"')]
    threads = parse_source(source_of(cut, "cut.html"))
    assert ["Marta Jensen", "Olu"] == [p.author for p in threads[0].posts][:2]


# -- helpers ----------------------------------------------------------------------------------------


def test_session_ids_are_dropped_from_urls():
    assert "https://f.example/showthread.php?t=9&p=2" == without_session(
        "https://f.example/showthread.php?t=9&s=5f0c1e8d2b7a4c6e9d3f1a2b3c4d5e6f&p=2"
    )
    assert "https://f.example/viewtopic.php?t=412" == without_session(
        "https://f.example/viewtopic.php?t=412&sid=0123456789abcdef0123456789abcdef"
    )
    # a short "s" is a real parameter (a search, a sort), not a session
    assert "https://f.example/search.php?s=rust" == without_session("https://f.example/search.php?s=rust")


# -- counts the real pages state (the golden files pin down the posts) ------------------------------


@pytest.mark.parametrize(
    ("relpath", "declared", "not_loaded"),
    [
        ("forums/vbulletin4-pocketpc-ch-thread.html", 794, 775),  # "Ergebnis 661 bis 680 von 795"
        ("forums/askbot-ask-openstack-24396-multipage-p1.html", None, 21),  # "31 answers", 10 on page 1
        ("other_cms/androidcentral-article-xenforo-embedded-comments.html", 27, 0),  # "27 Comments"
        ("other_cms/hpd-de-identitaetspolitik-drupal7.html", 10, 0),  # sioc:num_replies
        ("other_cms/german-stackexchange-question-with-comments.html", None, 0),
    ],
)
def test_counts_the_real_pages_state(relpath, declared, not_loaded):
    (thread,) = parse_file(require_shared(REALDATA / relpath), REALDATA)
    assert (declared, not_loaded) == (thread.declared_comments, thread.not_loaded)
