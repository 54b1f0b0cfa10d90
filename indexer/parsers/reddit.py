"""Reddit threads: the API's JSON (comments endpoint, ``api/morechildren``), old.reddit pages and new (shreddit) pages.

A Reddit file is recognised by its shape, never by its name:

* the comments endpoint (``/comments/<id>.json``) is a two-element list of Listings: the first
  holds the post (a ``t3`` thing), the second the comment tree (``t1`` things with their
  ``replies`` Listings nested inside them, and ``more`` stubs where Reddit left comments out);
* an ``api/morechildren`` response is ``{"json": {"data": {"things": [...]}}}``: a flat list of
  ``t1`` things (and ``more`` stubs), each naming its parent (``parent_id``) and its thread
  (``link_id``);
* an old.reddit page has ``div.thing.link`` for the post and ``div.thing.comment`` for each
  comment, replies nested in the comment's ``.child .sitetable``;
* a new reddit page has a ``shreddit-post`` element; its comments are loaded later by script,
  so a saved page usually holds the post alone (a thread of zero comments, not a failure), and
  ``shreddit-comment`` elements are read when the page was saved after they loaded.

Every file of one Reddit thread gets the same thread id (``reddit:<post id>``), so a thread's
JSON and the morechildren responses that complete it merge into one thread in the index. A
morechildren comment whose parent is in another file still names that parent (the comment ids
are the same in every file).

``more`` stubs are not comments: what they stand for is added to ``Thread.not_loaded`` (their
``count``, else the number of ids they list, and 1 for a "continue this thread" stub, which
gives neither). Bodies Reddit shows as ``[deleted]`` or ``[removed]`` are kept as ``kind:
deleted``, apart from the comments.
"""

from __future__ import annotations

import re
import warnings
from copy import copy
from datetime import datetime, timezone
from html import unescape
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from indexer.dates import iso_date, to_iso
from indexer.parsers.base import (
    ParseError,
    Parser,
    ShapeError,
    SourceFile,
    ThreadBuilder,
    clean_text,
    load_json,
    parse_errors,
)
from indexer.parsers.html import links_of, meta, text_of, time_of
from indexer.records import Post, Thread

REDDIT = "https://www.reddit.com"

# -- recognising a Reddit file --------------------------------------------------------------------
JSON_START = re.compile(r"^\s*[\[{]")
# Reddit's own thing kinds; "Listing" and "t1"/"t3" appear in the first bytes of every API answer.
JSON_MARKER = re.compile(r'"kind"\s*:\s*"(?:Listing|t1|t3|more)"')
HTML_MARKERS = (
    re.compile(r"<shreddit-post\b"),  # new reddit
    re.compile(r"""\bid=["']thing_t[13]_[0-9a-z]+["']"""),  # old reddit
    re.compile(r"""\bdata-fullname=["']t[13]_[0-9a-z]+["']"""),
)

# -- the API's JSON ---------------------------------------------------------------------------
DELETED_BODIES = frozenset({"[deleted]", "[removed]"})
# The body as Reddit escapes it without ``raw_json=1``: "&lt;div class=&quot;md&quot;&gt;…"
ESCAPED_HTML = re.compile(r"^\s*&lt;")

# -- old.reddit pages -------------------------------------------------------------------------
OLD_POST_SELECTORS = ("#siteTable > div.thing.link", "div.thing.link", "div.thing[data-type=link]")
OLD_COMMENT_SELECTOR = "div.thing.comment"
OLD_BODY_SELECTORS = (".usertext-body .md", ".md")  # inside the thing's own .entry
OLD_TITLE_SELECTORS = ("a.title", "p.title a")
OLD_AUTHOR_SELECTORS = ("a.author", "span.author", "em")  # "em" holds "[deleted]" on deleted things
# "load more comments (3 replies)" and "continue this thread"
OLD_MORE_SELECTOR = "div.thing.morechildren, div.morechildren"
OLD_DEEP_THREAD_SELECTOR = "div.deepthread"
# how far up from a reply its parent comment may be (.child, .sitetable, then the thing)
OLD_NESTING_DEPTH = 4
MORE_COUNT = re.compile(r"\((\d[\d,]*)\s+(?:repl|comment|child)", re.I)

