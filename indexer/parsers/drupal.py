"""Drupal 7 and 8+ pages with Drupal's own comments: the article and every comment, replies under their parents.

A Drupal page is recognised by its markup (the ``Drupal`` generator, ``Drupal.settings`` /
``drupalSettings``, ``data-drupal-`` attributes, ``/sites/default/files/`` paths) together with
Drupal's comment markup, never by its file name or URL; a Drupal page without Drupal comments
(Disqus, none at all) is left to the generic parser. Comments are ``article.comment`` (8+,
``id="comment-N"``) or ``div.comment`` (7, after an ``<a id="comment-N">`` anchor); a reply sits
in the ``div.indented`` that follows the comment it answers. Each comment's author is its
``.username`` (else the name in its "Name | date" or "Submitted by Name on date" line), its date
the RDFa ``dc:date``/``schema:dateCreated`` content (else a ``time``, else that line), its text
the comment-body field (``.field--name-comment-body``, ``.field-name-comment-body``), without
the comment's subject line.

The article itself is found as on any page (the body field with the most text, its byline and
publication date); the page's ``sioc:num_replies`` gives the comment count Drupal states.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

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
    own,
    page_article,
    page_dayfirst,
    page_title,
    page_url,
    post_text,
    read_date,
)
from indexer.records import Post, Thread

# -- recognising a Drupal page with Drupal comments -------------------------------------------------
MARKERS = (
    re.compile(r"""(?i)<meta\b[^>]*name=["']generator["'][^>]*content=["']Drupal\b"""),
    re.compile(r"\bDrupal\.settings\b|\bdrupalSettings\b|jQuery\.extend\(Drupal"),
    re.compile(r"""\bdata-drupal-(?:selector|link-system-path|messages)\b"""),
    re.compile(r"/sites/(?:default|all)/(?:files|modules|themes)/"),
    re.compile(r"/(?:core/)?misc/drupal\.js"),
)
MIN_MARKERS = 2
GENERATOR = re.compile(r"""(?i)<meta\b[^>]*(?:name=["']generator["'][^>]*content=["']Drupal\b|"""
                       r"""content=["']Drupal\b[^>]*name=["']generator["'])""")
COMMENT_MARKUP = re.compile(
    r"""class=["'][^"']*\b(?:field--name-comment-body|field-name-comment-body|field-comment-body|comment-wrapper)\b"""
    r"""|typeof=["'][^"']*(?:schema:Comment|sioct:Comment)"""
)

# -- the comments -----------------------------------------------------------------------------------
COMMENT_SELECTORS = (
    "article.comment",
    "div.comment",
    "[typeof~='schema:Comment']",
    "[typeof~='sioct:Comment']",
    "article.js-comment",
    # rejected: ".comment" on any tag, Drupal's ul.links carries li.comment-reply and some
    # themes a span.comment counter
)
REPLY_WRAPPER_CLASSES = ("indented", "comment__indent")
BODY_SELECTORS = (
    "[property~='schema:text']",
    ".field--name-comment-body",
    ".field-name-comment-body",
    ".field-comment-body",
    ".comment__content",
    ".comment-content",
    ".content",
)
# A comment's subject is a field of its own in Drupal 8 (schema:name), a heading in 7.
SUBJECT_SELECTORS = ("[property~='schema:name']", "h3.title", "h3.comment-title", "h3.comment__title")
AUTHOR_SELECTORS = (
    ".username",
    "[property~='foaf:name']",
    "[rel~='schema:author'] [property~='schema:name']",
    ".comment__author a",
    ".comment__author",
    ".comment-author",
    ".author",
)
MACHINE_DATE_SELECTORS = (
    "[property~='dc:date'][content]",
    "[property~='schema:dateCreated'][content]",
    "time[datetime]",
)
META_LINE_SELECTORS = (".submitted", "footer h6", "footer", "header", ".comment__meta", ".meta", ".comment-meta")
# Date and time in separate items of the comment's links (ACLU-like themes: li.date, li.time).
DATE_PART_SELECTORS = (".date", ".time")
PERMALINK_SELECTORS = ("a.permalink[href]", "a[rel~='bookmark'][href]", "a[href*='#comment-']")
# "In reply to <a href="/comment/12#comment-12">…</a> by X", hidden from sight but in the markup (8+)
PARENT_SELECTORS = (".parent a[href*='comment']", ".visually-hidden a[href*='/comment/']",
                    "[rel~='schema:isPartOf'][href*='comment']")
