"""LWN.net article pages with their comments: the article and every comment, replies under their parents.

An LWN page is recognised by its markup (the ``PageHeadline``/``ArticleText`` blocks, the comment
boxes with their ``CommentPoster`` line and ``CommentAnchorNNN`` anchors, ``static.lwn.net`` assets,
the ``LWN.net`` site name), never by its file name or URL. The article is the ``ArticleText`` block
without the comments, its headline ``.PageHeadline h1`` and its byline either "Posted <date> by
<author>" (news items) or "By <author>" with a date, or a guest author's "This article was
contributed by <author>".

Comments come in two markups: the current one, ``details.CommentBox`` with the replies nested
inside the box they answer, and the older one, ``div.CommentBox`` with the replies in the
``div.Comment`` that follows the box. Each has a ``CommentTitle`` (the comment's subject, not
part of its text), a ``CommentPoster`` line ("Posted Sep 17, 2024 14:40 UTC (Tue) by <b>name</b>
(subscriber, #51200) [Link]") and its text in ``div.FormattedComment``; ``BigQuote`` blocks and
blockquotes are quoted text. A comment's id is its ``CommentAnchorNNN`` anchor, else the number
in its "[Link]" permalink (``/Articles/NNN/`` or ``/Articles/NNN/MMM/``).
"""

from __future__ import annotations

import copy
import re

from bs4 import BeautifulSoup, NavigableString, Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.forum import (
    absolute,
    add_post,
    base_href,
    browser_whitespace,
    guarded,
    has_markers,
    own,
    page_title,
    page_url,
    post_text,
    read_date,
)
from indexer.records import Post, Thread

# -- recognising an LWN page ------------------------------------------------------------------------
MARKERS = (
    re.compile(r"""<div\b[^<>]*\bclass=["']?(?:PageHeadline|ArticleText)\b"""),
    re.compile(r"""<(?:div|p)\b[^<>]*\bclass=["']?(?:CommentPoster|FormattedComment)\b"""),
    re.compile(r"""<a\s+name=["']?CommentAnchor\d+"""),
    re.compile(r"""//static\.lwn\.net/|content=["']LWN\.net["']|\[LWN\.net\]</title>"""),
    re.compile(r"""href=["'](?:https?://lwn\.net)?/(?:headlines/\d+/|CSS/lwn)"""),
)
MIN_MARKERS = 3
# The page's own structure, at least one of which must be there (a page citing LWN is no LWN page).
STRUCTURE = re.compile(r"""<(?:div|p)\b[^<>]*\bclass=["']?(?:ArticleText|CommentPoster|FormattedComment)\b""")

# -- the article ------------------------------------------------------------------------------------
ARTICLE_SELECTORS = ("div.ArticleText", ".ArticleText")
TITLE_SELECTORS = (".PageHeadline h1", ".PageHeadline")
BYLINE_SELECTORS = (".FeatureByline", ".GAByline", ".Byline")
# Never the article's text: its comments, bylines, the "Welcome to LWN.net" box and the index table.
ARTICLE_CHROME_SELECTORS = (
    "details.CommentBox", "div.CommentBox", "div.Comment", ".CommentReplyButton", *BYLINE_SELECTORS,
    "blockquote.ad", "table.IndexEntries", "form", "script", "style",
    "a[href*='#Comments']", "a[href*='/Login']", "a[href*='/login']",
)
# Lines the ArticleText holds around its comments ("(Log in to post comments)", "Comments (4 posted)").
ARTICLE_CHROME_LINES = re.compile(r"(?i)^\(?\s*(?:log in\s+)?to post comments\s*\)?$|^comments\s*\(\d+ posted\)$")
DECLARED_COUNT = re.compile(r"(?i)^\s*comments\s*\((\d+) posted\)\s*$")
SITE = "https://lwn.net/"
FEED_LINK = re.compile(r"/headlines/(\d+)/?$")
POSTED_BY = re.compile(r"(?is)\bPosted\s+(?P<date>.+?)\s+by\s+(?P<author>[^\s()\[\]]+)")
BY_AUTHOR = re.compile(r"(?is)^\s*By\s+(?P<author>.+?)\s*$")
CONTRIBUTED_BY = re.compile(r"(?i)\bcontributed by\s+(?P<author>.+?)\s*$")

