"""The fallback for HTML pages no platform parser claimed: schema.org, JSON-LD, h-entry or common CMS comment markup."""

from __future__ import annotations

import copy
import json
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

from indexer.dates import iso_date
from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.html import links_of, text_of, unwrap_archive_url
from indexer.records import Post, Thread

# The ways a page marks up its discussion, in priority order. The first that finds a comment
# wins; when none does, the first that finds a post gives a thread of that post alone.
STRATEGIES = ("microdata", "json_ld", "h_entry", "comment_markup")

# --- 1. schema.org microdata (itemscope/itemtype/itemprop) and JSON-LD
COMMENT_TYPES = ("Comment", "UserComments", "DiscussionForumPosting", "SocialMediaPosting", "Answer")
# The first of these not nested in another is the thread's root (a forum's opening post).
ROOT_POSTING_TYPES = ("DiscussionForumPosting", "SocialMediaPosting", "Question")
# An item of these types holding comments (itemprop="comment") is the thread's root.
ARTICLE_TYPES = ("Article", "BlogPosting", "NewsArticle", "TechArticle", "Report", "ScholarlyArticle",
                 "Question", "DiscussionForumPosting", "SocialMediaPosting", "Posting")
MD_AUTHOR = ("author", "creator")
MD_DATE = ("dateCreated", "datePublished", "commentTime", "uploadDate")
MD_TEXT = ("text", "articleBody", "commentText", "reviewBody")
MD_TITLE = ("headline", "name")
JSON_LD_REPLY_KEYS = ("comment", "acceptedAnswer", "suggestedAnswer")

# --- 2. microformats2: an h-entry with h-cite (or h-entry) comments inside it
MF_ENTRY = "h-entry"
MF_COMMENT_CLASSES = ("h-cite", "h-entry")

# --- 3. comment markup many CMSs share (WordPress, Drupal 7/8, home-grown blogs)
# Elements that may hold one whole comment. Several may match one comment (an li#comment-5
# and the div.comment inside it); only the outermost is kept unless the inner one is a reply.
COMMENT_CONTAINER_SELECTORS = (
    "[id^='comment-']",  # li#comment-12, article#comment-214106; checked against COMMENT_ID below
    "article.comment",
    ".comment",
    ".js-comment",
    "[typeof~='schema:Comment']",
    "[typeof~='sioct:Comment']",
    ".comment-item",
    # rejected: ".comment-body" (WordPress's inner div, inside li.comment) and ".comments" (the list)
)
COMMENT_ID = re.compile(r"^comment-\d+$")
NATIVE_ID = re.compile(r"(?i)(?:^|[-_/#])comments?[-_/]?(\d+)$")
# Tags that never hold a whole comment, whatever their class ("12 comments" links, icons).
NOT_CONTAINERS = frozenset(
    "a abbr b button cite code em i img input label link meta noscript option script select small "
    "span strong style svg textarea time html body head form".split()
)
# Wrappers of replies. A candidate inside another one with a wrapper between them is a reply;
# Drupal puts div.indented right after the comment it answers, not inside it.
NESTED_REPLY_CLASSES = frozenset(
    "children indented replies comment-replies comment-children child-comments sub-comments subcomments "
    "comments comment-list commentlist".split()
)
SIBLING_REPLY_CLASSES = frozenset("indented replies children comment-replies comment-children".split())
COMMENT_BODY_SELECTORS = (
    "[itemprop~='text']",
    "[itemprop~='commentText']",
    "[property~='schema:text']",
    "[property~='content:encoded']",
    ".e-content",
    ".field--name-comment-body",
    ".field-name-comment-body",
    ".field-comment-body",
    ".comment-content",
    ".comment-body",
    ".comment-text",
    ".comment_text",
    ".comment__content",
    ".comment__body",
    ".commentbody",
)
COMMENT_AUTHOR_SELECTORS = (
    "[itemprop~='author'] [itemprop~='name']",
    "[itemprop~='author']",
    ".p-author .p-name",
    ".p-author",
    ".comment-author .fn",
    ".comment-author-name",
    ".comment-author",
    ".comment__author",
    ".fn",
    ".username",
    ".author-name",
    ".author",
    "cite",
)
COMMENT_DATE_SELECTORS = (
    "[itemprop~='dateCreated']",
    "[itemprop~='datePublished']",
    "[itemprop~='commentTime']",
    "[property~='schema:dateCreated']",
    "[property~='dc:date']",
    "[property~='dc:created']",
    ".dt-published",
    "time",
    ".comment-date",
    ".comment-time",
    ".comment-meta",
    ".comment-metadata",
    ".commentmetadata",
    ".metadata",
    ".submitted",
    ".meta",
    ".date",
    ".timestamp",
)
COMMENT_PERMALINK_SELECTORS = ("a.permalink[href]", "a[rel~='bookmark'][href]", "a.u-url[href]", "a[href*='#comment-']")
IN_REPLY_TO_SELECTORS = ("[rel~='in-reply-to'][href]", "a.u-in-reply-to[href]", ".in-reply-to a[href]")
# The parts of a comment found by the selectors above, in the order they are looked for.
COMMENT_PARTS = {
    "author": COMMENT_AUTHOR_SELECTORS,
    "date": COMMENT_DATE_SELECTORS,
    "body": COMMENT_BODY_SELECTORS,
    "permalink": COMMENT_PERMALINK_SELECTORS,
    "in_reply_to": IN_REPLY_TO_SELECTORS,
}
# Lines like "geschrieben von X am 21. Jan. 2015, 19:04", "X | Di, 21. April 2020 - 16:40",
# "Comment by X — 5 May 2011", "X says:"; the author and the date are split apart.
BYLINES = (
    re.compile(r"(?i)^(?:(?:comment|kommentar|geschrieben|eingereicht|verfasst|written|posted|submitted|publié|scritto|escrito)\s+)?"
               r"(?:by|von|par|di|por)[:\s]\s*(?P<author>.+?)\s*"
               r"(?:\s(?:am|on|le|il|el|um|at)\s|[—–|•·,]|\s-\s)\s*(?P<date>.*\d.*)$"),
    re.compile(r"^(?P<author>[^|•·—–]+?)\s*(?:[|•·—–]|\s-\s)\s*(?P<date>.*\d.*)$"),
    re.compile(r"(?i)^(?P<author>.+?)\s+(?:says|sagt|schrieb|wrote|meint|écrit|dice)\s*:?\s*(?P<date>.*)$"),
    re.compile(r"(?i)^(?:by|von|par)[:\s]\s*(?P<author>.+)$"),
)
MAX_AUTHOR_CHARS = 80
MAX_DATE_TEXT_CHARS = 80
# How many of a comment's first lines may be its metadata line, when no element is marked as one.
METADATA_LINES = 3
# Inside a comment's body, what is the page's chrome rather than the commenter's words.
COMMENT_CHROME_SELECTORS = (
    ".comment-author", ".comment-meta", ".comment-metadata", ".commentmetadata", ".metadata", ".submitted",
    ".username", ".avatar", ".says", ".reply", ".comment-reply", ".reply-comment", ".comment-reply-link",
    ".comment-edit-link", "ul.links", ".permalink", "header", "footer", "form", "script", "style",
    # Drupal's expanding_formatter: an ellipsis and an "Aufklappen"/"Expand" button around the full text
    ".expanding-formatter-ellipsis", ".expanding-formatter-trigger",
)
# Anchors that show an image rather than link somewhere (Discourse lightboxes, attachments).
IMAGE_HREF = re.compile(r"(?i)\.(?:png|jpe?g|gif|webp|svg|bmp)(?:[?#].*)?$")
IMAGE_CHROME_SELECTORS = ("a.lightbox .meta", ".lightbox-wrapper .meta")

