"""phpBB 3 topic pages (prosilver and the styles built on it): every post, quotes kept apart.

A phpBB page is recognised by its markup (``<body id="phpbb">``, the "Powered by phpBB" footer,
prosilver's style comment, ``viewtopic.php`` links) together with its post markup (``div.post``
with ``id="pN"``), never by its file name or URL. Each post has its author in
``.author strong a.username`` (or the ``.postprofile``), its date after the author in
``p.author`` (a ``<time datetime>`` from phpBB 3.2 on) and its text in ``.postbody .content``.
Quotes are ``blockquote`` blocks whose ``cite`` names the quoted author ("X wrote:") and, from
phpBB 3.2 on, links the quoted post, which then becomes the reply's parent.
"""

from __future__ import annotations

import re

from bs4 import Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.forum import (
    absolute,
    add_post,
    base_href,
    date_of,
    guarded,
    has_markers,
    link_of,
    outermost,
    page_dayfirst,
    page_title,
    page_url,
    post_text,
    read_date,
    select_first,
    without_session,
)
from indexer.parsers.html import first
from indexer.records import Thread

# -- recognising a phpBB page -----------------------------------------------------------------------
MARKERS = (
    re.compile(r"""<body[^>]*\bid=["']phpbb["']"""),
    re.compile(r"""(?i)Powered by\s*(?:<a[^>]*>)?\s*phpBB"""),
    re.compile(r"(?i)prosilver \(this is the default phpBB3 style\)|/styles/prosilver/"),
    re.compile(r"""(?i)href=["'][^"']*phpbb\.com/?["']"""),
    re.compile(r"""viewtopic\.php\?[^"']*\bt=\d+"""),
    re.compile(r"\bphpbb\.(?:plupload|addAjaxCallback|toggleDisplay)|var phpbb\b"),
)
MIN_MARKERS = 2
POST_MARKUP = re.compile(r"""<div\b[^>]*\bid=["']p\d+["'][^>]*\bclass=["'][^"']*\bpost\b|"""
                         r"""<div\b[^>]*\bclass=["'][^"']*\bpost\b[^"']*["'][^>]*\bid=["']p\d+["']""")

# -- the posts --------------------------------------------------------------------------------------
POST_SELECTORS = ("div.post[id^='p']",)
POST_ID = re.compile(r"^p(\d+)$")
BODY_SELECTORS = (".postbody .content", ".content")
AUTHOR_SELECTORS = (
    ".author strong a.username",
    ".author strong a.username-coloured",
    ".author a.username",
    ".author a.username-coloured",
    ".postprofile a.username",
    ".postprofile a.username-coloured",
    ".author strong",
    ".postprofile dt strong",
)
# The date in "von r23 » 21.01.2009, 05:42" is what follows the last "»" of the author line.
AUTHOR_LINE_SELECTORS = ("p.author", ".author")
TITLE_SELECTORS = ("h2.topic-title", "#page-body h2 a", "h2")
PERMALINK_SELECTORS = (".author a[href*='#p']", "h3 a[href*='#p']")
QUOTE_SELECTORS = ("blockquote",)
QUOTE_ATTRIBUTION_SELECTORS = ("cite",)
# phpBB 3.2 puts a "jump to post" arrow and the quoted post's date inside the cite.
QUOTE_CHROME_SELECTORS = ("cite a[data-post-id]", "cite span.responsive-hide")
BODY_CHROME_SELECTORS = (*QUOTE_CHROME_SELECTORS, ".codebox p", "div.inline-attachment dd", "script", "style")
QUOTED_POST = re.compile(r"(?:[#?&]p=?|#p)(\d+)")


class PhpBBParser(Parser):
    PLATFORM = "phpbb"
    DESCRIPTION = "phpBB 3 topic pages (prosilver and derived styles): posts, quotes kept apart"

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
        posts = [p for p in outermost(select_first(soup, POST_SELECTORS)) if POST_ID.match(p.get("id") or "")]
        if not posts:
            raise ParseError(source.relpath, "phpbb: no posts (div.post with id=pN) found")
        url = page_url(soup)
        base = base_href(soup, url)
        dayfirst = page_dayfirst(soup)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=page_title(soup, TITLE_SELECTORS))
        for position, element in enumerate(posts):
            body = first(element, BODY_SELECTORS)
            text, hrefs = post_text(body, base, quotes=QUOTE_SELECTORS, attribution=QUOTE_ATTRIBUTION_SELECTORS,
                                    chrome=BODY_CHROME_SELECTORS, page_url=url)
            author_el = first(element, AUTHOR_SELECTORS)
            permalink = first(element, PERMALINK_SELECTORS)
            add_post(
                builder,
                kind="post" if position == 0 else "comment",
                author=clean_text(author_el.get_text(" ")) if author_el else None,
                author_url=link_of(author_el, base),
                text=text,
                hrefs=hrefs,
                date=_date(element, dayfirst),
                native_id=POST_ID.match(element["id"]).group(1),
                parent=_quoted_post(body) if position else None,
                permalink=without_session(absolute(permalink["href"], base)) if permalink else _anchor(url, element),
            )
        return builder.build()


def _anchor(url: str | None, element: Tag) -> str | None:
    """The post's place on the page (``#pN``) when it shows no link to itself."""
    return f"{url.split('#')[0]}#{element['id']}" if url else None


def _date(element: Tag, dayfirst: bool) -> str | None:
    """The post's date: the author line's <time>, else the text after its last "»"."""
    line = first(element, AUTHOR_LINE_SELECTORS)
    if line is None:
        return None
    stamp = line.find("time")
    if stamp is not None:
        found = date_of(stamp, dayfirst)
        if found:
            return found
    text = clean_text(line.get_text(" "))
    return read_date(text.rsplit("»", 1)[-1], dayfirst) if "»" in text else read_date(text, dayfirst)


def _quoted_post(body: Tag | None) -> str | None:
    """The id of the first post this one quotes, from the link in a quote's cite (phpBB 3.2 on)."""
    if body is None:
        return None
    for quote in body.select("blockquote"):
        for anchor in quote.select("cite a[href]"):
            if anchor.get("data-post-id", "").isdigit():
                return anchor["data-post-id"]
            href = anchor["href"]
            match = QUOTED_POST.search(href) if "viewtopic" in href or "#p" in href else None
            if match:
                return match.group(1)
    return None
