"""PIXNET (痞客邦) blog posts with their comments: the post, each visitor's comment and the blog owner's
replies to it.

A PIXNET page is recognised by its markup: PIXNET's own static assets (``s.pixfs.net``) or its
``:: 痞客邦 ::`` title, together with PIXNET's post or comment markup (``#article-content``,
``.article-content``, ``#comment-text``, ``.single-post``, ``ul.comment-list``), never by the file
name or URL. Pages are Big5 or UTF-8, as their ``<meta>`` declares.

The post is ``#article-content-inner``/``.article-content``, its title ``.article-title`` or the
``h2`` of the article head, its date the ``li.publish`` parts (month, day, year, time) or
``article:published_time``, its author the ``.author`` of the article footer ("阿哲 發表在 痞客邦").
Comments are ``#comment-text .single-post`` (classic templates) or ``ul.comment-list > li``, each
with its commenter (``.user-name``/``.author``, a ``/pcard/`` profile link), its time
(``.post-time``: "於 2023/03/05 15:02 回覆") and its text (``.post-text``/``.comment-body``). The
owner's answer to a comment (``.reply-text``, "版主回覆：(03/05/2023 16:10:00)", month first) is a
comment of its own under the one it answers, by the post's author. "留言列表 (4)" is the count the
page states; it counts visitors' comments, not the owner's replies.
"""

from __future__ import annotations

import copy
import re

from bs4 import BeautifulSoup, Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.forum import (
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
    select_first,
)
from indexer.records import Thread

# -- recognising a PIXNET page ----------------------------------------------------------------------
MARKERS = re.compile(
    r"""<(?:link|script)\b[^>]*\b(?:href|src)=["'](?:https?:)?//s\d*\.pixfs\.net/"""
    r"""|<title>[^<]*::\s*痞客邦\s*::[^<]*</title>"""
)
STRUCTURE = re.compile(
    r"""<[a-z][^<>]*(?:\bid=["'](?:article-content(?:-inner)?|comment-text)["']"""
    r"""|\bclass=["'][^"']*\b(?:article-content|single-post|post-text|reply-text|comment-list)\b)"""
)

# -- the post ---------------------------------------------------------------------------------------
TITLE_SELECTORS = (".article-title", ".article-head li.title h2", ".article-head h2", ".article h2 a")
BODY_SELECTORS = ("#article-content-inner", ".article-content-inner", "#article-content", ".article-content")
AUTHOR_SELECTORS = (".article-footer .author", "ul.refer .author", ".article-meta .author", ".article .author")
DATE_SELECTORS = (".article-meta time", ".publish-time", ".article-head .publish", ".publish")
# li.publish writes the date in parts: <span class="month">Mar</span> <span class="date">05</span> …
DATE_PARTS = (".month", ".date", ".year", ".time")
ARTICLE_CHROME_SELECTORS = ("script", "style", "form", ".article-footer", ".pixnet-ad", ".ad")
QUOTE_SELECTORS = ("blockquote",)

# -- the comments -----------------------------------------------------------------------------------
COMMENT_SELECTORS = (
    "#comment-text .single-post",
    ".single-post",
    "ul.comment-list > li",
    # rejected: "#comments li", the owner's reply and the comment form use list items in some skins
)
OWNER_REPLY_SELECTORS = (".reply-text",)
COMMENT_AUTHOR_SELECTORS = (".user-name", ".author", ".comment-author", ".name")
COMMENT_DATE_SELECTORS = (".post-time", "time", ".comment-time")
COMMENT_BODY_SELECTORS = (".post-text", ".comment-body", ".comment-content")
COMMENT_CHROME_SELECTORS = (".floor", ".post-info", ".comment-head", "form")
# The owner's reply: a heading ("版主回覆：(03/05/2023 16:10:00)") and the text under it.
OWNER_REPLY_HEAD_SELECTORS = ("h4", ".reply-head", ".reply-title", ".post-time")
OWNER_REPLY_LABEL = re.compile(r"^\s*版主回覆\s*[:：]?\s*")
COMMENT_ID = re.compile(r"^comment-(\d+)$")
DECLARED_SELECTORS = ("#comment-text > h3", "#comment-text h3", ".comments-title", "#comments h3")