# --- the root post when the discussion markup does not carry it: the page's own article
POST_BODY_SELECTORS = (
    "[itemprop~='articleBody']",
    ".e-content",
    ".node__content",
    ".field--name-body",
    ".field-name-body",
    ".entry-content",
    ".post-content",
    ".post-body",
    ".article-body",
    ".article__body",
    ".story-body",
)
# When none of those holds text: the element with the most paragraph text, then these.
PARAGRAPH_TAGS = ("p", "blockquote", "pre")
POST_FALLBACK_SELECTORS = ("article", "main", "[role='main']")
MIN_POST_CHARS = 25
# Where the post's metadata is never taken from: the comments and the comment form.
COMMENT_SECTION_SELECTORS = (
    "#comments", ".comments", ".comment-wrapper", ".comments-area", ".comment-list", ".commentlist",
    ".comments-container", "#disqus_thread", "#respond", "form",
)
# Never the post's text: those, navigation and page furniture.
NOT_POST_SELECTORS = (
    *COMMENT_SECTION_SELECTORS, "nav", "aside", "footer", "[role='navigation']", "[role='complementary']",
    "script", "style", "noscript", "template",
)
POST_TITLE_SELECTORS = ("h1.entry-title", "h1.node-title", "h1.page-title", "h1.p-name", "h1.title", "[itemprop~='headline']")
POST_AUTHOR_SELECTORS = (
    "[itemprop~='author'] [itemprop~='name']",
    "[itemprop~='author']",
    ".p-author .p-name",
    ".p-author",
    "[rel~='author']",
    ".author-name",
    ".byline .author",
    "[class*='byline'] a",
    ".blog-author a",
    ".post-author a",
    ".entry-author a",
    ".article-author a",
    ".authors a",
    ".author a",
    "[class*='byline']",
    ".author",
    ".submitted .username",
)
POST_DATE_SELECTORS = (
    "[itemprop~='datePublished']",
    "[itemprop~='dateCreated']",
    "[property~='dc:date']",
    ".dt-published",
    "time[datetime]",
    "time",
    ".published",
    ".entry-date",
    ".post-date",
    "[class*='byline']",
    "[class*='date']",
    ".submitted",
    ".author",
)
# How far up from the post's body (or its byline) to look for its author and date.
MAX_METADATA_LEVELS = 8

# Pages in these languages write numeric dates month first ("03/12/2016" is 12 March); pages in
# any other declared language day first ("12.03.2016"); pages that declare none, month first.
MONTH_FIRST_LANGUAGES = ("en", "en-us")
NOTHING_FOUND = (
    "no comments or post found: no schema.org or JSON-LD comments, no h-entry and no comment markup "
    "(id=\"comment-N\", class=\"comment\") with any text"
)


