"""News articles with a hosted comment section rendered into the saved page: Coral Talk, Viafoura and
OpenWeb (Spot.IM), the "slate-style" comment systems of news sites.

A page is recognised by the rendered comments of one of these systems (not by the embed script alone,
which holds no comments, and never by the file name or URL):

* Coral Talk: ``.coral-comment`` with ``.coral-comment-username``, ``.coral-comment-timestamp``
  (a ``time``) and ``.coral-comment-content``; replies in the ``.coral-comment-replies`` /
  ``data-testid="commentReplyList-<id>"`` list after the comment they answer, and indented
  ``.coral-indent-N``;
* Viafoura: ``.vf-comment`` with ``.vf-comment-author``/``.vf-username``, a ``time`` and
  ``.vf-comment-content``; replies in the ``.vf-comment-replies`` inside the comment;
* OpenWeb/Spot.IM: ``[data-spot-im-class="message-view"]`` with ``message-username``,
  ``message-timestamp`` and ``message-text``; replies in the ``message-replies`` list inside it.

The article is the page's ``articleBody``/article-body block, else its ``<article>`` without header
and bylines, else the JSON-LD ``articleBody``; its title, author, date and address come from the
JSON-LD ``NewsArticle`` where there is one, else from the page's metadata and byline. Quoted text
(``blockquote``) is written as ``> `` lines. The comment count the widget shows ("6 Comments") is
the thread's declared count; replies behind "View 2 more replies" are counted as not loaded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.forum import (
    absolute,
    add_post,
    base_href,
    browser_whitespace,
    count_in,
    date_of,
    guarded,
    link_of,
    meta_value,
    own,
    page_title,
    page_url,
    post_text,
    read_date,
)
from indexer.records import Post, Thread


@dataclass(frozen=True)
class System:
    """One hosted comment system's rendered markup, as selectors in priority order."""

    name: str
    needle: str  # a cheap first look before the pattern
    rendered: re.Pattern  # a rendered comment body in the page's source: what recognises the system
    comments: str
    author: tuple[str, ...]
    date: tuple[str, ...]
    body: tuple[str, ...]
    replies: tuple[str, ...]  # the list of a comment's replies
    level: re.Pattern | None  # a class naming a comment's depth ("coral-indent-2")
    count: tuple[str, ...]
    area: tuple[str, ...]  # the whole comment section


CORAL = System(
    name="coral",
    needle="coral-comment-content",
    rendered=re.compile(r"""<[a-z][^<>]*\bclass=["'][^"']*\bcoral-comment-content\b"""),
    comments=".coral-comment",
    author=(".coral-comment-username", ".coral-username"),
    date=(".coral-comment-timestamp", ".coral-timestamp", "time"),
    body=(".coral-comment-content", ".coral-content"),
    replies=(".coral-comment-replies", ".coral-replyList", "[data-testid^='commentReplyList-']"),
    level=re.compile(r"^coral-indent-(\d+)$"),
    count=(".coral-counter", ".coral-commentCount"),
    area=("#coral_thread", ".coral-stream", ".coral"),
)
VIAFOURA = System(
    name="viafoura",
    needle="vf-comment-content",
    rendered=re.compile(r"""<[a-z][^<>]*\bclass=["'][^"']*\bvf-comment-content\b"""),
    comments=".vf-comment",
    author=(".vf-comment-author", ".vf-username", ".vf-author"),
    date=(".vf-comment-date", ".vf-timestamp", "time"),
    body=(".vf-comment-content", ".vf-content"),
    replies=(".vf-comment-replies",),
    level=re.compile(r"^vf-comment--depth-(\d+)$"),
    count=(".vf-comments-count", ".vf-comment-count"),
    area=(".viafoura", "vf-conversations", ".vf-conversations"),
)
SPOTIM = System(
    name="spotim",
    needle="message-text",
    rendered=re.compile(r"""<[a-z][^<>]*\bdata-spot-im-class=["']message-text["']"""),
    comments="[data-spot-im-class='message-view']",
    author=("[data-spot-im-class='message-username']", ".spcv_username"),
    date=("[data-spot-im-class='message-timestamp']", "time"),
    body=("[data-spot-im-class='message-text']", ".spcv_message-text"),
    replies=("[data-spot-im-class='message-replies']", ".spcv_children-list"),
    level=None,
    count=("[data-spot-im-class='conversation-header-count']",),
    area=("[data-spotim-module='conversation']", "[data-spot-im-class='conversation']"),
)
SYSTEMS = (CORAL, VIAFOURA, SPOTIM)
COMMENT_AREAS = tuple(selector for system in SYSTEMS for selector in system.area)