# -- the comments -----------------------------------------------------------------------------------
COMMENT_SELECTORS = ("details.CommentBox", "div.CommentBox")
REPLY_WRAPPER_CLASS = "Comment"
BODY_SELECTORS = (".FormattedComment", ".CommentBody")
POSTER_SELECTORS = (".CommentPoster",)
# The name is bold in the poster line (``<b>``), or a link on newer pages; never the "[Link]".
AUTHOR_SELECTORS = ("b", "strong", "a:not([href*='/Articles/'])")
QUOTE_SELECTORS = ("div.BigQuote", "blockquote")
BODY_CHROME_SELECTORS = (".CommentPoster", ".CommentTitle", ".CommentReplyButton", "form")
ANCHOR = re.compile(r"^CommentAnchor(\d+)$")
PERMALINK = re.compile(r"/Articles/(?:\d+/)?(\d+)/?$")
# Between a comment box and the wrapper of its replies: anchors, paragraphs, rules.
SPACER_TAGS = frozenset(("a", "p", "br", "hr"))


class LwnParser(Parser):
    PLATFORM = "lwn"
    DESCRIPTION = "LWN.net article pages: the article and its comments, replies under their parents"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        return STRUCTURE.search(text) is not None and has_markers(text, MARKERS, MIN_MARKERS)

    def parse(self, source: SourceFile) -> list[Thread]:
        return guarded(self.PLATFORM, source, lambda: [self._thread(source)])

    def _thread(self, source: SourceFile) -> Thread:
        soup = source.soup
        url = page_url(soup) or _feed_url(soup)
        base = base_href(soup, url) or SITE
        comments = [el for el in soup.select(", ".join(COMMENT_SELECTORS)) if el.find_parent("form") is None]
        text, hrefs = _article(soup, base, url)
        if not comments and not text:
            raise ParseError(source.relpath, "lwn: no comments (CommentBox) and no article text (ArticleText)")
        author, date = _byline(soup)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=_title(soup), author=author, date=date)
        if text:
            add_post(builder, kind="post", author=author, text=text, hrefs=hrefs, date=date, permalink=url)
        kept = {id(c) for c in comments}
        added: dict[int, Post] = {}
        for element in comments:
            native_id = _comment_id(element)
            fields = _comment(element, native_id, kept, base, url)
            post = add_post(builder, native_id=native_id, **fields)
            parent = _structural_parent(element, kept)
            if parent is not None and id(parent) in added:
                post.parent_id = added[id(parent)].id
            added[id(element)] = post
        thread = builder.build()
        declared = soup.find(string=DECLARED_COUNT)
        if declared is not None:
            thread.declared_comments = int(DECLARED_COUNT.search(declared).group(1))
            thread.not_loaded = max(0, thread.declared_comments - len(comments))
        return thread


def _feed_url(soup: BeautifulSoup) -> str | None:
    """The article's address from its comment feed (``/headlines/508000/``), for pages without og:url."""
    for link in soup.find_all("link", href=True):
        match = FEED_LINK.search(link["href"])
        if match:
            return f"{SITE}Articles/{match.group(1)}/"
    return None


def _title(soup: BeautifulSoup) -> str | None:
    title = page_title(soup, TITLE_SELECTORS)
    return re.sub(r"\s*\[LWN\.net\]$", "", title) if title else None


def _article(soup: BeautifulSoup, base: str, url: str | None) -> tuple[str, list[str]]:
    """The article's text and links: the ArticleText block without its bylines and comments."""
    body = next((el for el in (soup.select_one(s) for s in ARTICLE_SELECTORS) if el is not None), None)
    if body is None:
        return "", []
    text, hrefs = post_text(browser_whitespace(body), base, quotes=QUOTE_SELECTORS, chrome=ARTICLE_CHROME_SELECTORS,
                            page_url=url)
    lines = [line for line in text.split("\n") if not ARTICLE_CHROME_LINES.match(line.strip())]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), hrefs



def _byline(soup: BeautifulSoup) -> tuple[str | None, str | None]:
    """(author, date) of the article: "Posted <date> by <author>", "By <author><br>date", "contributed by"."""
    for selector in BYLINE_SELECTORS:
        for found in soup.select(selector):
            if found.find_parent(class_="CommentBox") is not None:
                continue
            line = clean_text(found.get_text(" "))
            match = POSTED_BY.search(line)
            if match:
                return match.group("author"), read_date(match.group("date"))
            parts = [clean_text(p) for p in _lines(found)]
            author = date = None
            for part in parts:
                by = BY_AUTHOR.match(part) or CONTRIBUTED_BY.search(part)
                if by and author is None:
                    author = by.group("author")
                elif date is None:
                    date = read_date(part)
            if author or date:
                return author, date
    return None, None