@contextmanager
def _quiet():
    """lxml reading an XHTML page that starts with <?xml ...> warns; the page reads fine."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        yield


@dataclass
class _Entry:
    """A post or comment as a strategy finds it, before the ThreadBuilder gives it ids."""

    text: str = ""
    author: str | None = None
    author_url: str | None = None
    date: str | None = None
    hrefs: list[str] = field(default_factory=list)
    native_id: str | None = None
    permalink: str | None = None
    parent: _Entry | None = None
    reply_to: str | None = None  # a URL or native id the entry says it answers
    title: str | None = None
    element: Tag | None = None


COMPOUND = re.compile(r"^(?P<tag>[a-z][\w-]*|\*)?(?P<rest>(?:\.[\w-]+|#[\w-]+|\[[^\]]+\])*)$")
ATTRIBUTE = re.compile(r"^\[\s*([\w:-]+)\s*(?:([~^$*|]?=)\s*(?:'([^']*)'|\"([^\"]*)\"|([^\]\s]*)))?\s*\]$")
PART = re.compile(r"\.[\w-]+|#[\w-]+|\[[^\]]+\]")


class _Selector:
    """A CSS selector of the kinds this module uses (tags, classes, ids, attributes, descendant
    combinators), matched in plain Python: soupsieve's per-call cost made long threads slow.
    Anything else falls back to soupsieve."""

    def __init__(self, text: str):
        self.text = text
        self.compounds: list[tuple] | None = []
        for compound in text.split():
            match = COMPOUND.match(compound)
            if not match:
                self.compounds = None
                return
            tag = match.group("tag") if match.group("tag") != "*" else None
            classes, ids, attrs = [], [], []
            for part in PART.findall(match.group("rest")):
                if part[0] == ".":
                    classes.append(part[1:])
                elif part[0] == "#":
                    ids.append(part[1:])
                else:
                    attribute = ATTRIBUTE.match(part)
                    if not attribute:
                        self.compounds = None
                        return
                    name, op, *values = attribute.groups()
                    attrs.append((name, op, next((v for v in values if v is not None), None)))
            self.compounds.append((tag, frozenset(classes), ids, attrs))

    def matches(self, el: Tag) -> bool:
        if self.compounds is None:
            return bool(el.css.match(self.text))
        *ancestors, last = self.compounds
        if not _compound_matches(el, last):
            return False
        node = el.parent
        for compound in reversed(ancestors):
            while isinstance(node, Tag) and not _compound_matches(node, compound):
                node = node.parent
            if not isinstance(node, Tag):
                return False
            node = node.parent
        return True


def _compound_matches(el: Tag, compound: tuple) -> bool:
    tag, classes, ids, attrs = compound
    if tag is not None and el.name != tag:
        return False
    if classes and not classes <= _classes(el):
        return False
    if ids and any(el.get("id") != value for value in ids):
        return False
    for name, op, value in attrs:
        actual = el.get(name)
        if actual is None:
            return False
        if op is None:
            continue
        actual = " ".join(actual) if isinstance(actual, list) else str(actual)
        if op == "=" and actual != value:
            return False
        if op == "~=" and value not in actual.split():
            return False
        if op == "^=" and not (value and actual.startswith(value)):
            return False
        if op == "$=" and not (value and actual.endswith(value)):
            return False
        if op == "*=" and not (value and value in actual):
            return False
        if op == "|=" and not (actual == value or actual.startswith(f"{value}-")):
            return False
    return True


@lru_cache(maxsize=512)
def _selector(text: str) -> _Selector:
    return _Selector(text)


class _Index:
    """Every element of a page by tag, class and attribute name, built in one pass, so that a
    selector is checked only against the elements that could match it (soupsieve walking the
    whole page once per selector is what made long threads slow)."""

    def __init__(self, soup: BeautifulSoup):
        self.order: dict[int, int] = {}
        self.everything: list[Tag] = []
        self.by_tag: dict[str, list[Tag]] = {}
        self.by_class: dict[str, list[Tag]] = {}
        self.by_attr: dict[str, list[Tag]] = {}
        for position, el in enumerate(soup.find_all(True)):
            self.order[id(el)] = position
            self.everything.append(el)
            self.by_tag.setdefault(el.name, []).append(el)
            for name, value in el.attrs.items():
                self.by_attr.setdefault(name, []).append(el)
                if name == "class":
                    for token in dict.fromkeys(value if isinstance(value, list) else str(value).split()):
                        self.by_class.setdefault(token, []).append(el)

    def _candidates(self, selector: str) -> list[Tag]:
        last = selector.split()[-1]  # the part the matched element itself must satisfy
        bare = re.sub(r"\[[^\]]*\]", "", last)
        classes = re.findall(r"\.([\w-]+)", bare)
        if classes:
            return self.by_class.get(classes[0], [])
        attribute = re.search(r"\[([\w:-]+)", last)
        if attribute:
            return self.by_attr.get(attribute.group(1), [])
        if "#" in bare:
            return self.by_attr.get("id", [])
        tag = re.match(r"[a-z][\w-]*", bare)
        return self.by_tag.get(tag.group(0), []) if tag else self.everything

    def select(self, selectors, keep: Callable[[Tag], bool] | None = None) -> dict[str, list[Tag]]:
        """{selector: its matches in page order}, in the selectors' priority order."""
        result: dict[str, list[Tag]] = {}
        for text in selectors:
            selector = _selector(text)
            result[text] = [el for el in self._candidates(text)
                            if (keep is None or keep(el)) and selector.matches(el)]
        return result

    def select_all(self, selectors) -> list[Tag]:
        """Everything any of the selectors matches, in page order, each element once."""
        found = {id(el): el for matches in self.select(selectors).values() for el in matches}
        return sorted(found.values(), key=lambda el: self.order.get(id(el), 0))


@dataclass
class _Page:
    source: SourceFile
    soup: BeautifulSoup
    url: str | None
    dayfirst: bool
    index: _Index

    @classmethod
    def of(cls, source: SourceFile, soup: BeautifulSoup) -> _Page:
        index = _Index(soup)
        return cls(source=source, soup=soup, url=_page_url(index), dayfirst=_dayfirst(soup, index), index=index)

    def meta(self, *keys: str) -> str | None:
        return _meta(self.index, *keys)

    def title(self) -> str | None:
        """The page's headline, else og:title, else <title> (html.page_title, from the index)."""
        for found in self.index.select(POST_TITLE_SELECTORS).values():
            for el in found:
                text = clean_text(el.get_text(" "))
                if text:
                    return text
        title = self.meta("og:title", "twitter:title")
        if title:
            return title
        return clean_text(self.soup.title.get_text(" ")) or None if self.soup.title else None

    def date(self, text: str | None) -> str | None:
        return iso_date(text, dayfirst=self.dayfirst)

    def absolute(self, href: str | None) -> str | None:
        """An http(s) URL for an href, resolved against the page's URL; None for anything else."""
        if not href or not isinstance(href, str):
            return None
        href = href.strip()
        try:
            url = urljoin(self.url, href) if self.url else href
            return url if urlsplit(url).scheme in ("http", "https") else None
        except ValueError:
            return None


class GenericHtmlParser(Parser):
    PLATFORM = "generic"
    DESCRIPTION = "Any other HTML page with comments: schema.org microdata, JSON-LD, h-entry or common CMS markup"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        """Any HTML page with markup one of the STRATEGIES reads; parse() decides whether it holds text."""
        if not source.looks_like_html:
            return False
        with _quiet():
            soup = source.soup
        return _has_discussion_markup(soup, _Index(soup))

    def parse(self, source: SourceFile) -> list[Thread]:
        try:
            with _quiet():
                page = _Page.of(source, source.soup)
                return [self._thread(page)]
        except RecursionError:
            raise ParseError(source.relpath, "generic: markup nested too deeply to read") from None

    def _thread(self, page: _Page) -> Thread:
        root, comments = _discover(page)
        if not comments and (root is None or not root.text):
            raise ParseError(page.source.relpath, NOTHING_FOUND)
        if root is None or not root.text:
            # the discussion markup names the post (JSON-LD often does) but does not hold its text
            found = _page_post(page, [c.element for c in comments if c.element is not None])
            if root is not None:
                found.author, found.date = root.author or found.author, root.date or found.date
                found.title, found.permalink = root.title, root.permalink
            root = found
        title = root.title or page.title()
        builder = ThreadBuilder(page.source, self.PLATFORM, url=page.url, title=title,
                                author=root.author, date=root.date)
        added: dict[int, Post] = {}
        by_key: dict[str, Post] = {}
        root_post = None
        if root.text:
            root_post = builder.add(kind="post", author=root.author, text=root.text, date=root.date,
                                    author_url=root.author_url, hrefs=root.hrefs,
                                    permalink=root.permalink or page.url)
            _remember(by_key, root, root_post)
        for entry in comments:
            post = builder.add(author=entry.author, text=entry.text, native_id=entry.native_id, date=entry.date,
                               author_url=entry.author_url, hrefs=entry.hrefs, permalink=entry.permalink)
            parent = added.get(id(entry.parent)) if entry.parent is not None else None
            if parent is None and entry.reply_to:
                parent = by_key.get(entry.reply_to) or by_key.get(_strip_fragment(entry.reply_to) or "")
            if parent is not None and parent is not root_post:
                post.parent_id = parent.id
            added[id(entry)] = post
            _remember(by_key, entry, post)
        return builder.build()