# -- new reddit (shreddit) pages --------------------------------------------------------------
SHREDDIT_POST = "shreddit-post"
SHREDDIT_COMMENT = "shreddit-comment"
SHREDDIT_POST_BODY_SELECTORS = ('[slot="text-body"] .md', '[slot="text-body"]')
SHREDDIT_COMMENT_BODY_SELECTORS = ('[slot="comment"]', ".md")
SHREDDIT_COMMENT_DATE_SELECTORS = ("faceplate-timeago[ts]", "time[datetime]")

# -- links ------------------------------------------------------------------------------------
# Reddit links every "r/name" and "u/name" it sees: mentions, not links the commenter wrote.
MENTION_HREF = re.compile(r"^/?(?:r|u|user)/[\w-]+/?$")



class RedditParser(Parser):
    PLATFORM = "reddit"
    DESCRIPTION = (
        "Reddit threads: API JSON (comments endpoint with more stubs, api/morechildren), old.reddit and "
        "new reddit (shreddit) pages; deleted and removed comments kept apart"
    )

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        head = source.head
        if JSON_START.match(head):
            return bool(JSON_MARKER.search(head))
        if not source.looks_like_html:
            return False
        text = source.text
        return any(marker.search(text) for marker in HTML_MARKERS)

    def parse(self, source: SourceFile) -> list[Thread]:
        with parse_errors("reddit", source):
            if JSON_START.match(source.head):
                return _from_json(source, load_json(source, "reddit"))
            if source.looks_like_html:
                return [_from_html(source)]
            raise ParseError(source.relpath, "reddit: neither Reddit JSON nor a Reddit page")


# -- JSON -------------------------------------------------------------------------------------



def _from_json(source: SourceFile, data) -> list[Thread]:
    # [t3 Listing, t1 Listing]: the comments endpoint
    if isinstance(data, list):
        listings = [_listing_children(item) for item in data]
        posts = [t for t in (listings[0] if listings else []) if _kind(t) == "t3"]
        if not posts:
            raise ShapeError("a list, but its first Listing holds no post (t3 thing)")
        comments = listings[1] if len(listings) > 1 else []
        thread = _JsonThread(source, _data(posts[0]))
        thread.add_things(comments)
        return [thread.build()]
    if not isinstance(data, dict):
        raise ShapeError("JSON that is neither a list nor an object")
    # {"json": {"errors": [], "data": {"things": [...]}}}: api/morechildren
    if "json" in data:
        wrapper = data["json"]
        errors = wrapper.get("errors") if isinstance(wrapper, dict) else None
        if errors:
            raise ParseError(source.relpath, f"reddit: the API answered with errors: {errors!r:.200}")
        things = _get(_get(wrapper, "data", dict), "things", list)
    elif data.get("kind") == "Listing":
        things = _listing_children(data)
    elif data.get("kind") in ("t1", "t3"):
        things = [data]
    else:
        raise ShapeError("an object that is not a Listing, a thing or a morechildren answer")
    return _loose_things(source, things)


