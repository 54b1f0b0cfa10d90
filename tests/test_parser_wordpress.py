"""The WordPress parser on small hand-written pages, one per quirk of the markup themes print.

Every fixture is invented; together they show the parser keys on WordPress markup (comment
lists, block templates, plugin markup), not on the real saved pages in the golden tests.
"""

from __future__ import annotations

import random

import pytest
from soupsieve.css_match import CSSMatch

from indexer.parsers import parse_file, parser_for, wordpress
from indexer.parsers.base import ParseError, SourceFile
from indexer.parsers.wordpress import WordPressParser
from tests.conftest import FIXTURES, PROJECT

WORDPRESS = FIXTURES / "wordpress"
NOT_WORDPRESS = ("image-from-wordpress-site-only.html",)
WORDPRESS_PAGES = sorted(p.name for p in WORDPRESS.glob("*.html") if p.name not in NOT_WORDPRESS)


def parse(name: str):
    threads = WordPressParser().parse(SourceFile.read(WORDPRESS / name))
    assert 1 == len(threads)
    return threads[0]


def rows(thread) -> list[tuple]:
    """(kind, author, date, parent position, text) for every post, in page order."""
    positions = {p.id: p.position for p in thread.posts}
    return [(p.kind, p.author, p.date, positions.get(p.parent_id), p.text) for p in thread.posts]


# --- recognising WordPress --------------------------------------------------------------------


@pytest.mark.parametrize("name", WORDPRESS_PAGES)
def test_wordpress_markup_is_recognised(name):
    source = SourceFile.read(WORDPRESS / name)
    assert WordPressParser.suitable(source)
    assert WordPressParser is parser_for(source)


def test_an_image_from_a_wordpress_site_does_not_make_a_page_wordpress():
    assert not WordPressParser.suitable(SourceFile.read(WORDPRESS / "image-from-wordpress-site-only.html"))


def test_recognition_ignores_the_file_name(tmp_path):
    plain = tmp_path / "wordpress-wp-content-comment-1.html"
    plain.write_text("<html><body><p>wordpress, /wp-content/, comment-1</p></body></html>")
    wordpress = tmp_path / "page.html"
    wordpress.write_bytes((WORDPRESS / "block-theme-comment-template.html").read_bytes())
    assert not WordPressParser.suitable(SourceFile.read(plain))
    assert WordPressParser.suitable(SourceFile.read(wordpress))


# --- threads, comments and replies --------------------------------------------------------------


def test_nested_replies_three_deep():
    thread = parse("nested-replies-three-deep.html")
    expected = {
        "platform": "wordpress",
        "source": "nested-replies-three-deep.html",
        "url": "https://harbour-notes.example.net/2019/05/paper-logbook/",
        "site": "harbour-notes.example.net",
        "title": "Why we still keep a paper logbook",
        "author": "Ines Harbour",
        "date": "2019-05-02T08:30:00Z",
        "declared_comments": 4,  # "4 thoughts on …"
        "not_loaded": 0,
    }
    assert expected == {k: v for k, v in thread.metadata().items() if k in expected}
    assert [
        ("post", "Ines Harbour", "2019-05-02T08:30:00Z", None,
         "Every skipper I know keeps a paper log next to the plotter. Ours sits in a drawer under the chart table."
         "\n\nThe RYA guidance says much the same."),
        ("comment", "Tom Wexley", "2019-05-02T10:15:00Z", None,
         "Same here. When the batteries died off Ushant the paper log was all we had. "
         "I wrote it up at tidewatcher.example.org."),
        ("comment", "Ines Harbour", "2019-05-02T11:40:00Z", 1, "Great write-up, Tom. Did you log positions every hour?"),
        ("comment", "Tom Wexley", "2019-05-02T12:05:00Z", 2,
         "Every hour, and at every course change. See my first comment for the details."),
        ("comment", "Priya", "2019-05-03T07:00:00Z", None, "We use an app now, but I take your point."),
    ] == rows(thread)
    assert 4 == len(thread.comments)