def _remember(by_key: dict, entry: _Entry, post: Post) -> None:
    for key in (entry.native_id, entry.permalink):
        if key:
            by_key.setdefault(key, post)


def _discover(page: _Page) -> tuple[_Entry | None, list[_Entry]]:
    first_root = None
    for name in STRATEGIES:
        root, comments = _STRATEGY_FUNCTIONS[name](page)
        comments = [c for c in comments if c.text]
        if comments:
            return root, comments
        if first_root is None and root is not None and root.text:
            first_root = root
    return first_root, []


def _has_discussion_markup(soup: BeautifulSoup, index: _Index) -> bool:
    """A cheap look for any markup a strategy reads; parse() decides whether it holds text."""
    if any(_item_type(el) in COMMENT_TYPES + ROOT_POSTING_TYPES for el in index.by_attr.get("itemscope", [])):
        return True
    if any(_json_ld_threads(soup)):
        return True
    if index.by_class.get(MF_ENTRY):
        return True
    return any(True for _ in _container_candidates(index))


# --- strategy 1: schema.org microdata ------------------------------------------------------


def _from_microdata(page: _Page) -> tuple[_Entry | None, list[_Entry]]:
    items = [el for el in page.index.by_attr.get("itemscope", []) if _item_type(el)]
    if not items:
        return None, []
    props = _item_properties(page.index)
    comment_items = [el for el in items if _item_type(el) in COMMENT_TYPES]
    comment_ids = {id(el) for el in comment_items}
    root_item = None
    if comment_items:
        # an article holding the comments (itemprop="comment" inside it) is the root
        root_item = _nearest(comment_items[0], lambda a: a.has_attr("itemscope") and id(a) not in comment_ids
                             and _item_type(a) in ARTICLE_TYPES)
    if root_item is None:
        # else the first posting not inside another: a forum's opening post
        top = [el for el in items if _item_type(el) in ROOT_POSTING_TYPES
               and _nearest(el, lambda a: id(a) in comment_ids) is None]
        root_item = top[0] if top else None
    nested = [el for el in comment_items if el is not root_item]
    holders = _nearest_among(nested, comment_ids)
    inner = _inner(nested, holders)
    entries: dict[int, _Entry] = {}
    root = None
    if root_item is not None:
        top = [el for el in nested if holders[id(el)] is None or holders[id(el)] is root_item]
        root = _microdata_entry(page, root_item, props, [el for el in top if _inside(el, root_item)])
    comments = []
    for el in nested:
        entry = _microdata_entry(page, el, props, inner.get(id(el), []))
        holder = holders[id(el)]
        entry.parent = entries.get(id(holder)) if holder is not None else None
        entries[id(el)] = entry
        comments.append(entry)
    return root, comments


def _item_type(el: Tag) -> str | None:
    """The schema.org type name of an item: ``http://schema.org/Comment`` → ``Comment``."""
    value = el.get("itemtype")
    if not value or not isinstance(value, str):
        return None
    return value.split()[0].rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or None


def _item_properties(index: _Index) -> dict[int, list[tuple[list[str], Tag]]]:
    """{id(item): [(property names, element)]} for every itemprop, owned by its nearest item."""
    elements = index.by_attr.get("itemprop", [])
    owners = _nearest_among(elements, {id(el) for el in index.by_attr.get("itemscope", [])})
    owned: dict[int, list[tuple[list[str], Tag]]] = {}
    for el in elements:
        owner = owners[id(el)]
        if owner is not None:
            owned.setdefault(id(owner), []).append((str(el["itemprop"]).split(), el))
    return owned


def _prop(props: dict, item: Tag, names: tuple[str, ...]) -> Tag | None:
    own = props.get(id(item), [])
    for name in names:
        for prop_names, el in own:
            if name in prop_names:
                return el
    return None


def _prop_value(page: _Page, el: Tag | None) -> str | None:
    if el is None:
        return None
    if el.name == "meta":
        return (el.get("content") or "").strip() or None
    if el.name == "time" and el.get("datetime"):
        return el["datetime"].strip()
    if el.name in ("a", "link", "area") and el.get("href"):
        return page.absolute(el["href"])
    if el.get("content"):
        return str(el["content"]).strip()
    return clean_text(el.get_text(" ")) or None


def _microdata_entry(page: _Page, item: Tag, props: dict, others: list[Tag]) -> _Entry:
    entry = _Entry(element=item)
    author = _prop(props, item, MD_AUTHOR)
    if author is not None:
        if author.has_attr("itemscope"):
            entry.author = _prop_value(page, _prop(props, author, ("name", "alternateName")))
            entry.author_url = page.absolute(_prop_value(page, _prop(props, author, ("url",))))
            if not entry.author:
                entry.author = clean_text(author.get_text(" ")) or None
        else:
            entry.author = clean_text(author.get("content") or author.get_text(" ")) or None
            if author.name == "a":
                entry.author_url = page.absolute(author.get("href"))
    for name in MD_DATE:
        entry.date = page.date(_prop_value(page, _prop(props, item, (name,))))
        if entry.date:
            break
    body = _prop(props, item, MD_TEXT)
    drop = list(others)
    if body is not None and body.name == "meta":
        entry.text = _plain_or_html(page, body.get("content") or "", entry)
    else:
        chrome = [el for _, el in props.get(id(item), []) if el is not body]
        target = body if body is not None else item
        entry.text, entry.hrefs = _text_and_links(page, target, drop=drop + ([] if body is not None else chrome))
    entry.title = _prop_value(page, _prop(props, item, MD_TITLE))
    entry.permalink = page.absolute(_prop_value(page, _prop(props, item, ("url",))))
    entry.native_id = _native_id(item) or _native_id_of_url(entry.permalink)
    return entry


# --- strategy 1b: JSON-LD -------------------------------------------------------------------


def _from_json_ld(page: _Page) -> tuple[_Entry | None, list[_Entry]]:
    nodes = list(_json_ld_threads(page.soup))
    node = next((n for n in nodes if _json_replies_of(n)), nodes[0] if nodes else None)
    if node is None:
        return None, []
    comments: list[_Entry] = []
    _json_ld_replies(page, node, None, comments, depth=0)
    return _json_ld_entry(page, node), comments


