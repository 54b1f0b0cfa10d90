"""vBulletin 4 forum threads: every post on the page, quotes kept apart, reply parents from quote links.

A vBulletin page is recognised by its markup (``<html id="vbulletin_html">``, the ``vBulletin``
generator, ``vBulletin_init()`` and ``clientscript/vbulletin`` scripts) together with its post
bodies (``div#post_message_N``), never by its file name or URL. Each post is an
``li.postbitlegacy`` or ``li.postbit`` (``id="post_N"``) with ``a.username``, the date in
``.postdate`` (or the user panel of the "postbitim" layout) and the body in
``div#post_message_N blockquote.postcontent``. Quotes are ``div.bbcode_quote`` blocks with a
``.bbcode_postedby`` line ("Originally Posted by X", linking to X's post) and a ``.message``.

A thread page is one page of many: its first post is the root here, and the page's
"Results 661 to 680 of 795" line gives the count of the thread's other posts.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.forum import (
    absolute,
    add_post,
    base_href,
    date_in,
    guarded,
    has_markers,
    link_of,
    outermost,
    page_dayfirst,
    page_title,
    page_url,
    post_text,
    select_first,
    without_session,
)
from indexer.parsers.html import first
from indexer.records import Thread

# -- recognising a vBulletin page -------------------------------------------------------------------
MARKERS = (
    re.compile(r"""<html[^>]*\bid=["']vbulletin_html["']"""),
    re.compile(r"""(?i)<meta\b[^>]*name=["']generator["'][^>]*content=["']vBulletin"""),
    re.compile(r"\bvBulletin_init\(\)"),
    re.compile(r"clientscript/vbulletin[_-]"),
    re.compile(r"""(?i)\bname=["']vb_meta_bburl["']|\bvar SESSIONURL\b"""),
    re.compile(r"(?i)Powered by vBulletin"),
)
MIN_MARKERS = 2
POST_MARKUP = re.compile(r"""\bid=["']post_message_\d+["']""")

# -- the posts --------------------------------------------------------------------------------------
POST_SELECTORS = (
    "li.postbitlegacy[id^='post_']",
    "li.postbit[id^='post_']",
    "li.postcontainer[id^='post_']",
    # rejected: "table[id^='post']" (vBulletin 3's layout, not read here)
)
BODY_SELECTORS = ("[id^='post_message_'] blockquote.postcontent", "[id^='post_message_']", "blockquote.postcontent")
AUTHOR_SELECTORS = (".username_container a.username", "a.username", ".username_container .username", ".username")
DATE_SELECTORS = (
    ".postdate .date",
    ".postdate",
    ".posthead .date",
    "span.date",
    ".userinfo_extra .userstats dd",  # the "postbitim" layout writes the date in the user panel
    ".userstats dd",
)
PERMALINK_SELECTORS = ("a.postcounter[href]", ".nodecontrols a[name^='post'][href]", "a[name^='post'][href]")
TITLE_SELECTORS = ("#pagetitle .threadtitle a", ".threadtitle", ".navbit.lastnavbit", "h1")
QUOTE_SELECTORS = (".bbcode_quote",)
QUOTE_ATTRIBUTION_SELECTORS = (".bbcode_postedby",)
QUOTE_BODY_SELECTORS = (".message", ".quote_container")
# The empty quote icon box, and the "Sent from my phone using Tapatalk" line apps add under a post.
BODY_CHROME_SELECTORS = (".bbcode_quote_container", ".tapatalkSignatur", ".signaturecontainer", "script", "style")
DELETED_CLASSES = ("postbit-deleted", "deleted")
POST_ID = re.compile(r"^post_(\d+)$")
QUOTED_POST = re.compile(r"(?:[#?&]p(?:ost)?=?|-post)(\d+)")
# "Results 661 to 680 of 795", "Ergebnis 661 bis 680 von 795", "Showing results 1 to 20 of 31"
PAGE_STATS_SELECTORS = ("#postpagestats_above", "#postpagestats", ".postpagestats")
PAGE_STATS = re.compile(r"(\d[\d.,]*)\D+(\d[\d.,]*)\D+(\d[\d.,]*)\s*$")


class VBulletinParser(Parser):
    PLATFORM = "vbulletin"
    DESCRIPTION = "vBulletin 4 thread pages: posts, quotes kept apart, reply parents from quote links"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        return POST_MARKUP.search(text) is not None and has_markers(text, MARKERS, MIN_MARKERS)

    def parse(self, source: SourceFile) -> list[Thread]:
        return guarded(self.PLATFORM, source, lambda: [self._thread(source)])

    def _thread(self, source: SourceFile) -> Thread:
        soup = source.soup
        posts = outermost(select_first(soup, POST_SELECTORS))
        if not posts:
            raise ParseError(source.relpath, "vbulletin: no posts (li.postbitlegacy, li.postbit with id=post_N)")
        url = page_url(soup)
        base = base_href(soup, url)
        dayfirst = page_dayfirst(soup)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=page_title(soup, TITLE_SELECTORS))
        for position, element in enumerate(posts):
            body = first(element, BODY_SELECTORS)
            text, hrefs = post_text(body, base, quotes=QUOTE_SELECTORS, attribution=QUOTE_ATTRIBUTION_SELECTORS,
                                    quote_body=QUOTE_BODY_SELECTORS, chrome=BODY_CHROME_SELECTORS, page_url=url)
            author_el = first(element, AUTHOR_SELECTORS)
            match = POST_ID.match(element.get("id") or "")
            permalink = first(element, PERMALINK_SELECTORS)
            deleted = any(c in (element.get("class") or []) for c in DELETED_CLASSES)
            add_post(
                builder,
                kind="post" if position == 0 else ("deleted" if deleted else "comment"),
                author=clean_text(author_el.get_text(" ")) if author_el else None,
                author_url=link_of(author_el, base),
                text=text,
                hrefs=hrefs,
                date=date_in(element, DATE_SELECTORS, dayfirst),
                native_id=match.group(1) if match else None,
                parent=_quoted_post(body) if position else None,
                permalink=without_session(absolute(permalink["href"], base)) if permalink else None,
            )
        thread = builder.build()
        total = _posts_in_thread(soup)
        if total is not None:
            thread.declared_comments = total - 1
            thread.not_loaded = max(0, total - len(thread.posts))
        return thread


def _quoted_post(body: Tag | None) -> str | None:
    """The id of the first post this one quotes, from the "view post" link in the quote's header."""
    if body is None:
        return None
    for quote in body.select(", ".join(QUOTE_SELECTORS)):
        for anchor in quote.select(", ".join(f"{s} a[href]" for s in QUOTE_ATTRIBUTION_SELECTORS)):
            match = QUOTED_POST.search(anchor["href"])
            if match:
                return match.group(1)
    return None


def _posts_in_thread(soup: BeautifulSoup) -> int | None:
    """The thread's post count from the page's "Results 661 to 680 of 795" line."""
    found = first(soup, PAGE_STATS_SELECTORS)
    match = PAGE_STATS.search(clean_text(found.get_text(" "))) if found is not None else None
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(3))
    return int(digits) if digits else None