def _lines(element: Tag) -> list[str]:
    """The lines of a byline block: its paragraphs, else its text split at ``<br>``."""
    paragraphs = element.find_all("p")
    if paragraphs:
        return [p.get_text(" ") for p in paragraphs]
    lines, current = [], []
    for node in element.descendants:
        if isinstance(node, Tag) and node.name == "br":
            lines.append("".join(current))
            current = []
        elif isinstance(node, NavigableString):
            current.append(str(node))
    lines.append("".join(current))
    return [line for line in lines if line.strip()]


def _comment(element: Tag, native_id: str | None, kept: set[int], base: str, url: str | None) -> dict:
    # only the boxes inside this one: own() skips whatever sits in them, and the box's ancestors are no concern
    nested = {id(el) for el in element.find_all(True) if id(el) in kept}
    body = own(element, BODY_SELECTORS, nested)
    if body is not None and "CommentBody" in (body.get("class") or []):
        # no FormattedComment of its own (older pages): the body block minus its poster line and reply link
        body = _without_replies(body)
    if body is not None:
        body = browser_whitespace(body)
    text, hrefs = post_text(body, base, quotes=QUOTE_SELECTORS, chrome=BODY_CHROME_SELECTORS, page_url=url)
    author, date = None, None
    poster = own(element, POSTER_SELECTORS, nested)
    if poster is not None:
        name = own(poster, AUTHOR_SELECTORS, set())
        if name is not None and clean_text(name.get_text(" ")) not in ("", "Link"):
            author = clean_text(name.get_text(" "))
        match = POSTED_BY.search(clean_text(poster.get_text(" ")))
        if match:
            author = author or match.group("author")
            date = read_date(match.group("date"))
    permalink = _permalink(element, nested, base)
    if permalink is None and native_id and url:
        permalink = f"{url.split('#')[0]}#CommentAnchor{native_id}"
    return {"author": author, "text": text, "hrefs": hrefs, "date": date, "permalink": permalink}


def _without_replies(body: Tag) -> Tag:
    clone = copy.copy(body)
    for found in clone.select(", ".join((*COMMENT_SELECTORS, f"div.{REPLY_WRAPPER_CLASS}"))):
        found.extract()
    for anchor in clone.find_all("a"):
        if clean_text(anchor.get_text(" ")).lower() == "reply to this comment":
            anchor.extract()
    return clone


def _permalink(element: Tag, nested: set[int], base: str) -> str | None:
    """The comment's "[Link]": the href in its poster line that names a comment."""
    poster = own(element, POSTER_SELECTORS, nested)
    if poster is None:
        return None
    for anchor in poster.find_all("a", href=True):
        if PERMALINK.search(anchor["href"].split("#")[0]):
            return absolute(anchor["href"], base)
    return None


def _comment_id(element: Tag) -> str | None:
    """The number of the ``CommentAnchorNNN`` anchor before (or in) the box, else of its "[Link]"."""
    sibling = element.previous_sibling
    while sibling is not None and isinstance(sibling, NavigableString) and not sibling.strip():
        sibling = sibling.previous_sibling
    candidates = []
    if isinstance(sibling, Tag) and sibling.name == "a":
        candidates.append(sibling)
    candidates += [a for a in element.find_all("a", attrs={"name": ANCHOR}, limit=1)]
    for anchor in candidates:
        match = ANCHOR.match(str(anchor.get("name") or anchor.get("id") or ""))
        if match:
            return match.group(1)
    poster = element.select_one(", ".join(POSTER_SELECTORS))
    if poster is not None:
        for anchor in poster.find_all("a", href=True):
            match = PERMALINK.search(anchor["href"].split("#")[0])
            if match:
                return match.group(1)
    return None


def _structural_parent(element: Tag, kept: set[int]) -> Tag | None:
    """The box a comment answers: the box it is nested in (current pages), else the box right before
    the ``div.Comment`` wrapper it sits in (older pages)."""
    for ancestor in element.parents:
        if not isinstance(ancestor, Tag) or ancestor.name in ("body", "html", "[document]"):
            return None
        if id(ancestor) in kept:
            return ancestor
        if REPLY_WRAPPER_CLASS in (ancestor.get("class") or []):
            return _box_before(ancestor, kept)
    return None


def _box_before(wrapper: Tag, kept: set[int]) -> Tag | None:
    for sibling in wrapper.find_previous_siblings(True):
        if id(sibling) in kept:
            return sibling
        if REPLY_WRAPPER_CLASS in (sibling.get("class") or []) or sibling.name in SPACER_TAGS:
            continue  # an earlier reply to the same box, or the anchor before it
        break
    parent = wrapper.parent
    # replies wrapped inside the box's own body: the wrapper's enclosing box
    while isinstance(parent, Tag) and parent.name not in ("body", "html", "[document]"):
        if id(parent) in kept:
            return parent
        parent = parent.parent
    return None
