"""XenForo forum threads (XenForo 1 and 2) and article pages whose comments come from a XenForo forum.

A XenForo page is recognised by its markup: the ``<html id="XF">`` (2) or ``<html id="XenForo">``
(1) root, XenForo's scripts and ``data-xf-init`` attributes, and its post markup, never by the
file name or URL. Three layouts are read:

* XenForo 2: ``article.message[data-author][data-content="post-N"]`` with the body in
  ``.message-body .bbWrapper`` and quotes in ``blockquote.bbCodeBlock--quote``;
* XenForo 1: ``li.message#post-N[data-author]`` with the body in ``blockquote.messageText`` and
  quotes in ``.bbCodeQuote`` (an ``.attribution`` and a ``.quote``);
* embedded: an article page (a news site running its comments on a XenForo forum) with
  ``li.xenforo-comment`` items under the article.

The first post on the page is the thread's root, every later post a comment. Quoted text is
written as ``> `` lines; a quote that names the post it comes from makes that post the parent.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.forum import (
    absolute,
    add_post,
    base_href,
    count_in,
    date_in,
    guarded,
    has_markers,
    link_of,
    outermost,
    page_article,
    page_dayfirst,
    page_title,
    page_url,
    post_text,
    select_first,
    without_session,
)
from indexer.parsers.html import first
from indexer.records import Thread

# -- recognising a XenForo page -------------------------------------------------------------------

MARKERS = (
    re.compile(r"""<html[^>]*\bid=["']XF["']"""),  # XenForo 2's root element
    re.compile(r"""<html[^>]*\bid=["']XenForo["']"""),  # XenForo 1's
    re.compile(r"""\bdata-xf-init=["']"""),
    re.compile(r"\bXF\.(?:ready|extendObject|config|KeyStorage)\b"),
    re.compile(r"\bXenForo\.(?:ajax|init|register|Facebook|ExtLinkTrigger)\b|js/xenforo/xenforo\.js"),
    re.compile(r"(?i)(?:Forum software|Community platform) by XenForo|xenforo\.com/\?"),
)
POST_MARKUP = re.compile(
    r"""<(?:article|li)\b[^>]*\bclass=["'][^"']*\bmessage\b[^>]*\bdata-author=|"""
    r"""<(?:article|li)\b[^>]*\bdata-author=[^>]*\bclass=["'][^"']*\bmessage\b"""
)
EMBEDDED_MARKUP = re.compile(r"""class=["'][^"']*\bxenforo-comment\b""")
MIN_MARKERS = 1

# -- a thread ---------------------------------------------------------------------------------------
POST_SELECTORS = (
    "article.message[data-author]",  # XenForo 2
    "li.message[data-author]",  # XenForo 1
    "article.message--post",
    # rejected: ".message" alone, XenForo 2 also uses it for profile posts and conversation lists
)
TITLE_SELECTORS = ("h1.p-title-value", ".titleBar h1", "h1")
POST_AUTHOR_SELECTORS = (
    ".message-name .username",
    ".messageUserInfo .username",
    ".message-userDetails .username",
    ".username",
)
POST_DATE_SELECTORS = (
    ".message-attribution-main time",
    ".message-attribution time",
    ".messageMeta .DateTime",
    ".messageDetails .DateTime",
    "time.u-dt",
    ".DateTime",
)
POST_BODY_SELECTORS = (
    ".message-body .bbWrapper",
    ".bbWrapper",
    "blockquote.messageText",
    ".messageText",
    ".message-body",
)
PERMALINK_SELECTORS = (
    ".message-attribution-opposite a[href*='post-']",
    ".message-attribution a[href*='/post-']",
    "a.datePermalink[href]",
    "a.postNumber[href]",
    "a.hashPermalink[href]",
)
DELETED_CLASSES = ("message--deleted", "deleted")
QUOTE_SELECTORS = ("blockquote.bbCodeBlock--quote", ".bbCodeQuote", "blockquote.bbCodeBlock")
QUOTE_ATTRIBUTION_SELECTORS = (".bbCodeBlock-title", ".attribution")
QUOTE_BODY_SELECTORS = (".bbCodeBlock-expandContent", ".bbCodeBlock-content", ".quote")
# The "Click to expand..." of long quotes, the quote's jump arrow, XenForo 1's end marker and
# XenForo 2's select-to-quote end.
BODY_CHROME_SELECTORS = (
    ".bbCodeBlock-expandLink", ".quoteExpand", ".messageTextEndMarker", ".js-selectToQuoteEnd", ".AttributionLink",
    ".message-signature", ".signature",
)
POST_ID = re.compile(r"^(?:js-)?post-(\d+)$")
QUOTE_SOURCE = re.compile(r"post:\s*(\d+)")
QUOTE_LINK = re.compile(r"(?:goto/post\?id=|[#/]post-)(\d+)")

# -- an article page with comments from the forum ---------------------------------------------------
EMBEDDED_COMMENT_SELECTORS = ("li.xenforo-comment", ".xenforo-comment")
EMBEDDED_AUTHOR_SELECTORS = (".username", "header a", "header .name")  # rejected: "header", it holds the date
EMBEDDED_BODY_SELECTORS = (".js-read-more", ".xenforo-comment-text", ".xenforo-comment-content")
EMBEDDED_COUNT_SELECTORS = (".xenforo-comments-header .comments-total", ".xenforo-comments-header")
EMBEDDED_AREA_SELECTORS = (".xenforo-comment-widget", ".xenforo-comments-list", ".xenforo-comments-see-all")