def _loose_things(source: SourceFile, things: list) -> list[Thread]:
    """Things not under a post (morechildren answers, listings): one thread per post they belong to."""
    threads: dict[str, _JsonThread] = {}
    owner: dict[str, str] = {}  # comment id -> link id, to place "more" stubs
    stubs = []
    for thing in things:
        kind, data = _kind(thing), _data(thing)
        if kind == "more":
            stubs.append(data)
            continue
        if kind == "t3":
            link = _str(data.get("id")) or _strip_prefix(data.get("name"))
            if link not in threads:
                threads[link] = _JsonThread(source, data)
            continue
        if kind != "t1":
            continue
        link = _strip_prefix(data.get("link_id"))
        if not link:
            raise ShapeError("a comment without link_id: cannot tell which thread it belongs to")
        if link not in threads:
            threads[link] = _JsonThread(source, None, link_id=link, sample=data)
        owner[_str(data.get("id"))] = link
        threads[link].add_things([thing])
    if not threads:
        raise ParseError(source.relpath, "reddit: no post and no comment in the file")
    first = next(iter(threads.values()))
    for stub in stubs:
        link = owner.get(_strip_prefix(stub.get("parent_id")))
        (threads[link] if link else first).add_more(stub)
    return [t.build() for t in threads.values()]


class _JsonThread:
    """One thread being built from API things: the post (when the file has it) and comments in page order."""

    def __init__(self, source: SourceFile, post: dict | None, *, link_id: str | None = None,
                 sample: dict | None = None):
        self.not_loaded = 0
        self.has_post = post is not None
        if post is not None:
            link_id = _str(post.get("id")) or _strip_prefix(post.get("name"))
            if not link_id:
                raise ShapeError("a post (t3 thing) without an id")
            self.permalink = _absolute(post.get("permalink"))
            date = _utc(post.get("created_utc"))
            author = _str(post.get("author")) or None
            self.builder = ThreadBuilder(source, RedditParser.PLATFORM, url=self.permalink,
                                         title=_str(post.get("title")), author=author, date=date,
                                         thread_key=f"reddit:{link_id}")
            text, hrefs = _json_text(post.get("selftext_html"), post.get("selftext"))
            if not post.get("is_self", True) and post.get("url"):
                hrefs.append(unescape(_str(post["url"])))
            self.builder.add(kind="post", author=author, text=text, native_id=link_id, date=date,
                             hrefs=hrefs, permalink=self.permalink)
            self.builder.thread.declared_comments = _int(post.get("num_comments"))
        else:
            subreddit = _str((sample or {}).get("subreddit"))
            self.permalink = f"{REDDIT}/r/{subreddit}/comments/{link_id}/" if subreddit else None
            self.builder = ThreadBuilder(source, RedditParser.PLATFORM, url=self.permalink,
                                         site="reddit.com", thread_key=f"reddit:{link_id}")
        self.link_id = link_id

    def add_things(self, things: list) -> None:
        """Comments depth-first in page order, each followed by its replies; "more" stubs counted."""
        stack = list(reversed(things))
        while stack:
            thing = stack.pop()
            kind, data = _kind(thing), _data(thing)
            if kind == "more":
                self.add_more(data)
            elif kind == "t1":
                self._add_comment(data)
                replies = data.get("replies")
                if replies:  # "" when there are none
                    stack.extend(reversed(_listing_children(replies)))

    def add_more(self, stub: dict) -> None:
        count = _int(stub.get("count")) or 0
        children = stub.get("children") if isinstance(stub.get("children"), list) else []
        self.not_loaded += max(count, len(children), 1)

    def _add_comment(self, data: dict) -> None:
        native_id = _str(data.get("id")) or _strip_prefix(data.get("name"))
        if not native_id:
            raise ShapeError("a comment (t1 thing) without an id")
        text, hrefs = _json_text(data.get("body_html"), data.get("body"))
        permalink = _absolute(data.get("permalink"))
        if not permalink and self.permalink:
            # the post's permalink has its slug ("/comments/<id>/<slug>/"), the URL made without the post has none
            permalink = (f"{self.permalink}{native_id}/" if self.has_post
                         else f"{self.permalink}comment/{native_id}/")
        _add(self.builder, native_id=native_id, parent=_parent(data.get("parent_id")),
             author=_str(data.get("author")) or None, text=text, date=_utc(data.get("created_utc")),
             hrefs=hrefs, permalink=permalink)

    def build(self) -> Thread:
        thread = self.builder.build()
        thread.not_loaded = self.not_loaded
        return thread