def _json_ld_threads(soup: BeautifulSoup) -> Iterator[dict]:
    """Every JSON-LD object that carries comments or answers (or is a discussion posting)."""
    for script in soup.find_all("script", attrs={"type": re.compile(r"(?i)ld\+json")}):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except (ValueError, TypeError, RecursionError):
            continue
        for node in _json_nodes(data, depth=0):
            types = _json_types(node)
            if any(node.get(key) for key in JSON_LD_REPLY_KEYS) or types & set(ROOT_POSTING_TYPES):
                yield node


def _json_nodes(data, depth: int) -> Iterator[dict]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), (list, dict)):
                yield from _json_nodes(data[key], depth + 1)


def _json_types(node: dict) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _json_replies_of(node: dict) -> list[dict]:
    replies = []
    for key in JSON_LD_REPLY_KEYS:
        value = node.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                replies.append(item)
    return replies


def _json_ld_replies(page: _Page, node: dict, parent: _Entry | None, out: list[_Entry], depth: int) -> None:
    if depth > 50:
        return
    for reply in _json_replies_of(node):
        entry = _json_ld_entry(page, reply)
        entry.parent = parent
        out.append(entry)
        _json_ld_replies(page, reply, entry, out, depth + 1)


def _json_ld_entry(page: _Page, node: dict) -> _Entry:
    entry = _Entry()
    author = node.get("author") or node.get("creator")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        entry.author = clean_text(_json_str(author.get("name")) or _json_str(author.get("alternateName"))) or None
        entry.author_url = page.absolute(_json_str(author.get("url")))
    elif isinstance(author, str):
        entry.author = clean_text(author) or None
    for key in MD_DATE:
        entry.date = page.date(_json_str(node.get(key)))
        if entry.date:
            break
    for key in MD_TEXT:
        text = _json_str(node.get(key))
        if text:
            entry.text = _plain_or_html(page, text, entry)
            break
    entry.title = clean_text(_json_str(node.get("headline")) or _json_str(node.get("name"))) or None
    entry.permalink = page.absolute(_json_str(node.get("url")))
    entry.native_id = (_native_id_of_url(_json_str(node.get("@id"))) or _native_id_of_url(entry.permalink)
                       or _json_str(node.get("identifier")))
    return entry


def _json_str(value) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() or None if isinstance(value, str) else None


def _plain_or_html(page: _Page, text: str, entry: _Entry) -> str:
    """Text that may be HTML (JSON-LD bodies often are): its readable text; its links go to entry."""
    if "<" in text and ">" in text:
        fragment = BeautifulSoup(text, "lxml")
        body = fragment.body or fragment
        plain, entry.hrefs = _text_and_links(page, body)
        return plain
    return text.strip()


# --- strategy 2: microformats2 h-entry ------------------------------------------------------


def _from_h_entry(page: _Page) -> tuple[_Entry | None, list[_Entry]]:
    entries = [el for el in page.index.everything if _mf_classes(el) & {MF_ENTRY, *MF_COMMENT_CLASSES}]
    if not entries:
        return None, []
    ids = {id(el) for el in entries}
    top = [el for el in entries if _nearest(el, lambda a: id(a) in ids) is None]
    top_entries = [el for el in top if MF_ENTRY in _mf_classes(el)]
    top_entry_ids = {id(el) for el in top_entries}
    root_el = top_entries[0] if top_entries else None
    # comments: everything nested in an entry, and h-cite (or p-comment) items outside the root
    comment_els = [el for el in entries if el is not root_el
                   and (id(el) not in top_entry_ids or "p-comment" in _mf_classes(el))]
    if root_el is not None and not comment_els and len(top_entries) > 1:
        return None, []  # a list of posts (a blog's front page), not one discussion
    holders = _nearest_among(comment_els, ids)
    inner = _inner(comment_els, holders)
    root = None
    if root_el is not None:
        root = _mf_entry(page, root_el, [el for el in comment_els if holders[id(el)] is root_el])
    made: dict[int, _Entry] = {}
    comments = []
    for el in comment_els:
        entry = _mf_entry(page, el, inner.get(id(el), []))
        holder = holders[id(el)]
        entry.parent = made.get(id(holder)) if holder is not None else None
        made[id(el)] = entry
        comments.append(entry)
    return root, comments


def _mf_classes(el: Tag) -> set[str]:
    value = el.get("class") or []
    return set(value if isinstance(value, list) else str(value).split())


def _mf_root(el: Tag) -> bool:
    return any(c.startswith("h-") for c in _mf_classes(el))


def _mf_prop(item: Tag, prop: str) -> Tag | None:
    """The first element with class ``prop`` owned by ``item`` (its nearest h-* ancestor)."""
    for el in item.find_all(class_=prop):
        if _nearest(el, _mf_root) is item:
            return el
    return None


def _mf_entry(page: _Page, item: Tag, others: list[Tag]) -> _Entry:
    entry = _Entry(element=item)
    author = _mf_prop(item, "p-author")
    if author is not None:
        if _mf_root(author):
            name = _mf_prop(author, "p-name")
            url = _mf_prop(author, "u-url")
            entry.author = clean_text((name or author).get_text(" ")) or None
            href = (url.get("href") if url is not None else None) or (author.get("href") if author.name == "a" else None)
            entry.author_url = page.absolute(href)
        else:
            entry.author = clean_text(author.get_text(" ")) or None
            entry.author_url = page.absolute(author.get("href")) if author.name == "a" else None
    published = _mf_prop(item, "dt-published")
    if published is not None:
        entry.date = _date_of(page, published)
    url = _mf_prop(item, "u-url")
    if url is not None:
        entry.permalink = page.absolute(url.get("href") or url.get("src") or url.get_text(strip=True))
    reply_to = _mf_prop(item, "u-in-reply-to")
    if reply_to is not None:
        target = _mf_prop(reply_to, "u-url") if _mf_root(reply_to) else reply_to
        if target is not None:
            entry.reply_to = page.absolute(target.get("href"))
    name = _mf_prop(item, "p-name")
    if name is not None and name.name in ("h1", "h2", "h3"):
        entry.title = clean_text(name.get_text(" ")) or None
    body = _mf_prop(item, "e-content")
    drop = list(others)
    if body is None:
        chrome = [el for el in (author, published, url, reply_to) if el is not None]
        entry.text, entry.hrefs = _text_and_links(page, item, drop=drop + chrome)
    else:
        entry.text, entry.hrefs = _text_and_links(page, body, drop=drop)
    entry.native_id = _native_id(item) or _native_id_of_url(entry.permalink)
    return entry


