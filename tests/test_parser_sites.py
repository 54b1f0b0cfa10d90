"""The site parsers on hand-written fixtures, each named after the quirk it covers.

LWN.net article pages, PIXNET (痞客邦) blog posts and news articles with Coral Talk, Viafoura or
OpenWeb (Spot.IM) comments. No saved page of these is among ../shared/realdata, so the fixtures
are invented threads written from each platform's markup; the tests also check that none of these
parsers claims a real page of another platform.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.parsers import PARSERS, parse_file, parse_source, parser_for
from indexer.parsers.base import ParseError, SourceFile
from indexer.parsers.lwn import LwnParser
from indexer.parsers.newscomments import NewsCommentsParser
from indexer.parsers.pixnet import PixnetParser
from tests.conftest import FIXTURES, REALDATA, require_shared

SITE_PARSERS = {
    "lwn": LwnParser,
    "pixnet": PixnetParser,
    "newscomments": NewsCommentsParser,
}
CASES = sorted((folder, path.name) for folder in SITE_PARSERS for path in (FIXTURES / folder).glob("*.html"))
OTHER_FIXTURES = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.parent.name not in SITE_PARSERS)


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
    keys = ("platform", "url", "site", "title", "author", "date", "declared_comments", "not_loaded")
    return {k: thread.metadata()[k] for k in keys}


# -- the registry -----------------------------------------------------------------------------------


@pytest.mark.parametrize("platform", sorted(SITE_PARSERS))
def test_platform_description_and_place_in_the_registry(platform):
    parser = SITE_PARSERS[platform]
    assert platform == parser.PLATFORM
    assert parser.DESCRIPTION and "\n" not in parser.DESCRIPTION
    order = [p.PLATFORM for p in PARSERS]
    assert order.index("drupal") < order.index(platform) < order.index("plaintext") < order.index("generic")


@pytest.mark.parametrize(("folder", "name"), CASES)
def test_every_fixture_has_exactly_one_owner(folder, name):
    source = SourceFile.read(FIXTURES / folder / name)
    claimed = [p.PLATFORM for p in PARSERS if p.PLATFORM != "generic" and p.suitable(source)]
    assert [folder] == claimed
    assert SITE_PARSERS[folder] is parser_for(source)


@pytest.mark.parametrize("path", OTHER_FIXTURES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_other_platforms_fixtures_are_not_claimed(path):
    source = SourceFile.read(path)
    assert [] == [platform for platform, parser in SITE_PARSERS.items() if parser.suitable(source)]


def test_no_real_saved_page_is_claimed():
    pages = sorted(p for p in require_shared(REALDATA).rglob("*") if p.is_file())
    assert pages
    claimed = [
        (page.relative_to(REALDATA).as_posix(), platform)
        for page in pages
        for platform, parser in SITE_PARSERS.items()
        if parser.suitable(SourceFile.read(page, REALDATA))
    ]
    assert [] == claimed


def test_an_article_about_these_platforms_is_none_of_them():
    page = """<!DOCTYPE html><html lang="en"><head><title>Comment systems compared</title></head><body>
    <article><h1>Coral, Viafoura, OpenWeb and LWN</h1>
    <p>Coral renders div.coral-comment-content; Viafoura .vf-comment-content; OpenWeb marks messages with
    data-spot-im-class="message-text". LWN.net uses CommentPoster and FormattedComment, and static.lwn.net
    serves its images. PIXNET (痞客邦) serves s.pixfs.net assets and #comment-text .single-post.</p>
    <p>See <a href="https://lwn.net/Articles/989999/">LWN</a> and <a href="https://azhe1985.pixnet.net/blog">a blog</a>.</p>
    </article></body></html>"""
    source = source_of(page)
    assert [] == [platform for platform, parser in SITE_PARSERS.items() if parser.suitable(source)]


def test_a_page_with_only_the_embed_script_is_left_to_others():
    page = """<!DOCTYPE html><html><head><title>Story</title>
    <script src="https://coral.lakeshorecourier.example/assets/js/embed.js"></script>
    <script async src="https://launcher.spot.im/spot/sp_Wq8Zc3Hn" data-spotim-module="spotim-launcher"></script>
    </head><body><article><p>The story, long enough to be one.</p></article>
    <div id="coral_thread"></div><div data-spotim-module="conversation" data-post-id="x"></div>
    <vf-conversations></vf-conversations></body></html>"""
    assert not NewsCommentsParser.suitable(source_of(page))


# -- LWN --------------------------------------------------------------------------------------------


def test_lwn_nested_details_comments():
    thread = parse("lwn", "article-with-nested-comments.html")
    assert {
        "platform": "lwn",
        "url": "https://lwn.net/Articles/989999/",
        "site": "lwn.net",
        "title": "Nimbus init 2.0 released",
        "author": "mkessler",  # "Posted Sep 17, 2024 13:59 UTC (Tue) by mkessler"
        "date": "2024-09-17T13:59:00Z",
        "declared_comments": 5,  # "Comments (5 posted)"
        "not_loaded": 0,
    } == head(thread)
    assert [
        ("post", "mkessler", "2024-09-17T13:59:00Z", None),
        ("comment", "rhallam", "2024-09-17T14:40:00Z", None),
        ("comment", "tmoreau", "2024-09-17T15:02:00Z", 1),  # its details sits in rhallam's
        ("comment", "rhallam", "2024-09-17T15:30:00Z", 2),  # two levels down
        ("comment", "kwiatkowski", "2024-09-17T16:11:00Z", 1),
        ("comment", "anselm_d", "2024-09-18T08:05:00Z", None),  # "(✭ supporter ✭, #4718)" is no part of the name
    ] == shape(thread)
    assert [None, "990215", "990231", "990240", "990252", "990301"] == native_ids(thread)
    article, first, reply, thanks, debian, supporter = thread.posts
    assert article.text.startswith("Version 2.0 of the Nimbus init system has been released. The headline")
    assert "> We dropped the shell-based startup path entirely." in article.text  # the BigQuote
    for chrome in ("Welcome to LWN.net", "Index entries", "Log in", "to post comments", "Comments (5 posted)",
                   "Restart limits"):
        assert chrome not in article.text
    assert ["https://nimbus-init.example.org/", "https://lwn.net/Articles/980123/"] == article.links
    assert (
        "Three restarts seems low for services that depend on the network coming up.\n"
        "The migration guide says the limit can\n"
        "be raised per unit, at least."
    ) == first.text  # without its subject line "Restart limits" and its "Reply to this comment" button
    assert ["https://nimbus-init.example.org/docs/migration.html"] == first.links  # not the "[Link]"
    assert "https://lwn.net/Articles/990215/" == first.permalink
    assert (
        "> Three restarts seems low for services that depend on the network coming up.\n\n"
        "That is what the new socket dependencies are for: the service is not started until its socket exists, "
        "so it does not burn restarts waiting for it."
    ) == reply.text
    assert [] == reply.links
    assert "Fair point, I had missed that. Thanks." == thanks.text
    assert ["https://lwn.net/Articles/980123/"] == debian.links  # a relative link to another LWN article
    assert ["https://bench.example.net/nimbus/2.0"] == supporter.links  # written out, not linked


def test_lwn_subscriber_comment_with_quote_in_the_older_markup():
    thread = parse("lwn", "subscriber-comment-with-quote.html")
    assert {
        "platform": "lwn",
        "url": "https://lwn.net/Articles/508000/",  # from the comment feed's link: the page has no og:url
        "site": "lwn.net",
        "title": "A look at the Tessera build system",
        "author": "Elena Marsh",  # "This article was contributed by Elena Marsh"
        "date": "2012-07-25T00:00:00",
        "declared_comments": 4,
        "not_loaded": 0,
    } == head(thread)
    # replies sit in the div.Comment after the box they answer, not inside it
    assert [
        ("post", "Elena Marsh", "2012-07-25T00:00:00", None),
        ("comment", "dlangton", "2012-07-25T16:42:00Z", None),
        ("comment", "paulg", "2012-07-25T17:05:00Z", 1),
        ("comment", "dlangton", "2012-07-26T09:12:00Z", 2),
        ("comment", "mvasquez", "2012-07-26T10:00:00Z", None),
    ] == shape(thread)
    assert [None, "508102", "508110", "508131", "508140"] == native_ids(thread)
    article, first, quoting, blockquoting, windows = thread.posts
    assert "> Every rule names its inputs by content hash, so a rebuild never depends on file timestamps." in (
        article.text
    )
    assert ["https://tessera-build.example.net/", "https://tessera-build.example.net/faq"] == article.links
    assert (
        "> Content hashes are nice until your inputs are generated files that embed\n"
        "> the build time.\n\n"
        "Tessera strips those timestamps before hashing; it is in the FAQ, second question."
    ) == quoting.text
    assert ["https://tessera-build.example.net/faq#reproducible"] == quoting.links
    assert (
        "> Tessera strips those timestamps before hashing\n\n"
        "Only the ones it knows about. __DATE__ in a header still gets through."
    ) == blockquoting.text
    assert "https://lwn.net/Articles/508131/" == blockquoting.permalink
    assert [] == first.links and [] == windows.links  # no "[Link]", no "Reply to this comment"
    assert 'Does it build on Windows yet, or is that still "patches welcome"?' == windows.text


def test_lwn_author_as_a_link_and_a_two_number_permalink():
    page = """<!DOCTYPE html><html><head><title>Short item [LWN.net]</title>
    <link rel="stylesheet" href="/CSS/lwn"></head><body>
    <div class="PageHeadline"><h1>Short item</h1></div>
    <div class="ArticleText"><div class="FeatureByline">Posted Jan 15, 2024 10:00 UTC (Mon) by <b>edit0r</b></div>
    <p>The body of a short news item.</p>
    <details class="CommentBox" open><summary><h3 class="CommentTitle">A question</h3>
    <div class="AnnLine"><p class="CommentPoster">Posted Jan 15, 2024 11:30 UTC (Mon) by
    <a href="/Users/jdoe/">jdoe</a> (subscriber, #7) [<a href="/Articles/955000/955123/">Link</a>]</p></div></summary>
    <div class="FormattedComment"><p>Is this in 6.8?</p></div></details>
    </div></body></html>"""
    (thread,) = LwnParser().parse(source_of(page, "short.html"))
    assert [("post", "edit0r", "2024-01-15T10:00:00Z", None), ("comment", "jdoe", "2024-01-15T11:30:00Z", None)] == (
        shape(thread)
    )
    assert "955123" == native_ids(thread)[1]
    assert "https://lwn.net/Articles/955000/955123/" == thread.posts[1].permalink
    assert "Is this in 6.8?" == thread.posts[1].text


def test_lwn_feature_byline_with_author_then_date():
    page = """<!DOCTYPE html><html><head><title>A feature [LWN.net]</title>
    <link rel="stylesheet" href="/CSS/lwn"></head><body>
    <div class="PageHeadline"><h1>A feature</h1></div>
    <div class="ArticleText"><div class="FeatureByline">
           By <b>Mara Quist</b><br>September 17, 2024
           </div>
    <p>Feature text, written for the weekly edition.</p></div></body></html>"""
    source = source_of(page, "feature.html")
    assert LwnParser is parser_for(source)
    (thread,) = parse_source(source)
    assert ("A feature", "Mara Quist", "2024-09-17T00:00:00") == (thread.title, thread.author, thread.date)
    assert "Feature text, written for the weekly edition." == thread.posts[0].text


# -- PIXNET -----------------------------------------------------------------------------------------


def test_pixnet_big5_post_with_owner_replies():
    source = SourceFile.read(FIXTURES / "pixnet" / "big5-post-with-owner-replies.html")
    assert b"charset=big5" in source.data and "痞客邦".encode("big5") in source.data
    thread = parse("pixnet", "big5-post-with-owner-replies.html")
    assert {
        "platform": "pixnet",
        "url": "https://azhe1985.pixnet.net/blog/post/218930542",
        "site": "azhe1985.pixnet.net",
        "title": "台南兩天一夜小吃地圖",
        "author": "阿哲",  # "阿哲 發表在 痞客邦"
        "date": "2023-03-05T14:20:00",  # from li.publish: Mar / 05 / 2023 / 14:20
        "declared_comments": 4,  # "留言列表 (4)" counts visitors' comments, not the owner's replies
        "not_loaded": 0,
    } == head(thread)
    assert [
        ("post", "阿哲", "2023-03-05T14:20:00", None),
        ("comment", "小梅", "2023-03-05T15:02:00", None),
        ("comment", "阿哲", "2023-03-05T16:10:00", 1),  # 版主回覆 "(03/05/2023 16:10:00)": month first
        ("comment", "林小姐", "2023-03-06T09:45:00", None),
        ("comment", "旅人Ken", "2023-03-07T21:30:00", None),
        ("comment", "阿哲", "2023-03-08T08:05:00", 4),
        ("comment", "甜點控", "2023-03-09T12:00:00", None),
    ] == shape(thread)
    assert [None, "40123456", "40123456-reply", "40123479", "40123501", "40123501-reply", "40123522"] == (
        native_ids(thread)
    )
    article, mei, answer, lin, ken, _, sweet = thread.posts
    assert article.text.startswith("這次跟朋友到台南走了兩天，第一天從國華街開始吃，一路吃到海安路。")
    assert "留言" not in article.text and "發表在" not in article.text
    assert ["https://beefsoup-tainan.example.tw/"] == article.links
    assert "https://azhe1985.pixnet.net/blog" == article.author_url
    assert "看起來好好吃！\n請問阿村牛肉湯平日也要排很久嗎？" == mei.text
    assert "https://www.pixnet.net/pcard/mei0412" == mei.author_url
    assert "https://azhe1985.pixnet.net/blog/post/218930542#comment-40123456" == mei.permalink
    assert "平日大概排二十分鐘，假日就要有心理準備了。" == answer.text  # without "版主回覆："
    assert "> 第二天早上一定要吃牛肉湯\n完全同意，我也推薦https://tainan-eats.example.tw/beef-soup 這篇整理。" == lin.text
    assert ["https://tainan-eats.example.tw/beef-soup"] == lin.links
    assert None is lin.author_url and "https://www.pixnet.net/pcard/ken_travel" == ken.author_url
    assert "下次可以寫一篇甜點特輯嗎？" == sweet.text


def test_pixnet_utf8_comment_list_template():
    thread = parse("pixnet", "utf8-comment-list-template.html")
    assert {
        "platform": "pixnet",
        "url": "https://komori.pixnet.net/blog/posts/9876543210",
        "site": "komori.pixnet.net",
        "title": "京都賞楓自由行：東福寺人潮攻略",
        "author": "小森",
        "date": "2021-11-20T02:30:00Z",  # article:published_time, +08:00
        "declared_comments": 3,
        "not_loaded": 0,
    } == head(thread)
    assert [
        ("post", "小森", "2021-11-20T02:30:00Z", None),
        ("comment", "王大明", "2021-11-20T21:15:00", None),
        ("comment", "小森", "2021-11-21T09:00:00", 1),
        ("comment", "佐藤さくら", "2021-11-22T13:40:00", None),
        ("comment", "陳阿美", "2021-11-23T08:02:00", None),
        ("comment", "小森", "2021-11-23T12:30:00", 4),
    ] == shape(thread)
    _, wang, answer, sato, _, _ = thread.posts
    # the owner's reply has a .comment-body of its own: it is not the comment's text
    assert "> 早上八點半開門前就已經排了一長串\n真的！我七點半到就排第二十個了。" == wang.text
    assert "七點半還算早的，週末更誇張。" == answer.text
    assert ["https://kyoto-koyo.example.jp/forecast"] == sato.links
    assert "紅葉の写真、とても綺麗です。" in sato.text


def test_pixnet_title_alone_recognises_the_page():
    page = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>早餐 @ 小日子 :: 痞客邦 ::</title></head>
    <body><div class="article-content"><p>今天的早餐是蛋餅和豆漿，附近的早餐店都很好吃。</p></div></body></html>"""
    source = source_of(page)
    assert PixnetParser is parser_for(source)
    (thread,) = parse_source(source)
    # "<post> @ <blog> :: 痞客邦 ::" names the post first
    assert ("早餐", [("post", None, None, None)]) == (thread.title, shape(thread))


# -- news comment systems ---------------------------------------------------------------------------


def test_coral_talk_thread():
    thread = parse("newscomments", "coral-talk-thread.html")
    assert {
        "platform": "newscomments",
        "url": "https://www.lakeshorecourier.example/news/2024/03/01/harbor-avenue-bike-lane-pilot",
        "site": "lakeshorecourier.example",
        "title": "Council approves bike lane pilot on Harbor Avenue",
        "author": "Dana Whitfield",  # the JSON-LD NewsArticle's
        "date": "2024-03-01T14:00:00Z",
        "declared_comments": 5,  # "5 Comments"
        "not_loaded": 0,
    } == head(thread)
    assert [
        ("post", "Dana Whitfield", "2024-03-01T14:00:00Z", None),
        ("comment", "Marisol Vega", "2024-03-01T14:02:11Z", None),
        ("comment", "Tom Okafor", "2024-03-01T14:20:45Z", 1),  # commentReplyList-<Marisol's id>
        ("comment", "Marisol Vega", "2024-03-01T15:05:00Z", 2),
        ("comment", "Greg H.", "2024-03-01T13:47:30Z", None),
        ("comment", "Ingrid Solberg", "2024-03-01T12:15:00Z", None),
    ] == shape(thread)
    assert "8e1f3c2a-5b7d-4c1e-9f0a-2d6b4e8c1a01" == native_ids(thread)[1]
    article, marisol, tom, again, greg, ingrid = thread.posts
    assert (
        "The city council voted 5-2 on Thursday night to paint protected bike lanes along a mile of Harbor Avenue "
        "for a six-month trial.\n\n"
        "The pilot will remove 40 parking spaces. A city report estimates it will cost $180,000."
    ) == article.text
    assert ["https://www.lakeshore.example.gov/transport/harbor-pilot"] == article.links
    assert "https://www.lakeshorecourier.example/staff/dana-whitfield" == article.author_url
    assert "Finally. The crash map shows six collisions on that stretch last year alone." == marisol.text
    assert ["https://www.lakeshore-bikes.example.org/crash-map"] == marisol.links
    # neither "In reply to Marisol Vega" nor the Reply/Report buttons
    assert "> six collisions on that stretch last year alone\n\nAnd how many of those involved cyclists? " \
           "The report says two." == tom.text
    assert "Six months is too short to judge anything.\nWinter ridership will look terrible either way." == ingrid.text
    assert [] == tom.links == again.links == greg.links


def test_coral_replies_found_by_indent_alone():
    page = """<!DOCTYPE html><html><head><title>t</title></head><body><article><p>A story of some length here.</p>
    </article><div class="coral coral-stream">
    <div class="coral-comment coral-indent-0" id="comment-a"><button class="coral-comment-username">Ann</button>
      <div class="coral-comment-content"><p>one</p></div></div>
    <div class="coral-comment coral-indent-1" id="comment-b"><button class="coral-comment-username">Bo</button>
      <div class="coral-comment-content"><p>two</p></div></div>
    <div class="coral-comment coral-indent-0" id="comment-c"><button class="coral-comment-username">Cy</button>
      <div class="coral-comment-content"><p>three</p></div></div>
    </div></body></html>"""
    (thread,) = NewsCommentsParser().parse(source_of(page))
    assert [("post", None, None, None), ("comment", "Ann", None, None), ("comment", "Bo", None, 1),
            ("comment", "Cy", None, None)] == shape(thread)


def test_viafoura_thread():
    thread = parse("newscomments", "viafoura-thread.html")
    assert {
        "platform": "newscomments",
        "url": "https://www.northfieldgazette.example/local/elm-street-library-renovation-88123",
        "site": "northfieldgazette.example",
        "title": "Library branch on Elm Street to close for two-year renovation",
        "author": "Rachel Dubois",  # no JSON-LD: the byline's .author-name
        "date": "2023-10-05T12:00:00Z",
        "declared_comments": 6,  # "6 Comments"; "View 2 more replies" were not loaded
        "not_loaded": 2,
    } == head(thread)
    assert [
        ("post", "Rachel Dubois", "2023-10-05T12:00:00Z", None),
        ("comment", "Priya Raman", "2023-10-05T16:12:00Z", None),
        ("comment", "Étienne Lavoie", "2023-10-05T17:40:00Z", 1),
        ("comment", "Oksana Hrytsenko", "2023-10-06T08:05:00Z", None),
        ("comment", "M. Okonkwo", "2023-10-06T11:30:00Z", None),
    ] == shape(thread)
    assert "00000000-0000-4000-8001-000000000117" == native_ids(thread)[2]
    article, priya, etienne, oksana, _ = thread.posts
    assert article.text.startswith("The Elm Street branch of the Northfield Public Library will close on Jan. 8")
    assert ["https://www.northfieldlibrary.example.ca/elm-street"] == article.links
    assert "https://www.northfieldgazette.example/profile/4411" == priya.author_url
    assert "Two years is a long time for the kids who do homework there after school." == priya.text
    assert (
        "> Two years is a long time for the kids\n\n"
        "The community centre room is open until 8 pm, later than the branch ever was."
    ) == etienne.text
    assert ["https://www.northfieldlibrary.example.ca/board/2023-10.pdf"] == oksana.links


def test_spotim_thread():
    thread = parse("newscomments", "spotim-thread.html")
    url = "https://www.mesaherald.example/local/2024/04/12/water-rates-rise-july/"
    assert {
        "platform": "newscomments",
        "url": url,
        "site": "mesaherald.example",
        "title": "Water rates to rise 9% in July, utility says",
        "author": "Luis Carranza",
        "date": "2024-04-12T14:00:00Z",
        "declared_comments": 4,
        "not_loaded": 0,
    } == head(thread)
    assert [
        ("post", "Luis Carranza", "2024-04-12T14:00:00Z", None),
        ("comment", "Kenji Watanabe", "2024-04-12T18:21:00Z", None),
        ("comment", "Fatima Al-Sayed", "2024-04-12T19:02:00Z", 1),  # in the message-replies list inside Kenji's
        ("comment", "desert_rat_88", "2024-04-12T17:55:00Z", None),
        ("comment", "Beth N.", "2024-04-12T16:40:00Z", None),
    ] == shape(thread)
    article, kenji, fatima, _, _ = thread.posts
    # the <article> without its header (headline and byline)
    assert article.text.startswith("Mesa Valley Water will raise residential rates by 9% starting July 1")
    assert "Luis Carranza" not in article.text
    assert ["https://www.mesavalleywater.example/rates/2024"] == article.links
    assert f"{url}?spot_im_comment_id=sp_Wq8Zc3Hn_water-rates-rise-july_c_2dFhK9aQmPz" == kenji.permalink
    assert (
        "> Our bills have gone up a fifth in two years.\n\n"
        "Ours too. The audit at mesavalleywater.example says a third of the pipes are past their lifespan, though."
    ) == fatima.text
    assert ["https://www.mesavalleywater.example/audit-2023.pdf"] == fatima.links
    assert [] == kenji.links  # not its own timestamp permalink


# -- failures are ParseErrors -----------------------------------------------------------------------


@pytest.mark.parametrize(("folder", "name"), CASES)
@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95])
def test_a_truncated_page_parses_or_raises_parse_error(folder, name, fraction):
    data = (FIXTURES / folder / name).read_bytes()
    source = source_of(data[: int(len(data) * fraction)], name)
    try:
        threads = SITE_PARSERS[folder]().parse(source)
    except ParseError as exc:
        assert name in str(exc) and folder in exc.reason
    else:
        assert 1 == len(threads) and threads[0].posts
    try:
        threads = parse_source(source)
    except ParseError as exc:
        assert exc.path == name
    else:
        assert threads and threads[0].posts


@pytest.mark.parametrize("platform", sorted(SITE_PARSERS))
@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe garbage \x89PNG", b"just some words, no markup"])
def test_not_html_raises_parse_error(platform, data):
    with pytest.raises(ParseError):
        SITE_PARSERS[platform]().parse(source_of(data, "odd.bin"))


@pytest.mark.parametrize("platform", sorted(SITE_PARSERS))
def test_a_page_without_posts_raises_parse_error(platform):
    page = "<!DOCTYPE html><html><head><title>Nothing here</title></head><body><p>Login required.</p></body></html>"
    with pytest.raises(ParseError) as caught:
        SITE_PARSERS[platform]().parse(source_of(page, "login-wall.html"))
    assert caught.value.path == "login-wall.html"