def test_comment_links_leave_out_reply_edit_permalink_and_homepage_links():
    thread = parse("nested-replies-three-deep.html")
    tom, ines, tom_again, priya = thread.comments
    assert ["https://tidewatcher.example.org/ushant-2018/"] == tom.links
    assert ["tidewatcher.example.org"] == tom.domains
    assert "https://tidewatcher.example.org/" == tom.author_url
    assert [] == tom_again.links  # a link to comment 101 on this page is a permalink, not a link out
    assert [] == ines.links
    assert ines.author_url is None
    assert ["https://www.rya.org.uk/knowledge/logbooks"] == thread.posts[0].links


def test_native_ids_and_permalinks_come_from_the_comment_ids():
    thread = parse("nested-replies-three-deep.html")
    tom, ines, tom_again, priya = thread.comments
    assert f"{thread.id}-c101" == tom.id
    assert f"{thread.id}-c102" == tom_again.parent_id
    assert "https://harbour-notes.example.net/2019/05/paper-logbook/#comment-104" == priya.permalink


def test_block_theme_comment_template():
    thread = parse("block-theme-comment-template.html")
    assert "Sourdough in a cold kitchen" == thread.title
    assert "2024-01-14T09:00:00Z" == thread.date
    assert [
        ("post", None, "2024-01-14T09:00:00Z", None, "When the kitchen drops below eighteen degrees the starter sulks."),
        ("comment", "Mara Quill", "2024-01-15T08:30:00Z", None,
         "I put mine in the oven with just the light on. Works every time – there is a video at youtu.be."),
        ("comment", "The Baker", "2024-01-15T12:00:00Z", 1, "Good tip, thank you!"),
    ] == rows(thread)
    mara = thread.comments[0]
    assert "https://maraquill.example.org" == mara.author_url
    assert ["https://youtu.be/dQw4w9WgXcQ"] == mara.links
    assert ["youtube.com"] == mara.domains


def test_genesis_theme_variant():
    thread = parse("genesis-theme-variant.html")
    assert ("Pruning apple trees in February", "Hal Grafton", "2021-02-07T10:00:00Z") == (
        thread.title, thread.author, thread.date)  # og:title without " - Orchard Diary"
    assert [
        ("comment", "Sally Brennan", "2021-02-08T14:22:00Z", None,
         "Do you seal the cuts? My neighbour swears by the RHS advice not to."),
        ("comment", "Hal Grafton", "2021-02-08T18:05:00Z", 1, "No, I leave them open."),
    ] == rows(thread)[1:]
    assert "https://sallysplot.example.org" == thread.comments[0].author_url
    assert ["https://www.rhs.org.uk/fruit/apples/pruning"] == thread.comments[0].links


def test_avada_name_and_date_in_one_line():
    thread = parse("avada-name-and-date-in-one-line.html")
    assert [
        ("comment", "Ben", "2018-06-19T15:28:00", None, "Das Urteil ist nachvollziehbar."),
        ("comment", "Moritz", "2018-06-19T20:41:00", 1, "Danke für dein Feedback."),
    ] == rows(thread)[1:]
    assert "https://medienrecht.example.de" == thread.comments[1].author_url


def test_amp_for_wp_comments():
    thread = parse("amp-for-wp-comments.html")
    assert [
        ("post", "Nell Arden", None, None, "Tinned tomatoes, an onion and ten minutes."),
        ("comment", "Ollie", "2019-10-03T18:10:00", None, "Added a pinch of smoked paprika. Lovely."),
        ("comment", "Nell Arden", "2019-10-03T20:45:00", 1, "Ooh, I’ll try that."),
    ] == rows(thread)


def test_wordpress_com_comment_likes_are_not_comment_text():
    thread = parse("wordpresscom-comment-likes.html")
    assert "Birds at the feeder this winter" == thread.title
    assert "Two nuthatches, finally." == thread.posts[0].text  # without the sharing buttons
    assert [] == thread.posts[0].links
    assert [("comment", "wrenwatch", "2020-01-12T16:20:00Z", None, "Lucky you! Ours only get starlings.")] == rows(thread)[1:]
    assert [] == thread.comments[0].links


