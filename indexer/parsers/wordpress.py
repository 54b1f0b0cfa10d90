"""WordPress posts and their comments, read from the markup WordPress themes and comment plugins print.

A page is recognised by its markup only (generator tag, ``/wp-content/`` assets, comment
markup that ``comment_class()`` and the block themes print), never by its name or URL.
Each page is one thread: the article is the root post, then every comment the page
shows in page order, with pingbacks and trackbacks kept apart as ``kind="pingback"``.

Selectors are data, tried in priority order; a theme that prints its comments differently
usually needs one more entry here rather than new code. They are matched by a small matcher of
our own against an index of the page built in one walk (see "matching selectors" below), not by
soupsieve, which walked the whole page again for every selector and made long threads slow.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import cache
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from indexer.dates import iso_date
from indexer.links import collect_links, urls_in_text
from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text, parse_errors
from indexer.parsers.html import links_of, meta, text_of, unwrap_archive_url
from indexer.records import Thread

# --- recognising a WordPress page -------------------------------------------------------------

GENERATOR_TAG = re.compile(r"<meta\b[^>]*\bgenerator\b[^>]*>", re.I)
# Any one of these in the raw page says WordPress.
WP_MARKERS = (
    # theme and core assets the page itself loads (an <img> from some WordPress site is not enough)
    re.compile(r"<(?:link|script)\b[^>]*?\b(?:href|src)\s*=\s*[\"']?[^\"'\s>]*/wp-(?:content|includes)/", re.I),
    re.compile(r"rel=[\"']https://api\.w\.org/"),
    re.compile(r"\bwp-block-comment-template\b|\bwp-block-post-content\b"),
    re.compile(r"/wp-comments-post\.php"),
    # rejected: "?replytocom=N" reply links alone (hand-made pages copy them without being WordPress)
    # what comment_class() prints: "comment even thread-even depth-1"
    re.compile(r"\bclass=[\"'][^\"']{0,200}\b(?:comment|pingback|trackback)\b[^\"']{0,200}\b(?:even|odd)\b"
               r"[^\"']{0,200}\bdepth-\d"),
    re.compile(r"\bwpdiscuz-|\bepoch-comment-"),
)

# --- the article --------------------------------------------------------------------------------

TITLE_SELECTORS = (
    "h1.entry-title",
    "h1.entry__title",
    "h1.post-title",
    ".post-title h1",
    "h1.single-post-title",
    "h1.wp-block-post-title",
    "h1.amp-wp-title",          # AMP for WP
    ".hentry h1",
    "article h1",
)
# Used only when neither the selectors above nor og:title / <title> give a title.
WEAK_TITLE_SELECTORS = (".entry-title", ".storytitle", ".post h2 a[rel=bookmark]", ".post h2", ".post h3")
SITE_NAME_SELECTORS = (".site-title", "#site-title", ".blog-title", "#blog-title", "#logo", ".logo", "header h1")
TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|:|::|«|»|·|•)\s+")

BODY_SELECTORS = (
    ".entry-content",
    ".wp-block-post-content",
    ".entry__content",
    ".post-entry",
    "article .post-content",
    "article .post_content",
    ".post-content",
    ".post_content",
    ".storycontent",
    ".hentry .entry",
    ".post .entry",
    "article .entry",
    ".post .content",
    "article .content",
    "[itemprop=articleBody]",
    ".amp-wp-article-content",  # AMP for WP
    # rejected: "article" alone (on block themes it wraps the comments too)
)
# Chrome inside an article body: share buttons, related posts, the title repeated.
BODY_CHROME = (
    "script", "style", "form", ".sharedaddy", ".jp-relatedposts", ".sd-sharing", ".addtoany_share_save_container",
    ".sharing", ".social-sharing", ".share-buttons", ".post-title", ".entry-title", ".meta-bottom", ".postmetadata",
    ".dpsp-content-wrapper", "#jp-post-flair", ".wprm-recipe-snippet", ".addthis_toolbox",
)
# More chrome when the body had to be guessed (a post wrapper holding title, date and byline too).
GUESSED_BODY_CHROME = BODY_CHROME + ("h1", "h2", ".title", ".date", ".meta", ".byline", ".meta-author", ".categories")
AUTHOR_PAGE_SELECTORS = (
    ".entry-meta .author .fn",
    ".entry-meta .author a",
    ".entry-meta .author",
    ".entry-author-name",
    ".byline .author a",
    ".byline .author",
    ".entry-byline .author",
    ".entry-author .fn",
    ".author.vcard .fn",
    ".author.vcard a",
    ".author.vcard",
    ".wp-block-post-author-name",
    "a[rel=author]",
    ".meta-author",
    ".post-author",
)
DATE_PAGE_SELECTORS = (
    "time.entry-date",
    ".entry-date",
    "time.published",
    ".published",
    ".wp-block-post-date time",
    ".entry-meta time",
    ".post-date",
    "article time",
    "h2.date-header",  # the old default theme: one date heading above the posts of that day
)
# Where the comments live; nothing in here is part of the article.
COMMENT_AREAS = (
    "#comments", ".comments-area", "#respond", ".comment-respond", "ol.commentlist", "ol.comment-list",
    "ul.commentlist", "ul.comment-list", "#commentlist", ".wp-block-comments", ".wp-block-comment-template",
    "#wcThreadWrapper", ".wpdiscuz_top_clearing", ".epoch-wrapper", ".amp-wp-comments", ".comments_list",
)

# The heading that says how many comments there are ("45 Responses to …", "17 Kommentare", "( 56 )").
COUNT_SELECTORS = (
    ".wp-block-comments-title",
    ".comments-title",
    "#comments-title",
    ".comments__headline",
    ".comment-count-area",      # Epoch: "There are 13 comments"
    ".comments-number",         # wpDiscuz
    "h2#comments",
    "h3#comments",
    ".comments-header h2",
    "#comments h2",
    "#comments h3",
    ".comments-area h2",
    ".comments-area h3",
)
COUNT_WORDS = (
    r"comments?|responses?|replies|thoughts?|kommentare?|gedanken|ergänzungen|antworten|reaktionen"
    r"|commentaires?|réponses|comentarios?|respuestas|commenti|reacties"
)
COUNT_BEFORE_WORD = re.compile(rf"(?i)(?<![\d.,])(\d{{1,6}})\s*(?:{COUNT_WORDS})\b")
COUNT_AFTER_WORD = re.compile(rf"(?i)\b(?:{COUNT_WORDS})\s*\(\s*(\d{{1,6}})\s*\)")
COUNT_ALONE = re.compile(r"^\(?\s*(\d{1,6})\s*\)?$")

# --- comments -----------------------------------------------------------------------------------

# id="comment-12", "li-comment-12", "div-comment-12"; wpDiscuz: "wc-comm-12_7" (comment 12, reply to 7).
COMMENT_ID = re.compile(r"^(?:li-|div-)?comment-(\d+)$|^wc-comm-(\d+)_(\d+)$")
# A comment's own id sits on its list item, its article or its wrapping div, never on inline elements.
INLINE_TAGS = frozenset("a span i b em strong small time input img cite abbr code label textarea".split())
COMMENT_CLASSES = frozenset({"comment", "pingback", "trackback"})
PING_CLASSES = frozenset({"pingback", "trackback"})
# Lists of pingbacks that themes print apart from the comments.
PINGBACK_LISTS = (
    "ol.pinglist", "ul.pinglist", "#pings", "#pingbacks", "#trackbacks", "ol.pingbacklist", "ol.trackbacklist",
    ".pingbacks", ".trackbacks", ".pingback-list", ".trackback-list",
)
PING_TEXT = re.compile(r"(?i)^\s*(?:pingback|trackback)\s*:")
# Epoch prints replies inside <div class="epoch-child child-of-12">.
CHILD_OF = re.compile(r"^child-of-(\d+)$")

CONTENT_SELECTORS = (
    ".wp-block-comment-content",
    ".comment-content",
    ".comment__content",
    ".comment-text",            # Avada
    ".comment_content",
    ".commentcontent",
    ".epoch-comment-content",   # Epoch comments plugin
    ".wc-comment-text",         # wpDiscuz
    ".comment-entry",
    "[itemprop=text]",
)
# When a theme prints no content element, the text is this container minus its chrome.
CONTAINER_SELECTORS = (".comment-body", ".the-comment", ".comment-box", "div.comment", "article")
# Never part of what the commenter wrote.
CONTENT_CHROME = (
    "script", "style", "noscript", "form", ".reply", ".comment-reply", ".comment-reply-link",
    ".wp-block-comment-reply-link", ".comment-edit-link", ".wp-block-comment-edit-link", ".comment-awaiting-moderation",
    ".pmcc-comments-report-link", "[id^=wpdiscuz-readmore]", ".wpdiscuz-readmore", ".sharedaddy", ".comment-like",
    ".epoch-comment-actions", ".wprm-comment-rating", ".comment-number", ".comment-likes", ".comment-like-feedback",
    ".jetpack-comment-likes-widget-wrapper",
)
# Chrome around the text in themes that print no content element.
HEADER_CHROME = (
    ".comment-author", ".comment-meta", ".commentmetadata", ".comment-metadata", ".comment-header",
    ".comment__meta", ".wp-block-comment-author-name", ".wp-block-comment-date", ".wp-block-avatar",
    ".avatar", "img.avatar", ".says", ".comment_info", ".photo", ".epoch-comment-meta", ".wc-comment-header",
    ".wc-comment-footer",
)
AUTHOR_SELECTORS = (
    ".wp-block-comment-author-name",
    ".comment-author-name",     # Genesis
    ".comment__author-name",
    ".comment-author .fn",
    ".comment-author-link",
    "cite.fn",
    "b.fn",
    ".fn",
    ".epoch-author-link",
    ".epoch-comment-author",    # a bare name beside the avatar when the commenter gave no URL
    ".wc-comment-author",       # wpDiscuz
    ".comment-author strong",   # Avada, Total
    "span.author",
    ".comment-author",
    ".extra_wrap > h5",         # prospectmagazine-style custom themes
    "cite",                     # old themes: <cite>Comment by X — date</cite>
)
# Inside an author element: things that are not the name.
AUTHOR_CHROME = (
    "img", ".avatar", ".epoch-comment-author-avatar", ".says", "time", ".comment-reply-link", ".epoch-divide",
    ".epoch-comment-link", ".comment-metadata", ".post-author-label", ".screen-reader-text",
)
# The commenter's homepage link when the author element holds none.
AUTHOR_LINKS = ("a.url", ".comment-author a.url", "a.epoch-author-link")
# Custom themes without a content element: the author line, a short block holding the name and the date.
AUTHOR_LINES = ("span.author", ".extra_wrap > h5", "a.time")
OLD_STYLE_BYLINE = re.compile(
    r"^\s*(?:comment|kommentar|commentaire|comentario|commento)\s+(?:by|von|de|par|di)\s+(?P<author>.+?)"
    r"\s+[—–-]+\s+(?P<date>.+?)\s*$",
    re.I | re.S,
)
DATE_SELECTORS = (
    ".wp-block-comment-date",
    ".comment-metadata time",
    ".comment-meta time",
    "time.comment-time",
    ".comment__time",
    ".comment-metadata",
    ".commentmetadata",
    ".comment-meta",
    ".comment-date",
    ".comment_date",
    ".comment-time",
    ".epoch-comment-link",
    "a.time",
    ".wc-comment-date",
    ".comment-author.meta",     # Avada prints the date as bare text after the name
    "time",
)
DATE_CHROME = AUTHOR_SELECTORS[:-1] + (".comment-reply-link", ".avatar", "img", ".says", ".comment-edit-link")
DATE_ATTRIBUTES = ("datetime", "content", "title", "data-timestamp")
TWELVE_HOUR = re.compile(r"\b(\d{1,2}):(\d{2})\s*([ap])\.?\s?m\b\.?", re.I)
DAY_MONTH_COMMA_YEAR = re.compile(r"\b(\d{1,2})\.(\d{1,2}),\s*(\d{4})\b")


class WordPressParser(Parser):
    PLATFORM = "wordpress"
    DESCRIPTION = "WordPress posts (classic and block themes, wordpress.com, wpDiscuz, Epoch) with their comments"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        if any("wordpress" in tag.lower() for tag in GENERATOR_TAG.findall(text[:200_000])):
            return True
        return any(marker.search(text) for marker in WP_MARKERS)

    def parse(self, source: SourceFile) -> list:
        with parse_errors("wordpress", source, nested="markup"):
            return [_Page(source).thread()]


class _Page:
    """One saved WordPress page and what has been worked out about it so far."""

    def __init__(self, source: SourceFile):
        self.source = source
        self.soup: BeautifulSoup = source.soup
        self.index = _Index(self.soup)
        self._child_of_classes = any(CHILD_OF.match(name) for name in self.index.by["class"])  # Epoch replies
        # the page's <meta> tags on their own, so that each html.meta look-up does not walk the whole page
        self.metas = BeautifulSoup("".join(str(tag) for tag in self.index.candidates(("tag", "meta"))), "lxml")
        raw_url = _canonical_href(self.soup, self.metas)
        self.url = unwrap_archive_url(raw_url) if raw_url else None
        if self.url and urlsplit(self.url).scheme not in ("http", "https"):
            self.url = None
        # Wayback captures link relative to web.archive.org; join against the capture, then unwrap.
        self.base = raw_url if raw_url and urlsplit(raw_url).scheme in ("http", "https") else self.url
        lang = (self.soup.html.get("lang") if self.soup.html else "") or ""
        self.dayfirst = not lang.lower().startswith("en-us") and lang.lower() not in ("en", "")
        self.units: list[Tag] = []
        self._unit_index: dict[int, int] = {}
        self._areas: set[int] = set()
        self._ping_lists: set[int] = set()
        self._guessed_body = False
        self._owned_cache: dict[str, dict[int, list[Tag]]] = {}
        self._first_owned: dict[tuple[str, ...], dict[int, Tag]] = {}
        self._native: dict[int, str] = {}  # unit index -> the comment's number
        self._hint: dict[int, str] = {}  # unit index -> parent number named in the unit's id (wpDiscuz)
        self._roots: list[Tag] = []  # the subtrees outside the comments, where the article is looked for
        self._root_spans: list[tuple[int, int]] = []  # where each of them starts and ends in page order
        self._comment_scope: Tag | None = None  # the smallest element holding every comment

    # -- the thread

    def thread(self) -> Thread:
        self._find_units()
        areas = self.index.select(COMMENT_AREAS)
        self._areas = {id(el) for el in areas}
        self._areas.update(self._unit_index)
        self._roots = self._outside_roots(areas)
        self._root_spans = [(self.index.order[id(root)], self.index.order[id(_last_tag(root))]) for root in self._roots]
        self._comment_scope = self._common_ancestor(self.units)
        body = self._body()
        if body is None and not self.units:
            raise ParseError(
                self.source.relpath,
                "wordpress: page has WordPress markup but no post (no .entry-content or similar) and no comments",
            )
        builder = ThreadBuilder(
            self.source, WordPressParser.PLATFORM, url=self.url, title=self._title(),
            author=self._post_author(), date=self._post_date(),
        )
        if body is not None:
            body = _without(body, GUESSED_BODY_CHROME if self._guessed_body else BODY_CHROME)
        builder.add(kind="post", author=builder.thread.author, text=text_of(body), date=builder.thread.date,
                    hrefs=self._links(body), permalink=self.url)
        post_ids: dict[int, str] = {}
        for unit in self.units:
            comment, content = self._comment(unit)
            parent_unit = self._parent_unit(unit)
            post = builder.add(**comment)
            _drop_shortened_urls(post, content)
            if post.parent_id is None and parent_unit is not None and id(parent_unit) in post_ids:
                post.parent_id = post_ids[id(parent_unit)]  # a parent the page gives no number
            post_ids[id(unit)] = post.id
        thread = builder.build()
        thread.declared_comments = self._declared_count()
        if thread.declared_comments is not None:
            # WordPress counts pingbacks among its comments
            thread.not_loaded = max(0, thread.declared_comments - (len(thread.posts) - 1))
        return thread

    # -- finding the comments

    def _find_units(self) -> None:
        """Every comment element in page order: the outermost element carrying a comment's id, or its <li>."""
        numbers: dict[str, int] = {}
        self._ping_lists = {id(el) for el in self.index.select(PINGBACK_LISTS)}
        for tag in self._unit_candidates():
            if tag.name in INLINE_TAGS:
                continue
            ident = tag.get("id")
            match = COMMENT_ID.match(ident) if ident else None
            if match:
                number = match.group(1) or match.group(2)
                if number in numbers:
                    continue
                unit = self._unit_for(tag)
                index = self._unit_index.get(id(unit))
                if index is None:
                    index = self._register(unit)
                numbers[number] = index
                self._native.setdefault(index, number)
                if match.group(3) and match.group(3) != "0":
                    self._hint.setdefault(index, match.group(3))
            elif tag.name == "li" and id(tag) not in self._unit_index and self._is_comment_item(tag):
                self._register(tag)

    def _unit_candidates(self) -> list[Tag]:
        """The tags that may stand for a comment, in page order: those with a comment's id, and every <li>."""
        found = {id(tag): tag for ident, tags in self.index.by["id"].items() if COMMENT_ID.match(ident) for tag in tags}
        found.update((id(tag), tag) for tag in self.index.candidates(("tag", "li")))
        return sorted(found.values(), key=lambda tag: self.index.order[id(tag)])

    def _register(self, unit: Tag) -> int:
        self._unit_index[id(unit)] = len(self.units)
        self.units.append(unit)
        return len(self.units) - 1

    def _unit_for(self, tag: Tag) -> Tag:
        """The element that stands for the comment: a wrapping <li> (id-less, or with the same number) if close."""
        if tag.name == "li":
            return tag
        node = tag
        for _ in range(2):
            node = node.parent
            if not isinstance(node, Tag) or node.name in ("ol", "ul", "body", "html"):
                break
            if node.name == "li":
                registered = self._unit_index.get(id(node))
                if registered is not None and registered in self._native:
                    return tag  # that <li> is already another comment
                return node
        return tag

    def _is_comment_item(self, tag: Tag) -> bool:
        """An <li> printed by comment_class() ("comment even depth-1"), or an item of a separate pingback list."""
        classes = set(tag.get("class") or [])
        if classes & COMMENT_CLASSES and any(c.startswith("depth-") for c in classes):
            return True
        return tag.parent is not None and tag.parent.name in ("ol", "ul") and self._in_ping_list(tag)

    def _in_ping_list(self, tag: Tag) -> bool:
        return bool(self._ping_lists) and any(id(ancestor) in self._ping_lists for ancestor in tag.parents)

    def _parent_unit(self, unit: Tag) -> Tag | None:
        for ancestor in unit.parents:
            if id(ancestor) in self._unit_index:
                return ancestor
            if ancestor.name in ("body", "html"):
                break
        return None

    def _own(self, unit: Tag, selectors: tuple[str, ...]) -> Tag | None:
        """The first element matching the selectors that belongs to this comment, not to a reply nested in it."""
        first = self._first_owned.get(selectors)
        if first is None:
            first = self._first_owned[selectors] = {}
            for selector in selectors:  # in priority order, until every comment has its element
                if len(first) == len(self.units):
                    break
                for owner_id, found in self._owned(selector).items():
                    first.setdefault(owner_id, found[0])
        return first.get(id(unit))

    def _owned(self, selector: str) -> dict[int, list[Tag]]:
        """Every match of a selector grouped by the comment it belongs to: worked out once per page, not per comment."""
        owned = self._owned_cache.get(selector)
        if owned is None:
            owned = {}
            for found in self.index.matching(selector):
                owner = self._owner(found)
                if owner is not None and self.index.visible(found, self._comment_scope):
                    owned.setdefault(id(owner), []).append(found)
            self._owned_cache[selector] = owned
        return owned

    def _owner(self, element: Tag) -> Tag | None:
        node = element.parent
        while node is not None:
            if id(node) in self._unit_index:
                return node
            node = node.parent
        return None

    # -- one comment

    def _comment(self, unit: Tag) -> tuple[dict, Tag]:
        """ThreadBuilder.add's arguments for one comment, and the element its text and links came from."""
        index = self._unit_index[id(unit)]
        native = self._native.get(index)
        author, author_url, byline_date = self._author(unit)
        content = self._own(unit, CONTENT_SELECTORS)
        if content is not None:
            content = _without(content, CONTENT_CHROME)
        else:
            content = self._bare_content(unit)
        date = byline_date or self._date(unit)
        text = text_of(content)
        kind = "pingback" if self._is_ping(unit, text) else "comment"
        if kind == "pingback" and not author:
            anchor = next(_anchors(content), None) if content is not None else None
            if anchor is not None:
                author = anchor.get_text(" ", strip=True)
                author_url = self._absolute(anchor["href"])
        links = self._links(content)
        if kind == "pingback":  # the linking post is the pingback's author, not a link in its text
            links = [u for u in links if _bare(u) != _bare(author_url)]
        parent = self._parent_native(unit, index)
        fields = {
            "kind": kind,
            "author": author,
            "author_url": author_url,
            "text": text,
            "date": date,
            "native_id": native,
            "parent": parent,
            "hrefs": links,
            "permalink": self._permalink(unit, native),
        }
        return fields, content

    def _parent_native(self, unit: Tag, index: int) -> str | None:
        parent = self._parent_unit(unit)
        if parent is not None:
            return self._native.get(self._unit_index[id(parent)])
        if index in self._hint:
            return self._hint[index]
        if not self._child_of_classes:
            return None
        for ancestor in unit.parents:
            for cls in ancestor.get("class") or []:
                match = CHILD_OF.match(cls)
                if match:
                    return match.group(1)
        return None

    def _is_ping(self, unit: Tag, text: str) -> bool:
        if set(unit.get("class") or []) & PING_CLASSES:
            return True
        if self._in_ping_list(unit):
            return True
        return bool(PING_TEXT.match(text))

    def _author(self, unit: Tag) -> tuple[str | None, str | None, str | None]:
        """(name as shown, homepage link, date from an old-style byline)."""
        element = self._own(unit, AUTHOR_SELECTORS)
        if element is None:
            return None, None, None
        if element.name == "cite" and "fn" not in (element.get("class") or []):
            match = OLD_STYLE_BYLINE.match(element.get_text(" ", strip=True))
            if match is None:
                return None, None, None
            anchor = next(_anchors(element), None)
            name = anchor.get_text(" ", strip=True) if anchor is not None and "#comment" not in anchor["href"] \
                else match.group("author")
            url = self._homepage(anchor)
            return clean_text(name) or None, url, _date_text(match.group("date"), self.dayfirst)
        name = text_of(_without(element, AUTHOR_CHROME))
        anchor = element if element.name == "a" and element.get("href") else next(_anchors(element), None)
        if anchor is None:
            anchor = self._own(unit, AUTHOR_LINKS)
        return clean_text(name) or None, self._homepage(anchor), None

    def _homepage(self, anchor: Tag | None) -> str | None:
        if anchor is None:
            return None
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:")) or "#comment-" in href:
            return None
        url = self._absolute(href)
        return url if url and urlsplit(url).scheme in ("http", "https") else None

    def _date(self, unit: Tag) -> str | None:
        element = self._own(unit, DATE_SELECTORS)
        if element is None:
            return None
        return _date_of(_without(element, DATE_CHROME), self.dayfirst)

    def _bare_content(self, unit: Tag) -> Tag:
        """A theme without a content element: the comment's own markup minus author line, date and buttons."""
        container = self._own(unit, CONTAINER_SELECTORS) or unit
        native = self._native.get(self._unit_index[id(unit)])

        def nested(tag: Tag) -> bool:
            return _is_nested_comment(tag, native)

        # the copy leaves out the replies nested in the comment and the chrome around its text
        chrome = _selectors(CONTENT_CHROME + HEADER_CHROME)
        dropped = {id(tag) for tag in _descendant_tags(container, skip=nested) if chrome.matches(tag, container)}
        clone = _copy_without(container, lambda tag: nested(tag) or id(tag) in dropped)
        # old themes: the byline is a paragraph of its own, <p><cite>Comment by …</cite></p>
        for cite in list(_tags(clone, "cite")):
            if OLD_STYLE_BYLINE.match(cite.get_text(" ", strip=True)):
                holder = cite.parent if cite.parent is not clone and cite.parent.name == "p" else cite
                holder.decompose()
        # custom themes: the author line is a short block holding the name and the date
        for selector in AUTHOR_LINES:
            for element in [tag for tag in _descendant_tags(clone) if _selector(selector).matches(tag, clone)]:
                if element.decomposed:
                    continue
                holder = element.parent if element.parent is not clone and element.parent.name == "p" else element
                holder.decompose()
        return clone

    def _permalink(self, unit: Tag, native: str | None) -> str | None:
        if not native:
            return None
        fragment = f"#comment-{native}"
        for anchor in self._owned("a[href]").get(id(unit), []):
            if anchor["href"].endswith(fragment):
                return self._absolute(anchor["href"])
        return f"{self.url.split('#', 1)[0]}{fragment}" if self.url else None

    def _links(self, element: Tag | None) -> list[str]:
        if element is None:
            return []
        page = _bare(self.url)
        result = []
        for href in links_of(element, self.base, page_url=self.base):
            url = unwrap_archive_url(href)
            if page and _bare(url) == page or "/cdn-cgi/l/email-protection" in url:
                continue  # the page itself, or an e-mail address Cloudflare has scrambled
            result.append(url)
        return result

    def _absolute(self, href: str) -> str | None:
        href = href.strip()
        url = urljoin(self.base, href) if self.base else href
        return unwrap_archive_url(url) if urlsplit(url).scheme in ("http", "https") else None

    def _declared_count(self) -> int | None:
        """The number of comments the page says it has, from its comments heading."""
        for selector in COUNT_SELECTORS:
            for found in self.index.select((selector,))[:3]:
                if self._owner(found) is not None or id(found) in self._unit_index:
                    continue
                count = _count_in(found.get_text(" ", strip=True))
                if count is not None:
                    return count
        return None

    # -- the article

    def _outside_roots(self, areas: list[Tag]) -> list[Tag]:
        """The largest subtrees holding no comments, in page order: where the article's own markup is looked for."""
        holders: set[int] = set()
        for area in areas + self.units:
            holders.update(id(ancestor) for ancestor in area.parents)
        roots: list[Tag] = []
        stack = [iter(self.soup.children)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif isinstance(child, Tag) and id(child) not in self._areas:
                if id(child) in holders:
                    stack.append(iter(child.children))
                else:
                    roots.append(child)
        return roots

    def _common_ancestor(self, units: list[Tag]) -> Tag | None:
        """The smallest element holding every comment: the comment search looks only in there."""
        if not units:
            return None
        chain = [units[0], *units[0].parents]
        index = {id(node): n for n, node in enumerate(chain)}
        highest = 0
        for unit in units[1:]:
            node = unit
            while node is not None and id(node) not in index:
                node = node.parent
            highest = max(highest, index[id(node)] if node is not None else len(chain) - 1)
        # a selector matches inside the scope, never the scope itself, so start one level above the unit
        return chain[max(highest, 1)] if len(chain) > 1 else units[0]

    def _outside(self, selector: str):
        """Elements matching the selector outside the comments, in page order."""
        compiled, seen = _selector(selector), {}
        candidates = self.index.candidates(compiled.key)
        order = self.index.order
        for root, (start, end) in zip(self._roots, self._root_spans, strict=True):
            # the candidates inside this subtree: a run of the page-ordered list
            at = bisect_left(candidates, start, key=lambda element: order[id(element)])
            while at < len(candidates) and order[id(candidates[at])] <= end:
                found = candidates[at]
                at += 1
                if (found is root or self.index.visible(found, root)) and compiled.matches(found, seen=seen):
                    yield found

    def _outside_comments(self, element: Tag) -> bool:
        node = element
        while node is not None:
            if id(node) in self._areas:
                return False
            node = node.parent
        return True

    def _first_outside(self, selectors) -> Tag | None:
        for selector in selectors:
            for found in self._outside(selector):
                if found.name not in ("link", "meta"):
                    return found
        return None

    def _body(self) -> Tag | None:
        for selector in BODY_SELECTORS:
            for found in self._outside(selector):
                if text_of(found):
                    return found
        self._guessed_body = True
        return self._densest_block()

    def _densest_block(self) -> Tag | None:
        """The element holding the most paragraphs outside the comments (a theme with no known body class)."""
        best, most = None, 2
        for element in self.index.everything:
            if element.name not in ("div", "article", "section", "main", "td"):
                continue
            count = sum(1 for child in element.contents if isinstance(child, Tag) and child.name == "p")
            if count > most and self._outside_comments(element):
                best, most = element, count
        return best

    def _title(self) -> str | None:
        found = self._first_outside(TITLE_SELECTORS)
        if found is not None and found.get_text(strip=True):
            return clean_text(found.get_text(" "))
        declared = _meta(self.metas, "og:title", "twitter:title") or (self.soup.title and self.soup.title.string)
        declared = clean_text(declared)
        weak = self._first_outside(WEAK_TITLE_SELECTORS)
        weak = clean_text(weak.get_text(" ")) if weak is not None else ""
        # an old theme's post heading, when the <title> around it names the site too
        if weak and declared and weak in declared:
            return weak
        return self._strip_site_name(declared) if declared else weak or None

    def _strip_site_name(self, title: str) -> str:
        """"Post title | Site name" → "Post title", when the page says what the site is called."""
        separators = list(TITLE_SEPARATORS.finditer(title))
        if not separators:
            return title
        names = {_squash(n) for n in self._site_names()} - {""}
        last, first = separators[-1], separators[0]
        if _squash(title[last.end():]) in names and title[: last.start()].strip():
            return title[: last.start()].strip()
        if _squash(title[: first.start()]) in names and title[first.end():].strip():
            return title[first.end():].strip()
        return title

    def _site_names(self) -> list[str]:
        names = [_meta(self.metas, "og:site_name", "application-name")]
        for selector in SITE_NAME_SELECTORS:
            element = self._first_outside((selector,))
            if element is not None:
                names.append(clean_text(element.get_text(" ")))
        if self.url:
            host = (urlsplit(self.url).hostname or "").removeprefix("www.")
            names += [host, host.split(".")[0]]  # "prospectmagazine.co.uk" names "Prospect Magazine"
        return [n for n in names if n]

    def _post_author(self) -> str | None:
        for selector in AUTHOR_PAGE_SELECTORS:
            for found in self._outside(selector):
                if found.name in ("link", "meta"):
                    continue
                name = clean_text(text_of(_without(found, AUTHOR_CHROME)))
                name = re.sub(r"(?i)^(?:by|von|posted by)\s+", "", name)
                if name and len(name) <= 80:
                    return name
        value = _meta(self.metas, "author", "article:author")
        if value and not value.startswith(("http://", "https://")):
            return value
        return None

    def _post_date(self) -> str | None:
        value = _meta(self.metas, "article:published_time", "datePublished", "date", "DC.date.issued")
        found = iso_date(value) if value else None
        if found:
            return found
        element = self._first_outside(DATE_PAGE_SELECTORS)
        return _date_of(element, self.dayfirst) if element is not None else None


# --- matching selectors ----------------------------------------------------------------------------
#
# The selectors above use a small part of CSS: a tag name, .class, #id, [attr], [attr=value] and
# [attr^=value] (values bare or quoted), joined by descendant (" ") and child (">") combinators.
# They are matched here the way soupsieve matches them (so results are the same) but only against
# elements that could match: the page's elements are indexed by tag, class, id and attribute name
# in one walk, and a selector looks only at those listed under one key of its last part (its id,
# else a class, its tag or an attribute name).
# A selector outside this subset fails at import (see the end of the module), never silently.

SELECTOR_COMPOUND = re.compile(
    r"(?P<tag>[a-zA-Z][\w-]*|\*)?(?P<rest>(?:[.#][\w-]+|\[[\w-]+(?:\^?=(?:[\w-]+|\"[^\"]*\"|'[^']*'))?\])*)"
)
SELECTOR_PART = re.compile(r"([.#])([\w-]+)|\[([\w-]+)(?:(\^?=)(?:([\w-]+)|\"([^\"]*)\"|'([^']*)'))?\]")
SELECTOR_COMBINATOR = re.compile(r"\s*(>)\s*|\s+")
# Attributes whose values HTML compares ignoring ASCII case, as soupsieve does ([rel=Bookmark] is [rel=bookmark]).
CASE_INSENSITIVE_ATTRIBUTES = frozenset(
    "accept accept-charset align alink axis bgcolor charset checked clear codetype color compact declare defer dir "
    "direction disabled enctype face frame hreflang http-equiv lang language link media method multiple nohref "
    "noresize noshade nowrap readonly rel rev rules scope scrolling selected shape target text type valign valuetype "
    "vlink".split()
)
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
NOT_SPACE = re.compile(r"[^ \t\r\n\f]+")


class _Selector:
    """One selector of the subset above, e.g. ".comment-author .fn" or ".extra_wrap > h5"."""

    def __init__(self, text: str):
        self.text = text
        self.compounds: list[tuple] = []  # left to right: (tag, ids, classes, attributes)
        self.combinators: list[str] = []  # between them: " " or ">"
        position, text = 0, text.strip()
        while True:
            match = SELECTOR_COMPOUND.match(text, position)
            if not match.group(0):
                raise ValueError(f"wordpress: selector {self.text!r} uses CSS the parser's matcher does not read")
            self.compounds.append(_compound(match.group("tag"), match.group("rest")))
            position = match.end()
            if position == len(text):
                break
            combinator = SELECTOR_COMBINATOR.match(text, position)
            if combinator is None:
                raise ValueError(f"wordpress: selector {self.text!r} uses CSS the parser's matcher does not read")
            self.combinators.append(combinator.group(1) or " ")
            position = combinator.end()
        # the index key every match must carry: its last part's id, else a class, tag or attribute name
        tag, ids, classes, attributes = self.compounds[-1]
        self.key = (
            ("id", ids[0]) if ids else ("class", classes[0]) if classes else ("tag", tag) if tag
            else ("attr", attributes[0][0]) if attributes else None
        )

    def matches(self, element: Tag, root: Tag | None = None, seen: dict | None = None) -> bool:
        """Does the element match? With a root, only the root and what is inside it count as ancestors
        (as when the root is a copy standing on its own). ``seen`` remembers, across the elements of one
        pass over an unchanging tree, which ancestors were already looked at."""
        return self._matches(element, len(self.compounds) - 1, root, seen)

    def _matches(self, element: Tag, last: int, root: Tag | None, seen: dict | None) -> bool:
        """Does the element match the selector's parts up to ``last``?"""
        if not _compound_matches(element, self.compounds[last]):
            return False
        if last == 0:
            return True
        parent = _parent(element, root)
        if self.combinators[last - 1] == ">":
            return parent is not None and self._matches(parent, last - 1, root, seen)
        return self._at_or_above(parent, last - 1, root, seen)

    def _at_or_above(self, node: Tag | None, last: int, root: Tag | None, seen: dict | None) -> bool:
        """Does the node or one of its ancestors match the selector's parts up to ``last``?"""
        passed, found = [], False
        while node is not None:
            known = seen.get((id(node), last)) if seen is not None else None
            if known is not None:
                found = known
                break
            if self._matches(node, last, root, seen):
                found = True
                break
            passed.append(id(node))
            node = _parent(node, root)
        if seen is not None:
            seen.update(((key, last), found) for key in passed)
        return found


def _compound(tag: str | None, rest: str) -> tuple:
    ids, classes, attributes = [], [], []
    for prefix, name, attribute, operator, *values in SELECTOR_PART.findall(rest):
        if prefix == "#":
            ids.append(name)
        elif prefix == ".":
            classes.append(name)
        else:
            attribute = attribute.lower()
            value = next((v for v in values if v), "")
            folded = attribute in CASE_INSENSITIVE_ATTRIBUTES
            attributes.append((attribute, operator or None, _ascii_lower(value) if folded else value, folded))
    tag = tag.lower() if tag and tag != "*" else None
    return tag, tuple(ids), tuple(classes), tuple(attributes)


def _compound_matches(element: Tag, compound: tuple) -> bool:
    tag, ids, classes, attributes = compound
    if tag is not None and element.name.lower() != tag:
        return False
    attrs = element.attrs
    if ids and any((attrs.get("id") or "") != ident for ident in ids):
        return False
    if classes:
        present = _classes(element)
        if any(name not in present for name in classes):
            return False
    for name, operator, expected, folded in attributes:
        if name not in attrs:
            return False
        if operator is None:
            continue
        value = attrs[name]
        value = "" if value is None else value if isinstance(value, str) else " ".join(value)
        if folded:
            value = _ascii_lower(value)
        if operator == "=" and value != expected or operator == "^=" and not (expected and value.startswith(expected)):
            return False
    return True


def _parent(element: Tag, root: Tag | None) -> Tag | None:
    """The parent a selector may look at: never above the root, nor the document, nor a <template> (what it holds
    stands apart from the page)."""
    if element is root:
        return None
    parent = element.parent
    if parent is None or isinstance(parent, BeautifulSoup) or parent.name == "template":
        return None
    return parent


def _classes(element: Tag):
    classes = element.attrs.get("class")
    if classes is None:
        return ()
    return NOT_SPACE.findall(classes) if isinstance(classes, str) else classes


def _ascii_lower(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(ASCII_LOWER)


@cache
def _selector(text: str) -> _Selector:
    return _Selector(text)


@cache
def _selectors(texts: tuple[str, ...]) -> _Selectors:
    return _Selectors(texts)


class _Selectors:
    """Several selectors matched as one, like "a, b, c": an element is checked only against those that could
    match it."""

    def __init__(self, texts: tuple[str, ...]):
        self.anywhere: list[_Selector] = []  # selectors whose last part has no tag, class, id or attribute
        self.by: dict[str, dict[str, list[_Selector]]] = {"tag": {}, "class": {}, "id": {}, "attr": {}}
        for text in texts:
            selector = _selector(text)
            if selector.key is None:
                self.anywhere.append(selector)
            else:
                kind, value = selector.key
                self.by[kind].setdefault(value, []).append(selector)

    def matches(self, element: Tag, root: Tag | None = None) -> bool:
        """Does any of the selectors match the element?"""
        return any(selector.matches(element, root) for selector in self._could_match(element))

    def _could_match(self, element: Tag) -> list[_Selector]:
        by_tag, by_class, by_id, by_attr = self.by["tag"], self.by["class"], self.by["id"], self.by["attr"]
        found = self.anywhere + by_tag.get(element.name, [])
        if by_class:
            for name in _classes(element):
                found += by_class.get(name, ())
        ident = element.attrs.get("id")
        if by_id and isinstance(ident, str):
            found += by_id.get(ident, ())
        if by_attr:
            for name in element.attrs:
                found += by_attr.get(name, ())
        return found


class _Index:
    """Every element of the page under its tag, classes and id (and attribute names when first asked for),
    in page order, built in one walk."""

    def __init__(self, soup: BeautifulSoup):
        self.everything: list[Tag] = [node for node in soup.descendants if isinstance(node, Tag)]
        self.order: dict[int, int] = {}
        by_tag, by_class, by_id = defaultdict(list), defaultdict(list), defaultdict(list)
        for position, element in enumerate(self.everything):
            self.order[id(element)] = position
            by_tag[element.name].append(element)
            attrs = element.attrs
            if "class" in attrs:
                classes = _classes(element)
                for name in dict.fromkeys(classes) if len(classes) > 1 else classes:
                    by_class[name].append(element)
            if "id" in attrs and isinstance(attrs["id"], str):
                by_id[attrs["id"]].append(element)
        self.by: dict[str, dict[str, list[Tag]]] = {"tag": by_tag, "class": by_class, "id": by_id, "attr": {}}
        # the nearest <template> around an element, for the few that have one (selectors do not look inside)
        self.template_of: dict[int, Tag] = {}
        for template in by_tag.get("template", ()):
            for node in template.descendants:
                self.template_of[id(node)] = template

    def candidates(self, key: tuple[str, str] | None) -> list[Tag]:
        """The elements indexed under the key, e.g. ("class", "fn") (None: all of them), in page order."""
        if key is None:
            return self.everything
        kind, value = key
        if kind == "attr" and value not in self.by["attr"]:
            self.by["attr"][value] = [element for element in self.everything if value in element.attrs]
        return self.by[kind].get(value, [])

    def matching(self, selector: str) -> Iterator[Tag]:
        """Every element the selector matches, in page order (including those a <template> hides)."""
        compiled, seen = _selector(selector), {}
        return (element for element in self.candidates(compiled.key) if compiled.matches(element, seen=seen))

    def select(self, selectors) -> list[Tag]:
        """What soup.select(", ".join(selectors)) gives: the matches of any of them, in page order."""
        found = {id(el): el for selector in selectors for el in self.matching(selector) if self.visible(el, None)}
        return sorted(found.values(), key=lambda el: self.order[id(el)])

    def visible(self, element: Tag, root: Tag | None) -> bool:
        """Does a search inside the root (None: the whole page) see the element? Not when a <template> inside
        the root holds it."""
        template = self.template_of.get(id(element))
        if template is None:
            return True
        node = root
        while node is not None and node is not template:
            node = node.parent
        return node is not None


def _descendant_tags(element: Tag, skip: Callable[[Tag], bool] | None = None) -> Iterator[Tag]:
    """The tags inside the element in page order, as a selector search sees them: not the content of a
    <template> inside it, and neither a tag for which skip(tag) holds nor anything inside one."""
    stack = [iter(element.contents)]
    while stack:
        for child in stack[-1]:
            if isinstance(child, Tag) and not (skip and skip(child)):
                yield child
                if child.name != "template":
                    stack.append(iter(child.contents))
                    break
        else:
            stack.pop()


def _copy_without(element: Tag, leave_out: Callable[[Tag], bool]) -> Tag:
    """copy.copy(element) without the tags inside it for which leave_out(tag) holds (and what those hold)."""
    clone = element.copy_self()
    stack = [(clone, iter(element.contents))]
    while stack:
        parent, children = stack[-1]
        for child in children:
            if not isinstance(child, Tag):
                parent.append(copy.copy(child))
            elif not leave_out(child):
                child_clone = child.copy_self()
                parent.append(child_clone)
                stack.append((child_clone, iter(child.contents)))
                break
        else:
            stack.pop()
    return clone


def _last_tag(element: Tag) -> Tag:
    """The last tag inside the element in page order (the element itself if it holds none)."""
    while True:
        last = next((child for child in reversed(element.contents) if isinstance(child, Tag)), None)
        if last is None:
            return element
        element = last


def _tags(element: Tag, name: str) -> Iterator[Tag]:
    """element.find_all(name), without the cost of bs4's general search."""
    return (node for node in element.descendants if isinstance(node, Tag) and node.name == name)


def _anchors(element: Tag) -> Iterator[Tag]:
    """element.find_all("a", href=True), likewise."""
    return (anchor for anchor in _tags(element, "a") if anchor.get("href") is not None)


# --- helpers --------------------------------------------------------------------------------------


def _canonical_href(soup: BeautifulSoup, metas: BeautifulSoup) -> str | None:
    link = (soup.head or soup).find("link", rel="canonical", href=True)
    if link is None and soup.head is not None:
        link = soup.find("link", rel="canonical", href=True)
    href = link["href"].strip() if link is not None else None
    return href or _meta(metas, "og:url", "twitter:url")


def _meta(soup: BeautifulSoup, *keys: str) -> str | None:
    """html.meta, plus themes that write <meta name="og:title" value="…">."""
    found = meta(soup, *keys)
    if found:
        return found
    for key in keys:
        for attr in ("property", "name"):
            tag = soup.find("meta", attrs={attr: key})
            if tag is not None and (tag.get("value") or "").strip():
                return tag["value"].strip()
    return None


def _without(element: Tag, selectors) -> Tag:
    """The element with everything matching the selectors removed: a copy, or the element itself if nothing matches."""
    chrome = _selectors(tuple(selectors))
    dropped = {id(tag) for tag in _descendant_tags(element) if chrome.matches(tag, element)}
    return _copy_without(element, lambda tag: id(tag) in dropped) if dropped else element


def _is_nested_comment(tag: Tag, native: str | None) -> bool:
    """Is this a reply inside a comment (or the list of them), as opposed to the comment's own markup?"""
    classes = tag.get("class") or []
    if tag.name in ("ul", "ol") and "children" in classes:
        return True
    if tag.name in INLINE_TAGS:
        return False
    if any(CHILD_OF.match(c) for c in classes):
        return True
    if tag.name == "li" and set(classes) & COMMENT_CLASSES:
        return True
    match = COMMENT_ID.match(tag.get("id") or "")
    return bool(match) and (match.group(1) or match.group(2)) != native


def _date_of(element: Tag | None, dayfirst: bool) -> str | None:
    """An ISO date from an element: a machine-readable attribute first, then its visible text."""
    if element is None:
        return None
    candidates = ([element] if element.name == "time" else []) + list(_tags(element, "time")) + [element]
    for node in candidates:
        for attr in DATE_ATTRIBUTES:
            value = node.get(attr)
            if value:
                found = iso_date(value, dayfirst=dayfirst)
                if found:
                    return found
    return _date_text(element.get_text(" ", strip=True), dayfirst)


def _date_text(text: str, dayfirst: bool) -> str | None:
    # "12:20 AM" by hand: indexer.dates drops "am" as the German word for "on", so midnight became noon.
    text = TWELVE_HOUR.sub(_to_24_hours, text)
    # "17.07, 2011 @ 13:04" (an old theme's date format)
    text = DAY_MONTH_COMMA_YEAR.sub(r"\1.\2.\3", text).replace("@", " ")
    return iso_date(text, dayfirst=dayfirst)


def _to_24_hours(match: re.Match) -> str:
    hour, minute, half = int(match.group(1)), match.group(2), match.group(3).lower()
    if hour > 12:
        return match.group(0)
    hour = hour % 12 + (12 if half == "p" else 0)
    return f"{hour:02d}:{minute}"


def _count_in(text: str) -> int | None:
    """45 from "45 Responses to …", "Kommentare (45)", "( 45 )" or "45"; None from "Leave a Reply"."""
    text = clean_text(text)
    match = COUNT_BEFORE_WORD.search(text) or COUNT_AFTER_WORD.search(text) or COUNT_ALONE.match(text)
    return int(match.group(1)) if match else None


def _squash(name: str | None) -> str:
    """A name compared loosely: "Prospect Magazine" and "prospectmagazine" are the same."""
    return re.sub(r"\W+", "", name or "").casefold()


def _drop_shortened_urls(post, content: Tag | None) -> None:
    """Forget "http://example.com/pa.....ge.html": a link's visible text that WordPress shortened.

    The builder also collects URLs written in the text, and a long link's text is often its URL cut
    short with dots; that is not a link anyone wrote (the href beside it is already counted).
    """
    if content is None:
        return
    shortened = {
        url
        for anchor in _anchors(content)
        for url in urls_in_text(anchor.get_text(" ", strip=True))
        if "..." in url or "…" in url
    }
    if shortened:
        dropped, _ = collect_links(shortened)
        post.links, post.domains = collect_links([u for u in post.links if u not in dropped])


def _bare(url: str | None) -> str | None:
    return url.split("#", 1)[0].rstrip("/") if url else None


# Every selector table is compiled here, so that one the matcher cannot read fails at import.
for _table in (
    TITLE_SELECTORS, WEAK_TITLE_SELECTORS, SITE_NAME_SELECTORS, BODY_SELECTORS, GUESSED_BODY_CHROME,
    AUTHOR_PAGE_SELECTORS, DATE_PAGE_SELECTORS, COMMENT_AREAS, COUNT_SELECTORS, PINGBACK_LISTS, CONTENT_SELECTORS,
    CONTAINER_SELECTORS, CONTENT_CHROME + HEADER_CHROME, AUTHOR_SELECTORS, AUTHOR_CHROME, AUTHOR_LINES,
    AUTHOR_LINKS, DATE_SELECTORS, DATE_CHROME, ("a[href]",),
):
    _selectors(_table)

__all__ = ["WordPressParser"]