def _json_text(html_body, markdown) -> tuple[str, list[str]]:
    """Text and links of a body: its HTML rendering where the file has one, else its markdown."""
    if isinstance(html_body, str) and html_body.strip():
        if ESCAPED_HTML.match(html_body):
            html_body = unescape(html_body)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            soup = BeautifulSoup(html_body, "lxml")
        return body_text(soup.body or soup)
    if isinstance(markdown, str):
        # without raw_json=1 Reddit escapes &, < and > in the markdown too ("&gt; quoted")
        return unescape(markdown).strip(), []
    return "", []


def _listing_children(listing) -> list:
    if not isinstance(listing, dict) or listing.get("kind") != "Listing":
        raise ShapeError("expected a Listing")
    return _get(_get(listing, "data", dict), "children", list)


def _kind(thing) -> str:
    if not isinstance(thing, dict):
        raise ShapeError("a thing that is not an object")
    return _str(thing.get("kind"))


def _data(thing) -> dict:
    return _get(thing, "data", dict)


def _get(obj, key: str, kind: type):
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, kind):
        raise ShapeError(f"expected {key!r} to be a {kind.__name__}")
    return value


# -- old.reddit pages -------------------------------------------------------------------------


def _from_html(source: SourceFile) -> Thread:
    soup = source.soup
    post_el = soup.find(SHREDDIT_POST)
    if post_el is not None:
        return _from_shreddit(source, soup, post_el)
    return _from_old_reddit(source, soup)


def _from_old_reddit(source: SourceFile, soup: BeautifulSoup) -> Thread:
    post_el = next((el for sel in OLD_POST_SELECTORS for el in soup.select(sel)), None)
    comments = soup.select(OLD_COMMENT_SELECTOR)
    if post_el is None and not comments:
        raise ParseError(source.relpath, "reddit: no post and no comment on the page")
    link_id = _strip_prefix(post_el.get("data-fullname")) if post_el is not None else None
    if not link_id and comments:
        link_id = _link_of_permalink(comments[0].get("data-permalink"))
    key = f"reddit:{link_id}" if link_id else None

    builder: ThreadBuilder
    if post_el is not None:
        entry = _own_entry(post_el) or post_el
        permalink = _absolute(post_el.get("data-permalink")) or _canonical(soup)
        title_el = next((e for s in OLD_TITLE_SELECTORS if (e := entry.select_one(s)) is not None), None)
        title = clean_text(title_el.get_text(" ")) if title_el is not None else meta(soup, "og:title")
        author = _old_author(post_el, entry)
        date = _old_date(post_el, entry)
        builder = ThreadBuilder(source, RedditParser.PLATFORM, url=permalink, title=title, author=author,
                                date=date, thread_key=key)
        text, hrefs = body_text(_first_in(entry, OLD_BODY_SELECTORS))
        if "self" not in (post_el.get("class") or []):
            link = _absolute(post_el.get("data-url"))
            if link and link != permalink:
                hrefs.append(link)
        builder.add(kind="post", author=author, text=text, native_id=link_id, date=date, hrefs=hrefs,
                    permalink=permalink)
        builder.thread.declared_comments = _int(post_el.get("data-comments-count"))
    else:
        builder = ThreadBuilder(source, RedditParser.PLATFORM, url=_canonical(soup), site="reddit.com",
                                thread_key=key)

    for comment in comments:
        native_id = _strip_prefix(comment.get("data-fullname")) or _strip_prefix(
            (comment.get("id") or "").removeprefix("thing_"))
        entry = _own_entry(comment)
        parent_el = _parent_thing(comment)
        parent = _strip_prefix(parent_el.get("data-fullname")) if parent_el is not None else None
        text, hrefs = body_text(_first_in(entry, OLD_BODY_SELECTORS) if entry is not None else None)
        deleted = "deleted" in (comment.get("class") or [])
        _add(builder, native_id=native_id, parent=parent, author=_old_author(comment, entry), text=text,
             date=_old_date(comment, entry), hrefs=hrefs, permalink=_absolute(comment.get("data-permalink")),
             deleted=deleted)

    not_loaded = 0
    for more in soup.select(OLD_MORE_SELECTOR):
        found = MORE_COUNT.search(more.get_text(" "))
        not_loaded += int(found.group(1).replace(",", "")) if found else 1
    not_loaded += len(soup.select(OLD_DEEP_THREAD_SELECTOR))
    thread = builder.build()
    thread.not_loaded = not_loaded
    return thread