def test_wpdiscuz_plugin():
    thread = parse("wpdiscuz-comments-plugin.html")
    # wpDiscuz shows only "3 Stunden her": no date is better than a wrong one
    assert [
        ("comment", "Anwohnerin", None, None, "Wieder ein Sommer mit Umweg."),
        ("comment", "Pendler", None, 1, "Immerhin fährt die Fähre."),
    ] == rows(thread)[1:]
    assert [] == thread.comments[0].links  # the share-on-Twitter button is not a link the commenter wrote
    assert "https://www.stadtblatt.example.de/bruecke-bleibt-zu/#comment-501" == thread.comments[0].permalink
    assert (5, 3) == (thread.declared_comments, thread.not_loaded)  # "( 5 )", two of them in the page


def test_epoch_comments_plugin():
    thread = parse("epoch-comments-plugin.html")
    assert [
        ("comment", "Dana", "2017-03-10T00:20:00", None, "I switched to it last month."),
        ("comment", "Lee", "2017-03-10T13:05:00", 1, "Same, after reading my own notes."),
    ] == rows(thread)[1:]
    lee = thread.comments[1]
    assert ("https://lee.example.org", ["https://lee.substack.com/p/forms"], ["lee.substack.com"]) == (
        lee.author_url, lee.links, lee.domains)


# --- pingbacks ----------------------------------------------------------------------------------


def test_pingbacks_and_trackbacks_are_kept_apart_from_comments():
    thread = parse("pingbacks-and-trackbacks.html")
    assert [
        ("post", None, None, None, "Ten years ago we opened with four hundred books and a kettle."),
        ("comment", "Agnes", "2018-09-03T21:12:00", None,
         "Congratulations! I still have the library card from the first week."),
        ("pingback", "Library birthday party on Saturday « Parish News", None, None,
         "Pingback: Library birthday party on Saturday « Parish News"),
        ("pingback", "Books Nearby » Village libraries", "2018-09-04T08:00:00", None,
         "[…] the one in Little Hadham turned ten this month […]"),
        ("comment", "Bill", "2018-09-05T18:45:00", None, "Here’s to the next ten."),
        ("pingback", "Small libraries that punch above their weight", None, None,
         "Small libraries that punch above their weight"),
    ] == rows(thread)
    assert ["Agnes", "Bill"] == [c.author for c in thread.comments]
    assert (3, 0) == (thread.declared_comments, thread.not_loaded)  # "3 Responses"


def test_a_pingback_is_not_a_comment_and_its_source_is_not_a_link():
    thread = parse("pingbacks-and-trackbacks.html")
    pingbacks = [p for p in thread.posts if p.kind == "pingback"]
    assert 3 == len(pingbacks)
    assert not any(p in thread.comments for p in pingbacks)
    assert [
        "http://parishnews.example.com/library-birthday/",
        "https://booksnearby.example.net/2018/09/villages/",
        "http://readersdigest.example.com/small-libraries/",
    ] == [p.author_url for p in pingbacks]
    assert [[], [], []] == [p.links for p in pingbacks]


# --- dates in other languages and formats -------------------------------------------------------


def test_german_dates_written_as_text():
    thread = parse("german-dates-text-only.html")
    assert [
        ("comment", "Jürgen", "2016-03-12T14:31:00", None, "Die Umleitung über die Straße ist gefährlich."),
        ("comment", "Karin B.", "2016-04-01T09:05:00", 1, "Seit gestern ist er wieder offen, siehe dresden.de."),
    ] == rows(thread)[1:]
    assert ["https://www.dresden.de/verkehr"] == thread.comments[1].links
    assert "Radweg an der Elbe gesperrt" == thread.title


