"""The fallback for HTML pages no platform parser claimed: schema.org, JSON-LD, h-entry or common CMS comment markup."""

from __future__ import annotations

import copy
import json
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

from indexer.dates import iso_date
from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.html import links_of, meta, page_title, text_of, unwrap_archive_url
from indexer.records import Post

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
# Lines like "geschrieben von X am 21. Jan. 2015, 19:04", "X | Di, 21. April 2020 - 16:40",
# "Comment by X — 5 May 2011", "X says:"; the author and the date are split apart.
BYLINES = (
    re.compile(r"(?i)^(?:(?:comment|kommentar|geschrieben|written|posted|submitted|verfasst|publié|scritto|escrito)\s+)?"
               r"(?:by|von|par|di|por)[:\s]\s*(?P<author>.+?)\s*"
               r"(?:\s(?:am|on|le|il|el|um|at)\s|[—–|•·,]|\s-\s)\s*(?P<date>.*\d.*)$"),
    re.compile(r"^(?P<author>[^|•·—–]+?)\s*(?:[|•·—–]|\s-\s)\s*(?P<date>.*\d.*)$"),
    re.compile(r"(?i)^(?P<author>.+?)\s+(?:says|sagt|schrieb|wrote|meint|écrit|dice)\s*:?\s*(?P<date>.*)$"),
    re.compile(r"(?i)^(?:by|von|par)[:\s]\s*(?P<author>.+)$"),
)
MAX_AUTHOR_CHARS = 80
# How many of a comment's first lines may be its metadata line, when no element is marked as one.
METADATA_LINES = 3
MAX_DATE_TEXT_CHARS = 80
# Inside a comment's body, what is the page's chrome rather than the commenter's words.
COMMENT_CHROME_SELECTORS = (
    ".comment-author", ".comment-meta", ".comment-metadata", ".commentmetadata", ".metadata", ".submitted",
    ".username", ".avatar", ".says", ".reply", ".comment-reply", ".reply-comment", ".comment-reply-link",
    ".comment-edit-link", "ul.links", ".permalink", "header", "footer", "form", "script", "style",
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

# Languages whose pages write dates day first ("12.03.2016"); English pages month first.
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


@dataclass
class _Page:
    source: SourceFile
    soup: BeautifulSoup
    url: str | None
    dayfirst: bool

    @classmethod
    def of(cls, source: SourceFile, soup: BeautifulSoup) -> _Page:
        return cls(source=source, soup=soup, url=_page_url(soup), dayfirst=_dayfirst(soup))

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
        if not source.looks_like_html:
            return False
        with _quiet():
            soup = source.soup
        return _has_discussion_markup(soup)

    def parse(self, source: SourceFile) -> list:
        try:
            with _quiet():
                page = _Page.of(source, source.soup)
                return [self._thread(page)]
        except RecursionError:
            raise ParseError(source.relpath, "generic: markup nested too deeply to read") from None

    def _thread(self, page: _Page):
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
        title = root.title or page_title(page.soup, POST_TITLE_SELECTORS)
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
        root, comments = globals()[f"_from_{name}"](page)
        comments = [c for c in comments if c.text]
        if comments:
            return root, comments
        if first_root is None and root is not None and root.text:
            first_root = root
    return first_root, []


def _has_discussion_markup(soup: BeautifulSoup) -> bool:
    """A cheap look for any markup a strategy reads; parse() decides whether it holds text."""
    if any(_item_type(el) in COMMENT_TYPES + ROOT_POSTING_TYPES for el in soup.find_all(attrs={"itemscope": True})):
        return True
    if any(_json_ld_threads(soup)):
        return True
    if soup.select_one(f".{MF_ENTRY}") is not None:
        return True
    return any(True for _ in _container_candidates(soup))


# --- strategy 1: schema.org microdata ------------------------------------------------------


def _from_microdata(page: _Page) -> tuple[_Entry | None, list[_Entry]]:
    items = [el for el in page.soup.find_all(attrs={"itemscope": True}) if _item_type(el)]
    if not items:
        return None, []
    props = _item_properties(page.soup)
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
    entries: dict[int, _Entry] = {}
    root = _microdata_entry(page, root_item, props, nested) if root_item is not None else None
    comments = []
    for el in nested:
        entry = _microdata_entry(page, el, props, [n for n in nested if n is not el])
        holder = _nearest(el, lambda a: id(a) in comment_ids)
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


def _item_properties(soup: BeautifulSoup) -> dict[int, list[tuple[list[str], Tag]]]:
    """{id(item): [(property names, element)]} for every itemprop, owned by its nearest item."""
    owned: dict[int, list[tuple[list[str], Tag]]] = {}
    for el in soup.find_all(attrs={"itemprop": True}):
        owner = _nearest(el, lambda a: a.has_attr("itemscope"))
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
    drop = [el for el in others if _inside(el, item)]
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
    for node in _json_ld_threads(page.soup):
        root = _json_ld_entry(page, node)
        comments: list[_Entry] = []
        _json_ld_replies(page, node, None, comments, depth=0)
        return root, comments
    return None, []


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
    entries = [el for el in page.soup.find_all(class_=True) if _mf_classes(el) & {MF_ENTRY, *MF_COMMENT_CLASSES}]
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
    root = _mf_entry(page, root_el, comment_els) if root_el is not None else None
    made: dict[int, _Entry] = {}
    comments = []
    for el in comment_els:
        entry = _mf_entry(page, el, [c for c in comment_els if c is not el])
        holder = _nearest(el, lambda a: id(a) in ids)
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
    drop = [el for el in others if _inside(el, item)]
    if body is None:
        chrome = [el for el in (author, published, url, reply_to) if el is not None]
        entry.text, entry.hrefs = _text_and_links(page, item, drop=drop + chrome)
    else:
        entry.text, entry.hrefs = _text_and_links(page, body, drop=drop)
    entry.native_id = _native_id(item) or _native_id_of_url(entry.permalink)
    return entry


# --- strategy 3: common comment markup ------------------------------------------------------


def _container_candidates(soup: BeautifulSoup) -> Iterator[Tag]:
    seen: set[int] = set()
    for selector in COMMENT_CONTAINER_SELECTORS:
        for el in soup.select(selector):
            if id(el) in seen or el.name in NOT_CONTAINERS:
                continue
            seen.add(id(el))
            if selector.startswith("[id^=") and not COMMENT_ID.match(str(el.get("id", ""))):
                continue
            if el.find_parent("form") is not None:
                continue
            yield el


def _from_comment_markup(page: _Page) -> tuple[_Entry | None, list[_Entry]]:
    order = {id(el): i for i, el in enumerate(page.soup.find_all(True))}
    candidates = sorted(_container_candidates(page.soup), key=lambda el: order.get(id(el), 0))
    kept: list[Tag] = []
    kept_ids: set[int] = set()
    inherited: dict[int, str] = {}
    for el in candidates:
        holder, wrapped = None, False
        for anc in el.parents:
            if id(anc) in kept_ids:
                holder = anc
                break
            if _classes(anc) & NESTED_REPLY_CLASSES:
                wrapped = True
        if holder is not None and not wrapped:
            mine, theirs = _container_id(el), _container_id(holder) or inherited.get(id(holder))
            if not (mine and theirs and mine != theirs):
                # the same comment seen twice (an li and the div inside it): keep the outer one
                if mine and not theirs:
                    inherited[id(holder)] = mine
                continue
        kept.append(el)
        kept_ids.add(id(el))
    entries: dict[int, _Entry] = {}
    comments = []
    for el in kept:
        others = [k for k in kept if k is not el and _inside(k, el)]
        entry = _markup_entry(page, el, others)
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


def _markup_entry(page: _Page, el: Tag, others: list[Tag]) -> _Entry:
    entry = _Entry(element=el, native_id=_container_id(el))
    blocked = others + [w for w in el.find_all(True) if _classes(w) & NESTED_REPLY_CLASSES]

    def own(selectors) -> Iterator[Tag]:
        for selector in selectors:
            for found in el.select(selector):
                if not any(found is b or _inside(found, b) for b in blocked):
                    yield found

    author_el = None
    for found in own(COMMENT_AUTHOR_SELECTORS):
        name = _author_from(found.get_text(" "))
        if name:
            author_el, entry.author = found, name
            break
    if author_el is not None:
        entry.author_url = _author_url(page, author_el)
    date_el = None
    for found in own(COMMENT_DATE_SELECTORS):
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
    body = next(own(COMMENT_BODY_SELECTORS), None)
    if body is not None:
        entry.text, entry.hrefs = _text_and_links(page, body, drop=blocked, chrome=COMMENT_CHROME_SELECTORS)
    else:
        headers = [_header_block(el, found) for found in (author_el, date_el) if found is not None]
        entry.text, entry.hrefs = _text_and_links(
            page, el, drop=blocked + [h for h in headers if h is not None], chrome=COMMENT_CHROME_SELECTORS
        )
    permalink = next(own(COMMENT_PERMALINK_SELECTORS), None)
    if permalink is not None:
        entry.permalink = page.absolute(permalink.get("href"))
    reply_to = next(own(IN_REPLY_TO_SELECTORS), None)
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
    soup = page.soup
    comments = {id(el) for el in comment_elements}
    for selector in COMMENT_SECTION_SELECTORS:
        comments.update(id(el) for el in soup.select(selector))
    furniture = set(comments)
    for selector in NOT_POST_SELECTORS:
        furniture.update(id(el) for el in soup.select(selector))

    def allowed(el: Tag) -> bool:
        return id(el) not in furniture and not any(id(a) in furniture for a in el.parents)

    def not_comment(el: Tag) -> bool:
        return id(el) not in comments and not any(id(a) in comments for a in el.parents)

    drop = [el for el in comment_elements]
    body = None
    for selector in POST_BODY_SELECTORS:
        best = max(((len(_text_and_links(page, el, drop=drop, chrome=NOT_POST_SELECTORS)[0]), el)
                    for el in soup.select(selector) if allowed(el)), default=None, key=lambda pair: pair[0])
        if best and best[0] >= MIN_POST_CHARS:
            body = best[1]
            break
    if body is None:
        body = _densest(soup, allowed)
    if body is None:
        body = next((el for sel in POST_FALLBACK_SELECTORS for el in soup.select(sel) if allowed(el)), None)
    entry = _Entry(element=body)
    if body is not None:
        entry.text, entry.hrefs = _text_and_links(page, body, drop=drop, chrome=NOT_POST_SELECTORS)
    start = body if body is not None else soup.body
    author_el = None
    if start is not None:
        found = _near(start, POST_AUTHOR_SELECTORS, lambda el: _author_from(el.get_text(" ")), not_comment)
        if found:
            entry.author, author_el = found
    if entry.author is None:
        entry.author = _author_from(meta(soup, "author", "dc.creator", "DC.creator") or "")
    entry.date = page.date(meta(soup, "article:published_time", "datePublished", "dc.date.issued", "DC.date.issued"))
    for origin in (author_el, start):
        if entry.date is None and origin is not None:
            found = _near(origin, POST_DATE_SELECTORS, lambda el: _date_of(page, el), not_comment)
            if found:
                entry.date = found[0]
    return entry


def _densest(soup: BeautifulSoup, allowed: Callable[[Tag], bool]) -> Tag | None:
    """The element whose own paragraphs hold the most text: the article on most pages."""
    best, best_score = None, MIN_POST_CHARS - 1
    for el in soup.find_all(True):
        paragraphs = el.find_all(PARAGRAPH_TAGS, recursive=False)
        if not paragraphs:
            continue
        score = sum(len(p.get_text(" ", strip=True)) for p in paragraphs)
        if score > best_score and allowed(el):
            best, best_score = el, score
    return best


def _near(start: Tag, selectors, accept: Callable[[Tag], str | None], allowed: Callable[[Tag], bool]):
    """(value, element) of the first element near ``start`` that ``accept`` takes: looking in
    ``start`` first, then each ancestor in turn, selectors in priority order at each level."""
    levels = [start, *start.parents][:MAX_METADATA_LEVELS]
    for level in levels:
        if not isinstance(level, Tag) or level.name in ("html", "[document]"):
            break
        for selector in selectors:
            matches = ([level] if level.css.match(selector) else []) + level.select(selector)
            for el in matches:
                if not allowed(el):
                    continue
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
    for selector in chrome:
        for found in clone.select(selector):
            found.extract()
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


def _page_url(soup: BeautifulSoup) -> str | None:
    """The page's own address: canonical link or og:url, a relative one resolved against the other."""
    link = soup.find("link", rel="canonical", href=True)
    candidates = [link["href"].strip() if link else None, meta(soup, "og:url"), meta(soup, "twitter:url")]
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


def _dayfirst(soup: BeautifulSoup) -> bool:
    lang = soup.html.get("lang") if soup.html is not None else None
    lang = lang or meta(soup, "og:locale", "language", "content-language") or ""
    lang = str(lang).strip().lower().replace("_", "-")
    return bool(lang) and lang not in MONTH_FIRST_LANGUAGES