class PixnetParser(Parser):
    PLATFORM = "pixnet"
    DESCRIPTION = "PIXNET (痞客邦) blog posts: the post, its comments and the blog owner's replies under them"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        return MARKERS.search(text) is not None and STRUCTURE.search(text) is not None

    def parse(self, source: SourceFile) -> list[Thread]:
        return guarded(self.PLATFORM, source, lambda: [self._thread(source)])

    def _thread(self, source: SourceFile) -> Thread:
        soup = source.soup
        url = page_url(soup)
        base = base_href(soup, url)
        comments = [el for el in select_first(soup, COMMENT_SELECTORS) if el.find_parent("form") is None]
        body = next((el for el in (soup.select_one(s) for s in BODY_SELECTORS) if el is not None), None)
        text, hrefs = post_text(browser_whitespace(body), base, quotes=QUOTE_SELECTORS,
                                chrome=ARTICLE_CHROME_SELECTORS, page_url=url) if body is not None else ("", [])
        if not comments and not text:
            raise ParseError(source.relpath, "pixnet: no post text (#article-content) and no comments")
        author_el = _article_author(soup)
        author = clean_text(author_el.get_text(" ")) if author_el is not None else meta_value(soup, "author")
        date = _article_date(soup)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=_title(soup), author=author, date=date)
        if text:
            add_post(builder, kind="post", author=author, author_url=link_of(author_el, base), text=text,
                     hrefs=hrefs, date=date, permalink=url)
        for element in comments:
            replies = [r for s in OWNER_REPLY_SELECTORS for r in element.select(s)]
            native_id = _comment_id(element)
            post = add_post(builder, native_id=native_id, **_comment(element, replies, base, url, native_id))
            for number, reply in enumerate(replies, 1):
                reply_id = f"{native_id}-reply{'' if number == 1 else number}" if native_id else None
                reply_post = add_post(builder, native_id=reply_id, **_owner_reply(reply, author, base, url))
                reply_post.parent_id = post.id
        thread = builder.build()
        declared = count_in(next((el for el in (soup.select_one(s) for s in DECLARED_SELECTORS) if el is not None),
                                 None))
        if declared is not None:
            thread.declared_comments = declared
            thread.not_loaded = max(0, declared - len(comments))
        return thread


def _title(soup: BeautifulSoup) -> str | None:
    title = page_title(soup, TITLE_SELECTORS)
    # "台南兩天一夜小吃地圖 @ 阿哲的散步筆記 :: 痞客邦 ::" when only <title> names the post
    return (re.sub(r"\s*(?:@[^@]*)?::\s*痞客邦\s*::\s*$", "", title).strip() or None) if title else None


def _article_author(soup: BeautifulSoup) -> Tag | None:
    for selector in AUTHOR_SELECTORS:
        for found in soup.select(selector):
            if found.find_parent(id=["comments", "comment-text"]) is None and clean_text(found.get_text(" ")):
                return found
    return None


def _article_date(soup: BeautifulSoup) -> str | None:
    declared = read_date(meta_value(soup, "article:published_time"))
    if declared:
        return declared
    for selector in DATE_SELECTORS:
        found = soup.select_one(selector)
        if found is None:
            continue
        parts = [found.select_one(s) for s in DATE_PARTS]
        if all(p is not None for p in parts[:3]):
            date = read_date(" ".join(clean_text(p.get_text(" ")) for p in parts if p is not None))
        else:
            date = date_of(found)
        if date:
            return date
    return None


def _comment(element: Tag, replies: list[Tag], base: str | None, url: str | None, native_id: str | None) -> dict:
    nested = {id(r) for r in replies}
    author_el = own(element, COMMENT_AUTHOR_SELECTORS, nested)
    body = own(element, COMMENT_BODY_SELECTORS, nested)
    if body is None:
        # no body block of its own: the comment minus its header and the owner's replies
        body = copy.copy(element)
        for found in body.select(", ".join((*OWNER_REPLY_SELECTORS, *COMMENT_CHROME_SELECTORS))):
            found.extract()
    text, hrefs = post_text(browser_whitespace(body), base, quotes=QUOTE_SELECTORS, chrome=COMMENT_CHROME_SELECTORS,
                            page_url=url)
    return {
        "author": clean_text(author_el.get_text(" ")) if author_el is not None else None,
        "author_url": link_of(author_el, base),
        "text": text,
        "hrefs": hrefs,
        "date": _date(own(element, COMMENT_DATE_SELECTORS, nested)),
        "permalink": f"{url.split('#')[0]}#comment-{native_id}" if url and native_id else None,
    }


def _owner_reply(reply: Tag, owner: str | None, base: str | None, url: str | None) -> dict:
    """The blog owner's answer to a comment: by the post's author, dated by its heading."""
    date = _date(next((el for el in (reply.select_one(s) for s in COMMENT_DATE_SELECTORS) if el is not None), None))
    body = next((el for el in (reply.select_one(s) for s in COMMENT_BODY_SELECTORS) if el is not None), None)
    if body is None:
        body = copy.copy(reply)
        for found in body.select(", ".join(OWNER_REPLY_HEAD_SELECTORS)):
            found.extract()
    text, hrefs = post_text(browser_whitespace(body), base, quotes=QUOTE_SELECTORS, page_url=url)
    named = next((el for el in (reply.select_one(s) for s in COMMENT_AUTHOR_SELECTORS) if el is not None), None)
    return {
        "author": clean_text(named.get_text(" ")) if named is not None else owner,
        "text": OWNER_REPLY_LABEL.sub("", text),
        "hrefs": hrefs,
        "date": date,
    }


def _date(element: Tag | None) -> str | None:
    """PIXNET's times: "2023/03/05 15:02" and the owner's "(03/05/2023 16:10:00)", month first in both."""
    return date_of(element, dayfirst=False) if element is not None else None


def _comment_id(element: Tag) -> str | None:
    match = COMMENT_ID.match(str(element.get("id") or ""))
    return match.group(1) if match else None