# --- strategy 3: common comment markup ------------------------------------------------------


def _container_candidates(index: _Index) -> Iterator[Tag]:
    in_forms = {id(d) for form in index.by_tag.get("form", []) for d in form.find_all(True)}
    seen: set[int] = set()
    for selector, matches in index.select(COMMENT_CONTAINER_SELECTORS).items():
        for el in matches:
            if id(el) in seen or el.name in NOT_CONTAINERS:
                continue
            if selector.startswith("[id^=") and not COMMENT_ID.match(str(el.get("id", ""))):
                continue  # id="comment-form" and the like; a class may still make it a comment
            seen.add(id(el))
            if id(el) not in in_forms:
                yield el


def _from_comment_markup(page: _Page) -> tuple[_Entry | None, list[_Entry]]:
    order = page.index.order
    candidates = sorted(_container_candidates(page.index), key=lambda el: order.get(id(el), 0))
    kept: list[Tag] = []
    kept_ids: set[int] = set()
    holders: dict[int, Tag | None] = {}
    inherited: dict[int, str] = {}
    # {id(node): (nearest kept comment at or above it, whether a reply wrapper lies between)}, so
    # that each candidate looks up its ancestors once however deeply the page nests them
    seen_below: dict[int, tuple[Tag | None, bool]] = {}

    def above(el: Tag) -> tuple[Tag | None, bool]:
        chain, node, state = [], el.parent, (None, False)
        while isinstance(node, Tag):
            if id(node) in seen_below:
                state = seen_below[id(node)]
                break
            chain.append(node)
            node = node.parent
        for node in reversed(chain):
            holder, wrapped = state
            if id(node) in kept_ids:
                state = (node, False)
            else:
                state = (holder, wrapped or bool(_classes(node) & NESTED_REPLY_CLASSES))
            seen_below[id(node)] = state
        return state

    for el in candidates:
        holder, wrapped = above(el)
        if holder is not None and not wrapped:
            mine, theirs = _container_id(el), _container_id(holder) or inherited.get(id(holder))
            if not (mine and theirs and mine != theirs):
                # the same comment seen twice (an li and the div inside it): keep the outer one
                if mine and not theirs:
                    inherited[id(holder)] = mine
                continue
        kept.append(el)
        kept_ids.add(id(el))
        holders[id(el)] = holder
    inner = _inner(kept, holders)
    # what belongs to which comment: its own author, date and body, not those of its replies
    wrappers = [w for name in NESTED_REPLY_CLASSES for w in page.index.by_class.get(name, [])]
    owners = kept_ids | {id(w) for w in wrappers}
    blocked = _inner(wrappers, _nearest_among(wrappers, owners))
    for el in kept:
        blocked.setdefault(id(el), []).extend(inner.get(id(el), []))
    owned = {name: _owned(page.index, selectors, owners) for name, selectors in COMMENT_PARTS.items()}
    entries: dict[int, _Entry] = {}
    comments = []
    for el in kept:
        entry = _markup_entry(page, el, blocked.get(id(el), []), owned)
        entry.native_id = entry.native_id or inherited.get(id(el))
        parent = _structural_parent(el, kept_ids)
        entry.parent = entries.get(id(parent)) if parent is not None else None
        entries[id(el)] = entry
        if entry.text:
            comments.append(entry)
    return None, comments


def _classes(el: Tag) -> set[str]:
    value = el.get("class") if isinstance(el, Tag) else None
    if not value:
        return set()
    return set(value if isinstance(value, list) else str(value).split())


def _container_id(el: Tag) -> str | None:
    """The comment's own id: from the element, or from the empty anchor right before it (Drupal 7)."""
    found = _native_id(el)
    if found:
        return found
    about = el.get("about")
    if isinstance(about, str):
        found = _native_id_of_url(about.split("#", 1)[0]) or _native_id_of_url(about)
        if found:
            return found
    sibling = el.find_previous_sibling(True)
    if sibling is not None and sibling.name == "a" and not sibling.get_text(strip=True):
        return _native_id(sibling) or _native_id_of_url(sibling.get("name"))
    return None


def _native_id(el: Tag | None) -> str | None:
    if el is None:
        return None
    for attr in ("id", "data-comment-id", "data-id"):
        value = el.get(attr)
        if isinstance(value, str):
            if attr != "id" and value.isdigit():
                return value
            match = NATIVE_ID.search(value)
            if match:
                return match.group(1)
    return None


def _native_id_of_url(url: str | None) -> str | None:
    if not url or not isinstance(url, str):
        return None
    match = NATIVE_ID.search(url.split("?", 1)[0])
    return match.group(1) if match else None


def _structural_parent(el: Tag, kept_ids: set[int]) -> Tag | None:
    """The comment this one answers, as the page nests it: inside its parent, or in a reply
    wrapper (Drupal's div.indented) right after its parent."""
    for anc in el.parents:
        if id(anc) in kept_ids:
            return anc
        if _classes(anc) & SIBLING_REPLY_CLASSES:
            for sibling in anc.find_previous_siblings(True):
                if id(sibling) in kept_ids:
                    return sibling
                if _classes(sibling) & SIBLING_REPLY_CLASSES:
                    break
                inner = [d for d in sibling.find_all(True) if id(d) in kept_ids]
                if inner:
                    outermost = [d for d in inner if not any(_inside(d, o) for o in inner if o is not d)]
                    return outermost[-1]
    return None


def _owned(index: _Index, selectors, owners: set[int]) -> dict[str, dict[int, list[Tag]]]:
    """{selector: {id(comment): its matches}}: each match goes to the nearest comment (or reply
    wrapper) around it, so a comment never takes its replies' author or date."""
    matches = index.select(selectors)
    everything = [el for found in matches.values() for el in found]
    owner_of = _nearest_among(everything, owners)
    result: dict[str, dict[int, list[Tag]]] = {}
    for selector, found in matches.items():
        by_owner: dict[int, list[Tag]] = {}
        for el in found:
            owner = owner_of.get(id(el))
            if owner is not None:
                by_owner.setdefault(id(owner), []).append(el)
        result[selector] = by_owner
    return result