def _parent_thing(comment: Tag) -> Tag | None:
    """The comment a reply sits under: ``div.thing.comment > .child > .sitetable > div.thing.comment``."""
    element = comment.parent
    for _ in range(OLD_NESTING_DEPTH):
        if element is None or not isinstance(element, Tag):
            return None
        classes = element.get("class") or []
        if "thing" in classes:
            return element if "comment" in classes else None
        element = element.parent
    return None


def _own_entry(thing: Tag) -> Tag | None:
    """The thing's own ``.entry`` (its byline and body), never one of its replies'."""
    return thing.find("div", class_="entry", recursive=False)


def _old_author(thing: Tag, entry: Tag | None) -> str | None:
    author = thing.get("data-author")
    if author or entry is None:
        return author or None
    tagline = entry.find(class_="tagline") or entry
    found = _first_in(tagline, OLD_AUTHOR_SELECTORS)
    return (clean_text(found.get_text(" ")) or None) if found is not None else None


def _old_date(thing: Tag, entry: Tag | None) -> str | None:
    tagline = (entry.find(class_="tagline") or entry) if entry is not None else None
    for stamp in tagline.find_all("time") if tagline is not None else ():
        if "edited-timestamp" not in (stamp.get("class") or []):
            found = time_of(stamp)
            if found:
                return found
    stamp = thing.get("data-timestamp")
    return iso_date(stamp) if stamp else None


def _link_of_permalink(permalink: str | None) -> str | None:
    found = re.search(r"/comments/([0-9a-z]+)/", permalink or "")
    return found.group(1) if found else None


# -- new reddit (shreddit) pages ----------------------------------------------------------------


def _from_shreddit(source: SourceFile, soup: BeautifulSoup, post_el: Tag) -> Thread:
    link_id = _strip_prefix(post_el.get("id"))
    permalink = _absolute(post_el.get("permalink")) or _canonical(soup)
    author = post_el.get("author") or None
    date = iso_date(post_el.get("created-timestamp")) if post_el.get("created-timestamp") else None
    title = post_el.get("post-title") or meta(soup, "og:title")
    builder = ThreadBuilder(source, RedditParser.PLATFORM, url=permalink, title=title, author=author, date=date,
                            thread_key=f"reddit:{link_id}" if link_id else None)
    body = soup.find(id=f"{post_el.get('id')}-post-rtjson-content") if post_el.get("id") else None
    if body is None:
        body = _first_in(post_el, SHREDDIT_POST_BODY_SELECTORS)
    text, hrefs = body_text(body)
    link = post_el.get("content-href")
    if post_el.get("post-type") == "link" and link and _absolute(link) != permalink:
        hrefs.append(_absolute(link))
    builder.add(kind="post", author=author, text=text, native_id=link_id, date=date, hrefs=hrefs,
                permalink=permalink)
    declared = _int(post_el.get("comment-count"))
    builder.thread.declared_comments = declared

    found = 0
    for comment in soup.find_all(SHREDDIT_COMMENT):
        native_id = _strip_prefix(comment.get("thingid"))
        body = next((el for sel in SHREDDIT_COMMENT_BODY_SELECTORS for el in comment.select(sel)
                     if el.find_parent(SHREDDIT_COMMENT) is comment), None)
        stamp = next((el for sel in SHREDDIT_COMMENT_DATE_SELECTORS for el in comment.select(sel)
                      if el.find_parent(SHREDDIT_COMMENT) is comment), None)
        date = None
        if stamp is not None:
            date = iso_date(stamp.get("ts")) if stamp.get("ts") else time_of(stamp)
        text, hrefs = body_text(body)
        deleted = comment.has_attr("is-deleted") or comment.has_attr("collapsed-because-deleted")
        _add(builder, native_id=native_id, parent=_parent(comment.get("parentid")),
             author=comment.get("author") or None, text=text, date=date, hrefs=hrefs,
             permalink=_absolute(comment.get("permalink")), deleted=deleted)
        found += 1
    thread = builder.build()
    # the comments are fetched by script after the page loads: the page names them but holds none
    thread.not_loaded = max((declared or 0) - found, 0)
    return thread