BODY_CHROME_SELECTORS = (
    "ul.links", ".links", ".comment-reply", "[property~='schema:name']",
    # the expanding_formatter module: an ellipsis and an "Expand"/"Aufklappen" button around the full text
    ".expanding-formatter-ellipsis", ".expanding-formatter-trigger",
)
QUOTE_SELECTORS = ("blockquote", ".quote-msg")
QUOTE_ATTRIBUTION_SELECTORS = (".quote-author",)
COMMENT_ID = re.compile(r"(?:^|[/#-])comment[-/](\d+)$")
# "Heidemarie Heim | Di, 21. April 2020 - 16:40", "Submitted by Jo on Tue, 05/01/2012 - 10:00",
# "Gerhard Baierlein am 18. Oktober 2023 - 13:11"
BYLINES = (
    re.compile(r"(?i)^(?:submitted|posted|eingereicht|geschrieben|verfasst)\s+(?:by|von)\s+(?P<author>.+?)\s+"
               r"(?:on|am)\s+(?P<date>.*\d.*)$"),
    re.compile(r"^(?P<author>[^|]+?)\s*\|\s*(?P<date>.*\d.*)$"),
    re.compile(r"(?i)^(?:by\s+|von\s+)?(?P<author>.+?)\s+(?:am|on|le|el|il)\s+(?P<date>.*\d.*)$"),
)
MAX_AUTHOR_CHARS = 80
TITLE_SELECTORS = ("h1.page-title", "h1.node-title", "h1.node__title", "h1.title")
COMMENT_COUNT = ("[property~='sioc:num_replies'][content]",)
# Where the article never is: the comments and their form.
COMMENT_AREA_SELECTORS = ("#comments", ".comment-wrapper", "section.comments", ".field--name-comment",
                          ".field--type-comment")


class DrupalParser(Parser):
    PLATFORM = "drupal"
    DESCRIPTION = "Drupal 7 and 8+ pages with Drupal comments: the article and its comments, replies under parents"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        if COMMENT_MARKUP.search(text) is None:
            return False
        return GENERATOR.search(text[:65536]) is not None or has_markers(text, MARKERS, MIN_MARKERS)

    def parse(self, source: SourceFile) -> list[Thread]:
        return guarded(self.PLATFORM, source, lambda: [self._thread(source)])

    def _thread(self, source: SourceFile) -> Thread:
        soup = source.soup
        url = page_url(soup)
        base = base_href(soup, url)
        dayfirst = page_dayfirst(soup)
        comments = _comment_elements(soup)
        article = page_article(soup, url, base, exclude=COMMENT_AREA_SELECTORS, dayfirst=dayfirst)
        if not comments and not article.text:
            raise ParseError(source.relpath, "drupal: no comments (article.comment, div.comment) and no article text")
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=page_title(soup, TITLE_SELECTORS),
                                author=article.author, date=article.date)
        add_post(builder, kind="post", author=article.author, author_url=article.author_url, text=article.text,
                 hrefs=article.hrefs, date=article.date, permalink=url)
        kept = {id(c) for c in comments}
        added: dict[int, Post] = {}
        for element in comments:
            native_id = _comment_id(element)
            parent = _structural_parent(element, kept)
            fields = _comment(element, native_id, comments, url, base, dayfirst)
            declared = None if parent is not None else _declared_parent(element)
            post = add_post(builder, native_id=native_id, parent=declared, **fields)
            if parent is not None and id(parent) in added:
                post.parent_id = added[id(parent)].id  # the page's nesting, which needs no ids
            added[id(element)] = post
        thread = builder.build()
        count = soup.select_one(", ".join(COMMENT_COUNT))
        if count is not None and count["content"].strip().isdigit():
            thread.declared_comments = int(count["content"])
            thread.not_loaded = max(0, thread.declared_comments - len(comments))
        return thread


def _comment_elements(soup: BeautifulSoup) -> list[Tag]:
    """Every comment container, outermost only, in page order (replies are in wrappers beside them)."""
    found = [el for el in soup.select(", ".join(COMMENT_SELECTORS)) if el.find_parent("form") is None]
    return outermost(found)