def _markup_entry(page: _Page, el: Tag, blocked: list[Tag], owned: dict) -> _Entry:
    """One comment's fields; ``blocked`` are its replies and reply wrappers, ``owned`` the
    matches of COMMENT_PARTS by the comment they belong to."""
    entry = _Entry(element=el, native_id=_container_id(el))

    def own(part: str) -> Iterator[Tag]:
        for by_owner in owned[part].values():
            yield from by_owner.get(id(el), [])

    author_el = None
    for found in own("author"):
        name = _author_from(found.get_text(" "))
        if name:
            author_el, entry.author = found, name
            break
    if author_el is not None:
        entry.author_url = _author_url(page, author_el)
    date_el = None
    for found in own("date"):
        entry.date = _date_of(page, found)
        if entry.date:
            date_el = found
            break
    if entry.author is None or entry.date is None:
        # a metadata line holding both: "geschrieben von X am DATE", "X | DATE"
        lines = [date_el.get_text(" ")] if date_el is not None else []
        lines += [ln for ln in text_of(_pruned(el, drop=blocked)).split("\n") if ln.strip()][:METADATA_LINES]
        for line in lines:
            author, date = _split_byline(page, line)
            if author:
                entry.author = entry.author or author
                entry.date = entry.date or date
                break
    body = next(own("body"), None)
    if body is not None:
        entry.text, entry.hrefs = _text_and_links(page, body, drop=blocked, chrome=COMMENT_CHROME_SELECTORS)
    else:
        headers = [_header_block(el, found) for found in (author_el, date_el) if found is not None]
        entry.text, entry.hrefs = _text_and_links(
            page, el, drop=blocked + [h for h in headers if h is not None], chrome=COMMENT_CHROME_SELECTORS
        )
    permalink = next(own("permalink"), None)
    if permalink is not None:
        entry.permalink = page.absolute(permalink.get("href"))
    reply_to = next(own("in_reply_to"), None)
    if reply_to is not None:
        entry.reply_to = _native_id_of_url(reply_to.get("href")) or page.absolute(reply_to.get("href"))
    return entry


def _header_block(container: Tag, found: Tag) -> Tag | None:
    """The child of the container holding its author or date line, when that child is a header
    (little text, no paragraphs) rather than the comment itself."""
    child = found
    while child.parent is not None and child.parent is not container:
        child = child.parent
    if child.parent is not container:
        return None
    if child is found:
        return found
    if child.find("p") is None and len(clean_text(child.get_text(" "))) <= 160:
        return child
    return found


def _author_url(page: _Page, author_el: Tag) -> str | None:
    anchor = author_el if author_el.name == "a" else author_el.find("a", href=True) or author_el.find_parent("a")
    if anchor is None or not anchor.get("href"):
        return None
    return page.absolute(anchor["href"])


# --- the root post from the page itself -----------------------------------------------------


def _page_post(page: _Page, comment_elements: list[Tag]) -> _Entry:
    soup, index = page.soup, page.index
    comments = {id(el) for el in comment_elements} | {id(el) for el in index.select_all(COMMENT_SECTION_SELECTORS)}
    furniture = comments | {id(el) for el in index.select_all(NOT_POST_SELECTORS)}

    def allowed(el: Tag) -> bool:
        return id(el) not in furniture and not any(id(a) in furniture for a in el.parents)

    def not_comment(el: Tag) -> bool:
        return id(el) not in comments and not any(id(a) in comments for a in el.parents)

    body = None
    for found in index.select(POST_BODY_SELECTORS).values():
        scored = [(len(_text_and_links(page, el, drop=comment_elements, chrome=NOT_POST_SELECTORS)[0]), el)
                  for el in found if allowed(el)]
        best = max(scored, default=None, key=lambda pair: pair[0])
        if best and best[0] >= MIN_POST_CHARS:
            body = best[1]
            break
    if body is None:
        body = _densest(index, allowed)
    if body is None:
        body = next((el for els in index.select(POST_FALLBACK_SELECTORS).values() for el in els
                     if allowed(el)), None)
    entry = _Entry(element=body)
    if body is not None:
        entry.text, entry.hrefs = _text_and_links(page, body, drop=comment_elements, chrome=NOT_POST_SELECTORS)
    start = body if body is not None else soup.body
    author_el = None
    if start is not None:
        candidates = index.select(POST_AUTHOR_SELECTORS, keep=not_comment)
        found = _near(start, candidates, lambda el: _author_from(el.get_text(" ")))
        if found:
            entry.author, author_el = found
    if entry.author is None:
        entry.author = _author_from(page.meta("author", "dc.creator", "DC.creator") or "")
    entry.date = page.date(page.meta("article:published_time", "datePublished", "dc.date.issued", "DC.date.issued"))
    if entry.date is None:
        candidates = index.select(POST_DATE_SELECTORS, keep=not_comment)
        for origin in (author_el, start):
            found = _near(origin, candidates, lambda el: _date_of(page, el)) if origin is not None else None
            if found:
                entry.date = found[0]
                break
    return entry


def _densest(index: _Index, allowed: Callable[[Tag], bool]) -> Tag | None:
    """The element whose own paragraphs hold the most text: the article on most pages."""
    scores: dict[int, int] = {}
    parents: dict[int, Tag] = {}
    for tag in PARAGRAPH_TAGS:
        for paragraph in index.by_tag.get(tag, []):
            parent = paragraph.parent
            if isinstance(parent, Tag):
                scores[id(parent)] = scores.get(id(parent), 0) + len(paragraph.get_text(" ", strip=True))
                parents[id(parent)] = parent
    ranked = sorted(scores, key=lambda key: (-scores[key], index.order.get(key, 0)))
    for key in ranked:
        if scores[key] < MIN_POST_CHARS:
            break
        if allowed(parents[key]):
            return parents[key]
    return None


def _near(start: Tag, candidates: dict[str, list[Tag]], accept: Callable[[Tag], str | None]):
    """(value, element) of the first candidate near ``start`` that ``accept`` takes: looking in
    ``start`` first, then in each ancestor in turn, selectors in priority order at each level."""
    levels = [start, *start.parents][:MAX_METADATA_LEVELS]
    tried: set[int] = set()
    for level in levels:
        if not isinstance(level, Tag) or level.name in ("html", "[document]"):
            break
        for found in candidates.values():
            for el in found:
                if id(el) in tried or not (el is level or _inside(el, level)):
                    continue
                tried.add(id(el))
                value = accept(el)
                if value:
                    return value, el
    return None


# --- shared helpers -------------------------------------------------------------------------


def _nearest(el: Tag, predicate: Callable[[Tag], bool]) -> Tag | None:
    for anc in el.parents:
        if isinstance(anc, Tag) and anc.name != "[document]" and predicate(anc):
            return anc
    return None