def test_old_theme_cite_byline():
    thread = parse("old-theme-cite-byline.html")
    assert ("Darf der Vermieter den Briefkasten tauschen?", "2009-06-23T00:00:00") == (thread.title, thread.date)
    assert [
        ("comment", "Greta Hausflur", "2009-06-23T13:04:00", None,
         "Bei uns stand nur ein Zettel im Flur, siehe Mieterbund."),
        ("comment", "Anwalt", "2009-06-24T08:15:00", None, "Das ist nicht zulässig."),
    ] == rows(thread)[1:]
    greta = thread.comments[0]
    assert ("http://www.hausflur.example.de", ["http://www.mieterbund.example.de/briefkasten"]) == (
        greta.author_url, greta.links)


# --- archived, empty and broken pages -----------------------------------------------------------


def test_wayback_capture_gives_the_original_urls():
    thread = parse("wayback-capture.html")
    assert ("http://kuchenblog.example.net/apfelkuchen/", "kuchenblog.example.net", "Apfelkuchen vom Blech") == (
        thread.url, thread.site, thread.title)
    assert ["http://www.omas-rezepte.example.de/"] == thread.posts[0].links
    sarah = thread.comments[0]
    assert ("Sarah", "2013-07-30T14:33:00", "Mit Zimt noch besser, siehe hier.") == (sarah.author, sarah.date, sarah.text)
    assert "http://backstube.example.org/" == sarah.author_url
    assert ["http://www.zimtliebe.example.com/tipps/"] == sarah.links
    assert "http://kuchenblog.example.net/apfelkuchen/#comment-143" == sarah.permalink


def test_a_page_without_comments_is_a_thread_with_just_the_post():
    thread = parse("no-comments.html")
    assert [("post", "June Marsh", "2021-09-19T16:00:00Z", None, "Nothing much happened. The courgettes kept coming.")] == (
        rows(thread))
    assert ("A quiet week at the allotment", [], None) == (thread.title, thread.comments, thread.declared_comments)


def test_a_truncated_page_gives_what_it_shows():
    thread = parse("truncated-page.html")
    assert [
        ("comment", "Olu", "2020-02-01T09:00:00Z", None, "Eleven years is a good innings."),
        ("comment", "Ren", "2020-02-01T10:30:00Z", 1, "Ours lasted three. Descale it every mon"),
    ] == rows(thread)[1:]


def test_wordpress_markup_without_a_post_is_a_parse_error():
    with pytest.raises(ParseError) as error:
        parse_file(WORDPRESS / "wordpress-markup-without-post.html")
    assert "wordpress: page has WordPress markup but no post (no .entry-content or similar) and no comments" == (
        error.value.reason)