# -- a comment --------------------------------------------------------------------------------------
QUOTE_SELECTORS = ("blockquote",)
BODY_CHROME_SELECTORS = ("button", "form", "[class*='actionBar']", "[class*='comment-actions']")
PERMALINK_SELECTORS = ("a[href*='commentID=']", "a[href*='spot_im_comment_id=']", "a[href*='#comment']")
# The platform's id of a comment, in the attributes it renders it with.
ID_ATTRIBUTES = ("data-testid", "id", "data-vf-id", "data-message-id", "data-comment-id", "data-id")
ID_PREFIX = re.compile(r"^(?:vf-comment-|comment-)")
REPLY_LIST_ID = re.compile(r"^commentReplyList-(.+)$")
LOAD_MORE = re.compile(r"(?i)\b(?:view|show|load|see)\s+(\d+)\s+more\s+(?:repl|comment|message)")

# -- the article ------------------------------------------------------------------------------------
ARTICLE_TYPES = ("NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                 "Article", "BlogPosting", "ReviewNewsArticle")
ARTICLE_BODY_SELECTORS = (
    "[itemprop~='articleBody']",
    ".article-body",
    ".article__body",
    ".story-body",
    ".article-text",
    "article",
)
ARTICLE_CHROME_SELECTORS = (
    "header", "h1", "footer", "nav", "aside", "figure", "form", "script", "style", "noscript",
    "[class*='byline']", ".meta", *COMMENT_AREAS,
)
TITLE_SELECTORS = ("article h1", "h1[itemprop~='headline']", "main h1")
AUTHOR_SELECTORS = ("[itemprop~='author'] [itemprop~='name']", "[rel~='author']", ".author-name",
                    "[class*='byline'] a", "[itemprop~='author']")
DATE_SELECTORS = ("article time[datetime]", "[itemprop~='datePublished']")


class NewsCommentsParser(Parser):
    PLATFORM = "newscomments"
    DESCRIPTION = "News articles with Coral Talk, Viafoura or OpenWeb (Spot.IM) comments rendered into the page"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        return any(system.needle in text and system.rendered.search(text) for system in SYSTEMS)

    def parse(self, source: SourceFile) -> list[Thread]:
        return guarded(self.PLATFORM, source, lambda: [self._thread(source)])

    def _thread(self, source: SourceFile) -> Thread:
        soup = source.soup
        system, comments = _comment_elements(soup)
        if not comments:
            raise ParseError(source.relpath, "newscomments: no Coral, Viafoura or OpenWeb comments rendered in the page")
        ld = _json_ld_article(soup)
        url = page_url(soup) or absolute(_ld_url(ld), None)
        base = base_href(soup, url)
        text, hrefs = _article_text(soup, ld, base, url)
        author, author_url = _article_author(soup, ld, base)
        date = read_date(_string(ld.get("datePublished"))) or read_date(meta_value(
            soup, "article:published_time", "datePublished")) or _first_date(soup, DATE_SELECTORS)
        title = clean_text(_string(ld.get("headline"))) or page_title(soup, TITLE_SELECTORS)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=title, author=author, date=date)
        if text:
            add_post(builder, kind="post", author=author, author_url=author_url, text=text, hrefs=hrefs,
                     date=date, permalink=url)
        kept = {id(c) for c in comments}
        reply_lists = {id(el) for el in soup.select(", ".join(system.replies))}
        by_native: dict[str, Tag] = {}
        added: dict[int, Post] = {}
        for element in comments:
            native_id = _comment_id(element)
            post = add_post(builder, native_id=native_id, **_comment(system, element, kept, base, url))
            parent = _parent(system, element, kept, reply_lists, comments, by_native)
            if parent is not None and id(parent) in added:
                post.parent_id = added[id(parent)].id
            added[id(element)] = post
            if native_id:
                by_native.setdefault(native_id, element)
        thread = builder.build()
        _counts(thread, soup, system, len(comments))
        return thread