def _nearest_among(elements: list[Tag], ids: set[int]) -> dict[int, Tag | None]:
    """{id(el): its nearest ancestor whose id is in ``ids``}, each ancestor visited once."""
    memo: dict[int, Tag | None] = {}
    result: dict[int, Tag | None] = {}
    for el in elements:
        chain, node, found = [], el.parent, None
        while isinstance(node, Tag):
            if id(node) in memo:
                found = memo[id(node)]
                break
            if id(node) in ids:
                found = node
                break
            chain.append(node)
            node = node.parent
        for node in chain:
            memo[id(node)] = found
        result[id(el)] = found
    return result


def _inner(elements: list[Tag], holders: dict[int, Tag | None]) -> dict[int, list[Tag]]:
    """{id(el): the elements whose nearest holder it is}: what to cut out of its text."""
    inner: dict[int, list[Tag]] = {}
    for el in elements:
        holder = holders.get(id(el))
        if holder is not None:
            inner.setdefault(id(holder), []).append(el)
    return inner


def _inside(el: Tag, container: Tag) -> bool:
    return any(anc is container for anc in el.parents)


def _pruned(element: Tag, drop=(), chrome=()) -> Tag:
    """A copy of ``element`` without the ``drop`` elements (found in the original) and without
    anything matching the ``chrome`` selectors."""
    index = {id(node): i for i, node in enumerate(element.descendants)}
    clone = copy.copy(element)
    nodes = list(clone.descendants)
    targets = [nodes[index[id(d)]] for d in drop if id(d) in index and index[id(d)] < len(nodes)]
    for target in targets:
        target.extract()
    if chrome:
        selectors = [_selector(text) for text in chrome]
        for node in clone.find_all(True):
            if any(selector.matches(node) for selector in selectors):
                node.extract()
    return clone


def _text_and_links(page: _Page, element: Tag, drop=(), chrome=()) -> tuple[str, list[str]]:
    clone = _pruned(element, drop=drop, chrome=(*chrome, *IMAGE_CHROME_SELECTORS))
    for anchor in clone.find_all("a", href=True):
        classes = _classes(anchor)
        shows_image = anchor.find("img") is not None and not anchor.get_text(strip=True)
        if "lightbox" in classes or (IMAGE_HREF.search(anchor["href"]) and (shows_image or "lightbox" in classes)):
            del anchor["href"]
    return text_of(clone), links_of(clone, page.url, page_url=page.url)


def _author_from(text: str | None) -> str | None:
    """A name as the page shows it, without "By", "says:" or a date written after it."""
    line = clean_text(text)
    if not line:
        return None
    for pattern in BYLINES:
        match = pattern.match(line)
        if match and (pattern.groupindex.get("date") is None or not match.group("date")
                      or iso_date(match.group("date"), dayfirst=True)):
            line = match.group("author").strip()
            break
    line = line.strip(" :,|-–—·•")
    if not line or len(line) > MAX_AUTHOR_CHARS:
        return None
    return line


def _split_byline(page: _Page, line: str) -> tuple[str | None, str | None]:
    """(author, date) from a comment's metadata line, when it reads like one."""
    line = clean_text(line)
    if not line or len(line) > MAX_AUTHOR_CHARS + MAX_DATE_TEXT_CHARS:
        return None, None
    for pattern in BYLINES[:2]:
        match = pattern.match(line)
        if match:
            date = page.date(match.group("date"))
            author = match.group("author").strip(" :,|-–—·•")
            if date and author and len(author) <= MAX_AUTHOR_CHARS:
                return author, date
    return None, None


def _date_of(page: _Page, el: Tag) -> str | None:
    """An ISO date from an element: machine-readable attributes first, then what it shows."""
    candidates = ([el] if el.name == "time" else []) + el.find_all("time") + [el]
    for node in candidates:
        for attr in ("datetime", "content", "data-timestamp", "title"):
            value = node.get(attr)
            if isinstance(value, str) and value.strip():
                found = page.date(value)
                if found:
                    return found
    text = clean_text(el.get_text(" "))
    if not text:
        return None
    if len(text) <= MAX_AUTHOR_CHARS + MAX_DATE_TEXT_CHARS:
        for pattern in BYLINES[:2]:
            match = pattern.match(text)
            if match:
                found = page.date(match.group("date"))
                if found:
                    return found
    if len(text) <= MAX_DATE_TEXT_CHARS:
        found = page.date(text)
        if found:
            return found
    own = clean_text(" ".join(str(s) for s in el.children if isinstance(s, NavigableString)))
    if own and len(own) <= MAX_DATE_TEXT_CHARS:
        return page.date(own.strip(" ,|"))
    return None


def _meta(index: _Index, *keys: str) -> str | None:
    """The content of the first <meta> whose name, property or itemprop is one of ``keys``."""
    tags = index.by_tag.get("meta", [])
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            for tag in tags:
                if tag.get(attr) == key and str(tag.get("content", "")).strip():
                    return str(tag["content"]).strip()
    return None


def _page_url(index: _Index) -> str | None:
    """The page's own address: canonical link or og:url, a relative one resolved against the other."""
    link = next((el for el in index.by_tag.get("link", []) if "canonical" in (el.get("rel") or []) and el.get("href")),
                None)
    candidates = [str(link["href"]).strip() if link else None, _meta(index, "og:url"), _meta(index, "twitter:url")]
    absolute = None
    for value in candidates:
        if value and urlsplit(value).scheme in ("http", "https"):
            absolute = unwrap_archive_url(value)
            break
    first_found = next((v for v in candidates if v), None)
    if first_found and absolute and urlsplit(first_found).scheme not in ("http", "https"):
        return urljoin(absolute, first_found)
    return absolute


def _strip_fragment(url: str | None) -> str | None:
    return url.split("#", 1)[0] if url else None


def _dayfirst(soup: BeautifulSoup, index: _Index) -> bool:
    lang = soup.html.get("lang") if soup.html is not None else None
    lang = lang or _meta(index, "og:locale", "language", "content-language") or ""
    lang = str(lang).strip().lower().replace("_", "-")
    return bool(lang) and lang not in MONTH_FIRST_LANGUAGES


# The readers behind STRATEGIES (whose order, at the top, is the one that counts).
_STRATEGY_FUNCTIONS = {
    "microdata": _from_microdata,
    "json_ld": _from_json_ld,
    "h_entry": _from_h_entry,
    "comment_markup": _from_comment_markup,
}
assert tuple(_STRATEGY_FUNCTIONS) == STRATEGIES