class XenForoParser(Parser):
    PLATFORM = "xenforo"
    DESCRIPTION = (
        "XenForo 1 and 2 forum threads (posts, quotes, reply parents from quote sources) and articles "
        "whose comments come from a XenForo forum"
    )

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        if EMBEDDED_MARKUP.search(text):
            return True
        return POST_MARKUP.search(text) is not None and has_markers(text, MARKERS, MIN_MARKERS)

    def parse(self, source: SourceFile) -> list[Thread]:
        return guarded(self.PLATFORM, source, lambda: [self._thread(source)])

    def _thread(self, source: SourceFile) -> Thread:
        soup = source.soup
        posts = outermost(select_first(soup, POST_SELECTORS))
        if posts:
            return self._forum_thread(source, soup, posts)
        comments = select_first(soup, EMBEDDED_COMMENT_SELECTORS)
        if comments:
            return self._article_thread(source, soup, comments)
        raise ParseError(source.relpath, "xenforo: no posts (article.message, li.message) and no xenforo-comment items")

    def _forum_thread(self, source: SourceFile, soup: BeautifulSoup, posts: list[Tag]) -> Thread:
        url = page_url(soup)
        base = base_href(soup, url)
        dayfirst = page_dayfirst(soup)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=page_title(soup, TITLE_SELECTORS))
        for position, element in enumerate(posts):
            body = first(element, POST_BODY_SELECTORS)
            text, hrefs = post_text(body, base, quotes=QUOTE_SELECTORS, attribution=QUOTE_ATTRIBUTION_SELECTORS,
                                    quote_body=QUOTE_BODY_SELECTORS, chrome=BODY_CHROME_SELECTORS, page_url=url)
            author_el = first(element, POST_AUTHOR_SELECTORS)
            author = element.get("data-author") or (clean_text(author_el.get_text(" ")) if author_el else None)
            deleted = any(c in (element.get("class") or []) for c in DELETED_CLASSES)
            permalink = first(element, PERMALINK_SELECTORS)
            add_post(
                builder,
                kind="post" if position == 0 else ("deleted" if deleted else "comment"),
                author=author,
                author_url=link_of(author_el, base),
                text=text,
                hrefs=hrefs,
                date=date_in(element, POST_DATE_SELECTORS, dayfirst),
                native_id=_post_id(element),
                parent=_quoted_post(body) if position else None,
                permalink=without_session(absolute(permalink.get("href"), base)) if permalink else None,
            )
        return builder.build()

    def _article_thread(self, source: SourceFile, soup: BeautifulSoup, comments: list[Tag]) -> Thread:
        url = page_url(soup)
        base = base_href(soup, url)
        dayfirst = page_dayfirst(soup)
        article = page_article(soup, url, base, exclude=EMBEDDED_AREA_SELECTORS, dayfirst=dayfirst)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=page_title(soup, ()),
                                author=article.author, date=article.date)
        add_post(builder, kind="post", author=article.author, text=article.text, hrefs=article.hrefs,
                 date=article.date, author_url=article.author_url, permalink=url)
        for element in comments:
            body = first(element, EMBEDDED_BODY_SELECTORS)
            text, hrefs = post_text(body, base, quotes=QUOTE_SELECTORS, attribution=QUOTE_ATTRIBUTION_SELECTORS,
                                    quote_body=QUOTE_BODY_SELECTORS, chrome=(*BODY_CHROME_SELECTORS, "header"),
                                    page_url=url)
            if not text:
                continue
            author_el = first(element, EMBEDDED_AUTHOR_SELECTORS)
            match = re.search(r"(\d+)$", element.get("id") or "")
            add_post(
                builder,
                author=clean_text(author_el.get_text(" ")) if author_el else None,
                author_url=link_of(author_el, base),
                text=text,
                hrefs=hrefs,
                date=date_in(element, ("time", "header"), dayfirst),
                native_id=match.group(1) if match else None,
            )
        thread = builder.build()
        count = first(soup, EMBEDDED_COUNT_SELECTORS)
        thread.declared_comments = count_in(count)
        if thread.declared_comments is not None:
            thread.not_loaded = max(0, thread.declared_comments - len(thread.posts) + 1)
        return thread


def _post_id(element: Tag) -> str | None:
    """The post's id: ``data-content="post-N"`` (XenForo 2) or ``id="post-N"`` (XenForo 1)."""
    match = POST_ID.match(element.get("data-content") or "") or POST_ID.match(element.get("id") or "")
    return match.group(1) if match else None


def _quoted_post(body: Tag | None) -> str | None:
    """The id of the first post this one quotes, from the quote's source or its jump link."""
    if body is None:
        return None
    for quote in body.select(", ".join(QUOTE_SELECTORS)):
        match = QUOTE_SOURCE.search(quote.get("data-source") or "")
        if match:
            return match.group(1)
        for anchor in quote.find_all("a", href=True):
            match = QUOTE_LINK.search(anchor["href"])
            if match:
                return match.group(1)
    return None