def _comment_elements(soup: BeautifulSoup) -> tuple[System, list[Tag]]:
    """The first system with rendered comments, and its comments in page order."""
    for system in SYSTEMS:
        found = [el for el in soup.select(system.comments)
                 if el.find_parent("form") is None and own(el, system.body, set()) is not None]
        if found:
            return system, found
    return CORAL, []


def _comment(system: System, element: Tag, kept: set[int], base: str | None, url: str | None) -> dict:
    nested = {id(el) for el in element.find_all(True) if id(el) in kept}
    nested |= {id(el) for el in element.select(", ".join(system.replies))}
    body = own(element, system.body, nested)
    text, hrefs = post_text(browser_whitespace(body), base, quotes=QUOTE_SELECTORS, chrome=BODY_CHROME_SELECTORS,
                            page_url=url)
    author_el = own(element, system.author, nested)
    date = None
    for selector in system.date:
        date = date_of(own(element, (selector,), nested))
        if date:
            break
    permalink = own(element, PERMALINK_SELECTORS, nested)
    return {
        "author": clean_text(author_el.get_text(" ")) if author_el is not None else None,
        "author_url": link_of(author_el, base) if author_el is not None else None,
        "text": text,
        "hrefs": hrefs,
        "date": date,
        "permalink": absolute(permalink["href"], base) if permalink is not None else None,
    }


def _comment_id(element: Tag) -> str | None:
    for attr in ID_ATTRIBUTES:
        value = element.get(attr)
        if isinstance(value, str) and value.strip():
            found = ID_PREFIX.sub("", value.strip())
            # an element id or test id names a comment only with its "comment-" prefix
            if found and (found != value.strip() or attr not in ("data-testid", "id")):
                return found
    return None


def _parent(system: System, element: Tag, kept: set[int], reply_lists: set[int], comments: list[Tag],
            by_native: dict[str, Tag]) -> Tag | None:
    """The comment a reply answers: the comment it is nested in, else the one its reply list names or
    follows, else the last comment one level less indented."""
    for ancestor in element.parents:
        if not isinstance(ancestor, Tag) or ancestor.name in ("body", "html", "[document]"):
            break
        if id(ancestor) in kept:
            return ancestor
        if id(ancestor) in reply_lists:
            named = REPLY_LIST_ID.match(str(ancestor.get("data-testid") or ""))
            if named and named.group(1) in by_native:
                return by_native[named.group(1)]
            before = _comment_before(ancestor, kept)
            if before is not None:
                return before
            # a reply list inside the comment it belongs to: that comment is further up
    level = _level(system, element)
    if level:
        position = comments.index(element)
        for earlier in reversed(comments[:position]):
            if _level(system, earlier) == level - 1:
                return earlier
    return None


def _comment_before(wrapper: Tag, kept: set[int]) -> Tag | None:
    """The comment right before a reply list: a sibling comment, or the last one inside the sibling."""
    for sibling in wrapper.find_previous_siblings(True):
        if id(sibling) in kept:
            return sibling
        inside = [el for el in sibling.find_all(True) if id(el) in kept]
        if inside:
            outer = [el for el in inside if not any(id(p) in kept for p in el.parents if p is not sibling)]
            return outer[-1] if outer else None
    return None