# -- shared -------------------------------------------------------------------------------------


def _add(builder: ThreadBuilder, *, native_id: str | None, parent: str | None, author: str | None, text: str,
         date: str | None, hrefs: list[str], permalink: str | None, deleted: bool = False) -> Post:
    """Add a comment; one whose body Reddit shows as deleted or removed is kept as ``kind: deleted``."""
    kind = "deleted" if deleted or text.strip() in DELETED_BODIES else "comment"
    post = builder.add(kind=kind, author=author, text=text, native_id=native_id, parent=parent, date=date,
                       hrefs=hrefs, permalink=permalink)
    if parent and post.parent_id is None:
        # the parent is in another file of the same thread (a morechildren answer): ids agree across files
        post.parent_id = f"{builder.thread.id}-c{parent}"
    return post


def body_text(element: Tag | None) -> tuple[str, list[str]]:
    """Readable text of a rendered body, quotes as ``> `` lines, and the links its author wrote."""
    if element is None:
        return "", []
    element = copy(element)
    for anchor in element.find_all("a", href=True):
        if MENTION_HREF.match(anchor["href"].strip()):
            anchor["href"] = "#"
    # Reddit's autolinker makes a bare "www." into http://www/: a host without a dot is no link
    links = [url for url in links_of(element, REDDIT) if "." in (urlsplit(url).hostname or "")]
    _quote_blockquotes(element)
    return text_of(element), links


def _quote_blockquotes(element: Tag) -> None:
    """Replace each blockquote by a paragraph of ``> `` lines (innermost first, so nesting gives ``> > ``)."""
    for quote in reversed(element.find_all("blockquote")):
        lines = [line for line in text_of(quote).split("\n") if line.strip()]
        paragraph = Tag(name="p")
        for i, line in enumerate(lines):
            if i:
                paragraph.append(Tag(name="br"))
            paragraph.append(NavigableString(f"> {line}"))
        quote.replace_with(paragraph)


def _first_in(root: Tag, selectors) -> Tag | None:
    for selector in selectors:
        found = root.select_one(selector)
        if found is not None:
            return found
    return None


def _canonical(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical", href=True)
    return link["href"].strip() if link else meta(soup, "og:url")


def _parent(fullname) -> str | None:
    """The parent's id when it is a comment (``t1_x``); the post (``t3_x``) is no comment's parent."""
    value = _str(fullname)
    return value[3:] if value.startswith("t1_") else None


def _strip_prefix(fullname) -> str | None:
    value = _str(fullname)
    return re.sub(r"^t\d_", "", value) or None


def _absolute(path) -> str | None:
    value = _str(path).strip()
    if not value:
        return None
    if value.startswith("/"):
        return REDDIT + value
    return value if value.startswith(("http://", "https://")) else None


def _utc(seconds) -> str | None:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        return None
    try:
        return to_iso(datetime.fromtimestamp(seconds, tz=timezone.utc))
    except (OverflowError, OSError, ValueError):
        return None


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).replace(",", "").strip())
    except (TypeError, ValueError):
        return None


def _str(value) -> str:
    return value if isinstance(value, str) else ""