@pytest.mark.parametrize("name", WORDPRESS_PAGES)
def test_any_prefix_of_a_page_parses_or_raises_parse_error(name, tmp_path):
    data = (WORDPRESS / name).read_bytes()
    for cut in range(0, len(data), max(1, len(data) // 40)):
        source = SourceFile(path=tmp_path / name, relpath=name, data=data[:cut])
        try:
            threads = WordPressParser().parse(source)
        except ParseError:
            continue
        assert all(t.posts and t.posts[0].kind == "post" for t in threads)


def test_garbage_bytes_raise_only_parse_error(tmp_path):
    rng = random.Random(20240501)
    page = (WORDPRESS / "nested-replies-three-deep.html").read_bytes()
    for _ in range(25):
        noise = bytearray(page)
        for _ in range(200):
            noise[rng.randrange(len(noise))] = rng.randrange(256)
        source = SourceFile(path=tmp_path / "noise.html", relpath="noise.html", data=bytes(noise))
        try:
            WordPressParser().parse(source)
        except ParseError:
            pass


def test_every_post_has_text_or_a_clear_kind():
    for name in WORDPRESS_PAGES:
        if name == "wordpress-markup-without-post.html":
            continue
        thread = parse(name)
        assert "post" == thread.posts[0].kind, name
        assert {"post", "comment", "pingback"} >= {p.kind for p in thread.posts}, name
        assert all(p.text for p in thread.posts[1:]), name


def test_the_corpus_sample_post():
    thread = parse_file(PROJECT / "corpus" / "blog.example.org" / "wordpress-sample-post.html", PROJECT / "corpus")[0]
    assert ("wordpress", "blog.example.org", "Rosalind Achterberg", 9) == (
        thread.platform, thread.site, thread.author, thread.declared_comments)
    assert 8 == len(thread.comments)
    assert ["pingback"] == [p.kind for p in thread.posts if p.kind != "comment"][1:]
    positions = {p.id: p.position for p in thread.posts}
    assert [None, None, 1, 2, 1, None, 5, None, None, None] == [positions.get(p.parent_id) for p in thread.posts]
    domains = {d for p in thread.posts for d in p.domains}
    assert {"youtube.com", "thelocalbrief.substack.com", "ukpolitics.substack.com", "github.com"} <= domains
    assert "https://wardnotes.example.net" not in {link for p in thread.posts for link in p.links}


# --- cost -----------------------------------------------------------------------------------------


def _page_with_threads(threads: int) -> str:
    """A classic-theme page: ``threads`` comments, each with one nested reply."""

    def comment(number: int, depth: int, replies: str = "") -> str:
        return (
            f'<li class="comment even depth-{depth}" id="comment-{number}">'
            f'<article id="div-comment-{number}" class="comment-body"><footer class="comment-meta">'
            f'<div class="comment-author vcard"><b class="fn">Reader {number}</b> <span class="says">says:</span></div>'
            f'<div class="comment-metadata"><a href="https://notes.example.net/p/#comment-{number}">'
            f'<time datetime="2021-03-0{depth}T10:00:00+00:00">March {depth}, 2021</time></a></div></footer>'
            f'<div class="comment-content"><p>Comment {number}, see <a href="https://example.org/{number}">this</a>.</p>'
            f'</div><div class="reply"><a class="comment-reply-link" href="?replytocom={number}">Reply</a></div>'
            f"</article>{replies}</li>"
        )

    items = "".join(
        comment(2 * n, 1, f'<ol class="children">{comment(2 * n + 1, 2)}</ol>') for n in range(1, threads + 1)
    )
    return (
        '<!DOCTYPE html><html lang="en-US"><head><meta name="generator" content="WordPress 6.4">'
        '<link rel="canonical" href="https://notes.example.net/p/"><title>A post</title></head><body>'
        '<article class="post hentry"><h1 class="entry-title">A post</h1>'
        '<div class="entry-content"><p>The post itself.</p></div></article>'
        f'<div id="comments" class="comments-area"><h2 class="comments-title">{2 * threads} thoughts</h2>'
        f'<ol class="comment-list">{items}</ol></div></body></html>'
    )


def test_selectors_look_only_at_elements_that_could_match(tmp_path, monkeypatch):
    """Finding each comment's author, date and text does not search the page again per selector (soupsieve
    did, ~7 checks per element of the page, ~3 ms a comment). Counted in selector checks, never in time:
    the whole page takes fewer checks than it has elements, and 4x the comments at most ~4x the checks."""
    checks = []
    own_check, soupsieve_check = wordpress._compound_matches, CSSMatch.match
    monkeypatch.setattr(wordpress, "_compound_matches", lambda *args: checks.append(1) or own_check(*args))
    monkeypatch.setattr(CSSMatch, "match", lambda *args: checks.append(1) or soupsieve_check(*args))

    def cost(threads: int) -> tuple[int, int]:
        path = tmp_path / f"page-{threads}.html"
        path.write_text(_page_with_threads(threads))
        source = SourceFile.read(path)
        elements = len(source.soup.find_all(True))
        checks.clear()
        thread = WordPressParser().parse(source)[0]
        assert 2 * threads == len(thread.comments)
        assert [f"Reader {n}" for n in range(2, 2 * threads + 2)] == [p.author for p in thread.comments]
        return len(checks), elements

    (small, _), (large, elements) = cost(20), cost(80)
    assert 0 < small  # the counted function still does the matching
    assert large < elements, f"{large} selector checks for a page of {elements} elements"
    assert large <= 4.5 * small, f"{small} selector checks for 40 comments, {large} for 160"