def _level(system: System, element: Tag) -> int | None:
    if system.level is None:
        return None
    for name in element.get("class") or []:
        match = system.level.match(name)
        if match:
            return int(match.group(1))
    return None


def _counts(thread: Thread, soup: BeautifulSoup, system: System, found: int) -> None:
    """The count the widget states ("6 Comments") and the replies it has not loaded ("View 2 more replies")."""
    counter = next((el for el in (soup.select_one(s) for s in system.count) if el is not None), None)
    declared = count_in(counter)
    more = 0
    areas = soup.select(", ".join(system.area))
    outer = {id(a) for a in areas}
    for area in areas:
        if any(id(p) in outer for p in area.parents):
            continue
        for control in area.find_all(("button", "a")):
            match = LOAD_MORE.search(clean_text(control.get_text(" ")))
            if match:
                more += int(match.group(1))
    if declared is not None:
        thread.declared_comments = declared
    thread.not_loaded = max(more, declared - found if declared is not None else 0, 0)


# -- the article ------------------------------------------------------------------------------------


def _json_ld_article(soup: BeautifulSoup) -> dict:
    """The page's JSON-LD NewsArticle (or Article), else an empty dict."""
    for script in soup.find_all("script", attrs={"type": re.compile(r"(?i)ld\+json")}):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except ValueError:
            continue
        for node in _nodes(data, 0):
            types = node.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(t in ARTICLE_TYPES for t in types if isinstance(t, str)):
                return node
    return {}


def _nodes(data, depth: int):
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if isinstance(data.get("@graph"), list):
            yield from _nodes(data["@graph"], depth + 1)


def _string(value) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return _string(value[0])
    if isinstance(value, dict):
        return _string(value.get("name") or value.get("@id") or value.get("url"))
    return None


def _ld_url(ld: dict) -> str | None:
    main = ld.get("mainEntityOfPage")
    return _string(ld.get("url")) or (_string(main.get("@id")) if isinstance(main, dict) else _string(main))


def _article_text(soup: BeautifulSoup, ld: dict, base: str | None, url: str | None) -> tuple[str, list[str]]:
    areas = {id(el) for el in soup.select(", ".join(COMMENT_AREAS))}
    for selector in ARTICLE_BODY_SELECTORS:
        for body in soup.select(selector):
            if id(body) in areas or any(id(p) in areas for p in body.parents):
                continue
            text, hrefs = post_text(browser_whitespace(body), base, quotes=QUOTE_SELECTORS,
                                    chrome=ARTICLE_CHROME_SELECTORS, page_url=url)
            if text:
                return text, hrefs
    return (_string(ld.get("articleBody")) or "").strip(), []


def _article_author(soup: BeautifulSoup, ld: dict, base: str | None) -> tuple[str | None, str | None]:
    author = ld.get("author")
    first = author[0] if isinstance(author, list) and author else author
    if isinstance(first, dict) and _string(first.get("name")):
        return clean_text(_string(first["name"])), absolute(_string(first.get("url")), base)
    if isinstance(first, str) and first.strip():
        return clean_text(first), None
    areas = {id(el) for el in soup.select(", ".join(COMMENT_AREAS))}
    for selector in AUTHOR_SELECTORS:
        for found in soup.select(selector):
            if id(found) in areas or any(id(p) in areas for p in found.parents):
                continue
            name = re.sub(r"(?i)^\s*by\s+", "", clean_text(found.get_text(" "))).split(",")[0].strip()
            if name:
                return name, link_of(found, base)
    return meta_value(soup, "author"), None


def _first_date(soup: BeautifulSoup, selectors) -> str | None:
    for selector in selectors:
        found = soup.select_one(selector)
        date = date_of(found) if found is not None else None
        if date:
            return date
    return None