def _comment(element: Tag, native_id: str | None, comments: list[Tag], url: str | None, base: str | None,
             dayfirst: bool) -> dict:
    nested = {id(c) for c in comments if c is not element}
    body = own(element, BODY_SELECTORS, nested)
    text, hrefs = post_text(body, base, quotes=QUOTE_SELECTORS, attribution=QUOTE_ATTRIBUTION_SELECTORS,
                            chrome=BODY_CHROME_SELECTORS, page_url=url)
    author_el = own(element, AUTHOR_SELECTORS, nested)
    author = clean_text(author_el.get_text(" ")) if author_el is not None else None
    date = None
    for found in (own(element, (s,), nested) for s in MACHINE_DATE_SELECTORS):
        date = date_of(found, dayfirst) if found is not None else None
        if date:
            break
    if date is None:
        parts = [own(element, (s,), nested) for s in DATE_PART_SELECTORS]
        if all(p is not None for p in parts):
            date = read_date(" ".join(clean_text(p.get_text(" ")) for p in parts), dayfirst)
    if author is None or date is None:
        line_author, line_date = _byline(element, nested, dayfirst)
        author, date = author or line_author, date or line_date
    permalink = _permalink(element, native_id, nested, url, base)
    return {
        "author": author,
        "author_url": link_of(author_el, base),
        "text": text,
        "hrefs": hrefs,
        "date": date,
        "permalink": permalink,
    }


def _permalink(element: Tag, native_id: str | None, nested: set[int], url: str | None,
               base: str | None) -> str | None:
    """The comment's own permalink (not the "In reply to" link to its parent), else its anchor on the page."""
    if not native_id:
        return None
    for selector in PERMALINK_SELECTORS:
        for anchor in element.select(selector):
            if any(id(parent) in nested for parent in anchor.parents if parent is not element):
                continue
            if any(_id_in(part) == native_id for part in anchor["href"].split("#")):
                return absolute(anchor["href"], base)
    return f"{url.split('#')[0]}#comment-{native_id}" if url else None


def _id_in(text: str) -> str | None:
    match = COMMENT_ID.search(text.strip())
    return match.group(1) if match else None


def _byline(element: Tag, nested: set[int], dayfirst: bool) -> tuple[str | None, str | None]:
    """(author, date) from the comment's metadata line ("Name | date", "Submitted by Name on date")."""
    for selector in META_LINE_SELECTORS:
        found = own(element, (selector,), nested)
        if found is None:
            continue
        line = clean_text(found.get_text(" "))
        for pattern in BYLINES:
            match = pattern.match(line)
            if match and len(match.group("author")) <= MAX_AUTHOR_CHARS:
                date = read_date(match.group("date"), dayfirst)
                if date:
                    return match.group("author").strip(" :,|-–—"), date
    return None, None


def _comment_id(element: Tag) -> str | None:
    """Drupal's comment id: the element's own id, the anchor Drupal 7 puts before it, or its permalink."""
    candidates = [element.get("id"), element.get("about")]
    anchor = element.find_previous_sibling()
    if anchor is not None and anchor.name == "a":
        candidates.append(anchor.get("id") or anchor.get("name"))
    for permalink in element.select(", ".join(PERMALINK_SELECTORS)):
        if permalink.find_parent(class_=["parent", "visually-hidden"]) is None:
            candidates.append(permalink["href"].split("#")[-1])
            break
    return next((found for found in (_id_in(str(c or "")) for c in candidates) if found), None)


def _structural_parent(element: Tag, kept: set[int]) -> Tag | None:
    """The comment a reply answers: the one right before the ``div.indented`` the reply sits in."""
    for wrapper in element.parents:
        if not isinstance(wrapper, Tag) or wrapper.name in ("body", "html", "[document]"):
            return None
        if id(wrapper) in kept:
            return wrapper
        if any(c in (wrapper.get("class") or []) for c in REPLY_WRAPPER_CLASSES):
            for sibling in wrapper.find_previous_siblings(True):
                if id(sibling) in kept:
                    return sibling
                inner = [d for d in sibling.find_all(True) if id(d) in kept]
                if inner:
                    return outermost(inner)[-1]
                if any(c in (sibling.get("class") or []) for c in REPLY_WRAPPER_CLASSES):
                    break
    return None


def _declared_parent(element: Tag) -> str | None:
    """The parent a Drupal 8 theme names in the comment ("In reply to <a href="/comment/12#comment-12">")."""
    found = element.select_one(", ".join(PARENT_SELECTORS))
    return _id_in(found.get("href", "").split("#")[0]) if found is not None else None
