"""Discourse topics: topic JSON, paginated posts.json pages, the latest-posts JSON, topic RSS feeds and saved pages.

A Discourse file is recognised by its shape and markup, never by its name:

* ``/t/<id>.json`` (a topic) and ``/t/<id>/posts.json`` (one page of a topic's posts) are
  objects whose ``post_stream.posts`` are posts with a ``post_number`` and ``cooked`` HTML;
* ``/posts.json`` (the forum's latest posts) is ``{"latest_posts": [...]}``: posts of several
  topics, each naming its ``topic_id``; every topic becomes a thread of its own;
* a topic's RSS feed (``/t/<slug>/<id>.rss``) is ``<rss>`` with one ``<item>`` per post, its
  ``dc:creator``, a ``guid`` like ``<host>-post-<topic>-<number>`` and a link ending in the post
  number; the feed lists the latest post first, the thread is put back in post-number order;
* a saved topic page has the ``Discourse`` generator meta or Discourse's own markup. Its posts
  come from the preloaded topic JSON (``data-preloaded``) when that decodes, else from the
  crawler view (``<noscript>`` with schema.org ``DiscussionForumPosting`` posts).

Every file of one topic gets the same thread id, from ``discourse:<host>:<topic id>``, so the
pages of a topic merge in the index. The host is what the file names: its canonical or feed
link, an absolute internal link (``details.links``, ``link_counts``) or the
``/user_avatar/<host>/`` path of an avatar; a file naming no host at all falls back to
``discourse:?:<topic id>:<slug>``. Where the file gives no URL the thread's URL and the posts'
permalinks are built from that host over https (``https://<host>/t/<slug>/<id>``).

Posts are in post-number order. Number 1 is the root (``kind: post``), the others comments. A
post's native id is its Discourse post id; the RSS feed and the crawler view give no post ids,
so their posts use ``n<post number>`` (a topic saved both as JSON and as RSS indexes the posts
the two share twice). ``reply_to_post_number`` gives the parent when the post replied to is in
the same file; a reply to a post on another page keeps no parent (the page names the parent's
number, not its id). ``declared_comments`` is ``posts_count - 1``.

Authors are usernames. Discourse shows the username first and the full name, when set, beside
it in grey (the crawler view writes ``techAPJ (Arpit Jalan)``); the RSS feed names users by
username alone, and ``name`` is often empty. So every format gives the same author.

Small-action posts (``post_type`` 3: "closed this topic", "pinned globally") are notices, not
posts, and are skipped. Posts Discourse shows as deleted or hidden are ``kind: deleted``.
Quotes (``aside.quote``, ``blockquote``) become ``> `` lines under the quoted user's name;
oneboxes (previews of a linked page) become the linked URL; mentions, hashtags, quote headers
and full-size picture links are not links the author wrote. E-mail addresses typed into a post
are hidden (``[address hidden]``).
"""

from __future__ import annotations

import json
import re
import warnings
from html import unescape
from json.decoder import scanstring
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from indexer.dates import iso_date
from indexer.links import normalize_domain
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
from indexer.parsers.html import canonical_url, first, links_of, meta, text_of
from indexer.parsers.messages import hide_addresses
from indexer.records import Thread

# -- recognising a Discourse file -------------------------------------------------------------
JSON_START = re.compile(r"^\s*\{")
JSON_POST_LISTS = re.compile(r'"(?:post_stream|latest_posts)"\s*:')
JSON_POST_FIELDS = (re.compile(r'"post_number"\s*:'), re.compile(r'"cooked"\s*:'))
RSS_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?<rss\b", re.I)
RSS_CREATOR = re.compile(r"<dc:creator\b")
# "meta.discourse.org-post-12345" (older feeds), "host-post-2108-452" (topic feeds), "host-topic-2108" (topic lists)
RSS_GUID = re.compile(r"<guid\b[^>]*>\s*[\w.-]+-(?:post|topic)-\d+(?:-\d+)?\s*</guid>")
GENERATOR_META = re.compile(
    r"""<meta\b[^>]*(?:name=["']generator["'][^>]*content=["']Discourse\b|content=["']Discourse\b[^>]*name=["']generator["'])""",
    re.I,
)
# Without the generator meta, MIN_MARKERS of these must appear.
HTML_MARKERS = (
    re.compile(r"""\bid=["']data-discourse-setup["']"""),
    re.compile(r"""class=["']topic-body crawler-post["']"""),
    re.compile(r"""<div\b[^>]*class=["'][^"']*\bcrawler-post-meta\b"""),
    re.compile(r"""\bdata-preloaded=["']"""),
    re.compile(r"""<noscript data-path=["']/t/"""),
    re.compile(r"/user_avatar/[\w.-]+/|/letter_avatar(?:_proxy)?/"),
)
MIN_MARKERS = 2

# -- the saved page -----------------------------------------------------------------------------
PRELOADED_TOPIC_KEY = re.compile(r"^topic_\d+$")
PRELOADED_TOPIC_ENTRY = re.compile(r'"topic_(\d+)"\s*:\s*"')
CRAWLER_POST_SELECTORS = (
    ".topic-body.crawler-post",
    "[itemtype$='schema.org/DiscussionForumPosting']",
    "[itemtype$='schema.org/Comment']",
)
CRAWLER_AUTHOR_SELECTORS = (".creator [itemprop=name]", "[itemprop=author] [itemprop=name]", ".creator a", ".creator")
CRAWLER_DATE_SELECTORS = ("[itemprop=datePublished]", "time.post-time", "[itemprop=dateModified]")
CRAWLER_BODY_SELECTORS = ("[itemprop=articleBody]", "[itemprop=text]", ".post")
CRAWLER_NUMBER_SELECTORS = ("[itemprop=position]", ".post-number")
TITLE_SELECTORS = ("h1.crawler-topic-title", "#topic-title h1", "h1")
TOPIC_PATH = re.compile(r"/t/(?:([^/?#]+)/)?(\d+)(?:/(\d+))?/?(?:[?#].*)?$")
POST_ELEMENT_ID = re.compile(r"^post_(\d+)$")

# -- posts --------------------------------------------------------------------------------------
SMALL_ACTION = 3  # post_type of "closed this topic" notices
DELETED_BODIES = re.compile(r"^\s*\((?:post deleted by author|post withdrawn by author)[^)]*\)\s*$", re.I)
AVATAR_HOST = re.compile(r"/user_avatar/([a-z0-9][a-z0-9.-]*\.[a-z]{2,})/", re.I)
HTTPS = "https://{}"

# -- the cooked HTML ----------------------------------------------------------------------------
# Dropped outright: chrome around quotes and pictures.
CHROME_SELECTORS = (".quote-controls", "aside.quote .title img", ".lightbox-wrapper", "img.avatar")
# Kept as text, but not links the author wrote: mentions, hashtags, the quoted post's header.
UNLINKED_SELECTORS = ("a.mention", "a.mention-group", "a.hashtag", "a.hashtag-cooked", "aside.quote .title a")
# Previews of a linked page or video, each standing for the one link the author pasted.
ONEBOX_SELECTORS = ("aside.onebox", "div.onebox", "div.lazy-video-container", "div.lazyYT", "div.video-onebox")
QUOTE_SELECTORS = "aside.quote"
# An RSS item's footer: "Read full topic" and "12 posts - 5 participants".
FEED_FOOTER = re.compile(r"(?i)^\s*(read full topic|\d+ posts? - \d+ participants?)\s*$")



class DiscourseParser(Parser):
    PLATFORM = "discourse"
    DESCRIPTION = (
        "Discourse topics: topic JSON, paginated posts.json pages, the latest-posts JSON, topic RSS feeds "
        "and saved topic pages (preloaded JSON or crawler view); pages of one topic share a thread"
    )

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        head = source.head
        if JSON_START.match(head):
            text = source.text
            return bool(JSON_POST_LISTS.search(text)) and all(p.search(text) for p in JSON_POST_FIELDS)
        if RSS_START.match(head):
            text = source.text
            return bool(RSS_CREATOR.search(text) and RSS_GUID.search(text))
        if not source.looks_like_html:
            return False
        text = source.text
        if GENERATOR_META.search(text[:65536]):
            return True
        return sum(1 for marker in HTML_MARKERS if marker.search(text)) >= MIN_MARKERS

    def parse(self, source: SourceFile) -> list[Thread]:
        with parse_errors("discourse", source):
            head = source.head
            if JSON_START.match(head):
                return _from_json(source, load_json(source, "discourse"))
            if RSS_START.match(head):
                return _from_feed(source)
            return _from_page(source)


# -- JSON ---------------------------------------------------------------------------------------



def _from_json(source: SourceFile, data, *, url: str | None = None, base: str | None = None) -> list[Thread]:
    if not isinstance(data, dict):
        raise ShapeError("JSON that is not an object")
    if "latest_posts" in data:
        posts = _posts(data.get("latest_posts"), "latest_posts")
        topic: dict = {}
    elif "post_stream" in data:
        stream = data.get("post_stream")
        if not isinstance(stream, dict):
            raise ShapeError("post_stream is not an object")
        posts = _posts(stream.get("posts"), "post_stream.posts")
        topic = data
    else:
        raise ShapeError("an object with neither post_stream nor latest_posts")
    base = base or _base_of_json(data, posts) or _folder_base(source)
    topic_of_file = _int(topic.get("id"))
    groups: dict[int | None, list[dict]] = {}
    for post in posts:
        topic_id = _int(post.get("topic_id"))
        groups.setdefault(topic_id if topic_id is not None else topic_of_file, []).append(post)
    if not groups:
        raise ParseError(source.relpath, "discourse: the file holds no posts")
    # the topic's own fields (title, slug, posts_count) belong to its posts, not to posts of other topics
    return [
        _topic_thread(source, group, topic if topic_id in (topic_of_file, None) else {}, topic_id, base, url)
        for topic_id, group in groups.items()
    ]


def _posts(value, name: str) -> list[dict]:
    if not isinstance(value, list):
        raise ShapeError(f"{name} is not a list")
    posts = [p for p in value if isinstance(p, dict)]
    if len(posts) != len(value):
        raise ShapeError(f"{name} holds something that is not a post")
    return posts


def _topic_thread(source: SourceFile, posts: list[dict], topic: dict, topic_id: int | None,
                  base: str | None, url: str | None) -> Thread:
    """One topic's thread from its posts in this file (any order) and what the file says of the topic."""
    sample = posts[0] if posts else {}
    slug = _str(topic.get("slug")) or _str(sample.get("topic_slug"))
    title = (_str(topic.get("title")) or unescape(_str(topic.get("fancy_title")))
             or _str(sample.get("topic_title")) or unescape(_str(sample.get("topic_html_title"))))
    if not url and base and topic_id is not None:
        url = f"{base}/t/{slug}/{topic_id}" if slug else f"{base}/t/{topic_id}"
    builder = _builder(source, base, topic_id, slug, url=url, title=title)

    posts_count = _int(topic.get("posts_count"))
    if posts_count is None:
        posts_count = next((n for n in (_int(p.get("posts_count")) for p in posts) if n is not None), None)
    ordered = sorted(posts, key=lambda p: (_int(p.get("post_number")) is None, _int(p.get("post_number")) or 0))
    native = {}  # post number -> native id, for reply_to_post_number
    for post in ordered:
        number = _int(post.get("post_number"))
        post_id = _int(post.get("id"))
        if number is not None:
            native[number] = f"n{number}"
    comments = 0
    for post in ordered:
        if _int(post.get("post_type")) == SMALL_ACTION:
            continue
        number = _int(post.get("post_number"))
        post_id = _int(post.get("id"))
        permalink = _absolute(_str(post.get("post_url")), base)
        if not permalink and url and number is not None:
            permalink = f"{url}/{number}"
        text, hrefs = cooked_text(post.get("cooked"), base, page_url=permalink)
        deleted = (bool(post.get("deleted_at")) or post.get("user_deleted") is True or post.get("hidden") is True
                   or bool(DELETED_BODIES.match(text)))
        kind = "post" if number == 1 else ("deleted" if deleted else "comment")
        comments += kind == "comment"
        username = _str(post.get("username")) or _str(post.get("name")) or _str(post.get("display_username"))
        builder.add(
            kind=kind,
            author=username or None,
            author_url=f"{base}/u/{username}" if base and _str(post.get("username")) else None,
            text=text,
            date=iso_date(_str(post.get("created_at"))),
            # post numbers, not post ids: the RSS feed and the crawler view show only numbers, and
            # one post saved in several of these files must keep one id to be merged
            native_id=f"n{number}" if number is not None else (str(post_id) if post_id is not None else None),
            parent=native.get(_int(post.get("reply_to_post_number"))),
            hrefs=hrefs,
            permalink=permalink,
        )
    thread = builder.build()
    if posts_count is not None:
        thread.declared_comments = max(posts_count - 1, 0)
        stream = topic.get("post_stream", {}).get("stream") if isinstance(topic.get("post_stream"), dict) else None
        if isinstance(stream, list) and stream:
            thread.not_loaded = max(len(stream) - len(posts), 0)
        else:
            thread.not_loaded = max(thread.declared_comments - comments, 0)
    return thread


def _base_of_json(data: dict, posts: list[dict]) -> str | None:
    """The forum's address as the JSON names it: internal links first, then avatar paths."""
    details = data.get("details") if isinstance(data.get("details"), dict) else {}
    candidates = list(details.get("links") or []) if isinstance(details.get("links"), list) else []
    for post in posts:
        if isinstance(post.get("link_counts"), list):
            candidates.extend(post["link_counts"])
    for link in candidates:
        if isinstance(link, dict) and link.get("internal") is True:
            base = _origin(_str(link.get("url")))
            if base:
                return base
    templates = [_str(p.get("avatar_template")) for p in posts]
    for key in ("created_by", "last_poster"):
        person = details.get(key)
        if isinstance(person, dict):
            templates.append(_str(person.get("avatar_template")))
    for template in templates:
        found = AVATAR_HOST.search(template)
        if found:
            return HTTPS.format(found.group(1).lower())
    return None


def _folder_base(source: SourceFile) -> str | None:
    site = source.folder_site
    return HTTPS.format(site) if site else None


# -- RSS ----------------------------------------------------------------------------------------


def _from_feed(source: SourceFile) -> list[Thread]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(source.text, "xml")
    channel = soup.find("channel")
    if channel is None:
        raise ParseError(source.relpath, "discourse: an RSS file without a channel (truncated file?)")
    channel_link = _child_text(channel, "link")
    base = _origin(channel_link) or _folder_base(source)
    channel_title = _child_text(channel, "title")
    groups: dict[str, list[dict]] = {}
    for item in channel.find_all("item"):
        link = _child_text(item, "link")
        guid = _child_text(item, "guid")
        slug, topic_id, number = _topic_path(link)
        guid_match = re.search(r"-(?:post|topic)-(\d+)(?:-(\d+))?$", guid)
        if topic_id is None and guid_match and guid_match.group(2):
            topic_id, number = int(guid_match.group(1)), int(guid_match.group(2))
        if topic_id is not None and number is None and "-topic-" in guid:
            number = 1  # a topic list's item is the topic's opening post
        description = item.find("description")
        groups.setdefault(str(topic_id or ""), []).append({
            "topic_id": topic_id,
            "topic_slug": slug,
            "topic_title": _child_text(item, "title") or channel_title,
            "post_number": number,
            "username": _child_text(item, "creator"),
            "cooked": description.get_text() if description is not None else "",
            "created_at": _child_text(item, "pubDate"),
            "post_url": link,
        })
    if not groups:
        raise ParseError(source.relpath, "discourse: the feed holds no items")
    threads = []
    channel_slug, channel_topic, _ = _topic_path(channel_link)
    for key, posts in groups.items():
        topic_id = int(key) if key else None
        url = channel_link if channel_topic is not None and channel_topic == topic_id else None
        title = channel_title if url else posts[0]["topic_title"]
        threads.append(_feed_thread(source, posts, topic_id, base, url, title))
    return threads


def _feed_thread(source: SourceFile, posts: list[dict], topic_id: int | None, base: str | None,
                 url: str | None, title: str | None) -> Thread:
    slug = next((p["topic_slug"] for p in posts if p["topic_slug"]), "")
    if not url and base and topic_id is not None:
        url = f"{base}/t/{slug}/{topic_id}" if slug else f"{base}/t/{topic_id}"
    builder = _builder(source, base, topic_id, slug, url=url, title=title)
    for post in sorted(posts, key=lambda p: (p["post_number"] is None, p["post_number"] or 0)):
        number = post["post_number"]
        permalink = _absolute(post["post_url"], base)
        text, hrefs = cooked_text(post["cooked"], base, page_url=permalink, feed=True)
        username = post["username"]
        builder.add(
            kind="post" if number == 1 else "comment",
            author=username or None,
            author_url=f"{base}/u/{username}" if base and username else None,
            text=text,
            date=iso_date(post["created_at"]),
            native_id=f"n{number}" if number is not None else None,
            hrefs=hrefs,
            permalink=permalink,
        )
    return builder.build()


def _child_text(element: Tag, name: str) -> str:
    child = element.find(name, recursive=False)
    return child.get_text().strip() if child is not None else ""


# -- saved pages ------------------------------------------------------------------------------


def _from_page(source: SourceFile) -> list[Thread]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = source.soup
    url = canonical_url(soup)
    setup = soup.find(id="data-discourse-setup")
    base = (_origin(setup.get("data-base-url")) if setup is not None else None) or _origin(url) or _folder_base(source)
    topic = _preloaded_topic(soup)
    if topic is not None:
        threads = _from_json(source, topic, url=url, base=base)
        if any(t.posts for t in threads):
            return threads
    return [_from_crawler_view(source, soup, url, base)]


def _preloaded_topic(soup: BeautifulSoup) -> dict | None:
    """The topic in the page's preloaded store: ``{"topic_<id>": "<the topic as a JSON string>", ...}``.

    Each entry is a JSON string of its own; when the outer object does not decode (a damaged
    entry elsewhere in the store), the topic's entry is decoded alone.
    """
    element = soup.find(attrs={"data-preloaded": True})
    if element is None:
        return None
    store = element.get("data-preloaded") or ""
    entries: list[str] = []
    try:
        outer = json.loads(store)
        if isinstance(outer, dict):
            entries = [v for k, v in outer.items() if PRELOADED_TOPIC_KEY.match(k) and isinstance(v, str)]
    except ValueError:
        for match in PRELOADED_TOPIC_ENTRY.finditer(store):
            try:
                entries.append(scanstring(store, match.end())[0])
            except ValueError:
                continue
    for entry in entries:
        try:
            topic = json.loads(entry)
        except ValueError:
            continue
        if isinstance(topic, dict) and isinstance(topic.get("post_stream"), dict):
            return topic
    return None


def _from_crawler_view(source: SourceFile, soup: BeautifulSoup, url: str | None, base: str | None) -> Thread:
    elements = []
    for selector in CRAWLER_POST_SELECTORS:
        elements = [e for e in soup.select(selector) if first(e, CRAWLER_BODY_SELECTORS) is not None]
        if elements:
            break
    if not elements:
        raise ParseError(source.relpath, "discourse: no posts on the page (neither preloaded JSON nor crawler view)")
    slug, topic_id, _ = _topic_path(url)
    if topic_id is None:
        noscript = soup.find("noscript", attrs={"data-path": True})
        slug, topic_id, _ = _topic_path(noscript["data-path"] if noscript is not None else None)
    title_el = first(soup, TITLE_SELECTORS)
    title = (clean_text(title_el.get_text(" ")) if title_el is not None else "") or meta(soup, "og:title", "headline")
    builder = _builder(source, base, topic_id, slug or "", url=url, title=title)
    entries = []
    for index, element in enumerate(elements):
        number = _crawler_number(element)
        entries.append((number if number is not None else index + 1, element))
    for number, element in sorted(entries, key=lambda e: e[0]):
        author_el = first(element, CRAWLER_AUTHOR_SELECTORS)
        author = clean_text(author_el.get_text(" ")) if author_el is not None else None
        profile = author_el.find_parent("a", href=True) if author_el is not None else None
        date_el = first(element, CRAWLER_DATE_SELECTORS)
        date = None
        if date_el is not None:
            date = iso_date(date_el.get("content") or date_el.get("datetime") or date_el.get_text(" "))
        permalink = f"{url}/{number}" if url else None
        text, hrefs = cooked_text(str(first(element, CRAWLER_BODY_SELECTORS)), base, page_url=permalink)
        builder.add(
            kind="post" if number == 1 else "comment",
            author=author or None,
            author_url=_absolute(profile["href"], base) if profile is not None else None,
            text=text,
            date=date,
            native_id=f"n{number}",
            hrefs=hrefs,
            permalink=permalink,
        )
    return builder.build()


def _crawler_number(element: Tag) -> int | None:
    found = POST_ELEMENT_ID.match(element.get("id") or "")
    if found:
        return int(found.group(1))
    number_el = first(element, CRAWLER_NUMBER_SELECTORS)
    if number_el is not None:
        digits = re.sub(r"\D", "", number_el.get("content") or number_el.get_text())
        if digits:
            return int(digits)
    return None


# -- cooked HTML ------------------------------------------------------------------------------


def cooked_text(cooked, base: str | None, *, page_url: str | None = None, feed: bool = False) -> tuple[str, list[str]]:
    """Readable text of a post's ``cooked`` HTML, quotes as ``> `` lines, and the links its author wrote."""
    if not isinstance(cooked, str) or not cooked.strip():
        return "", []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(cooked, "lxml")
    root = soup.body or soup
    for selector in CHROME_SELECTORS:
        for element in root.select(selector):
            element.decompose()
    for selector in UNLINKED_SELECTORS:
        for anchor in root.select(selector):
            anchor.unwrap()
    if feed:
        for paragraph in root.find_all("p"):
            if FEED_FOOTER.match(paragraph.get_text(" ")):
                paragraph.decompose()
    for selector in ONEBOX_SELECTORS:
        for box in root.select(selector):
            _onebox_to_link(box)
    try:
        links = links_of(root, base, page_url=page_url)
    except ValueError:  # an href too malformed to split: keep the readable ones
        for anchor in root.find_all("a", href=True):
            if _absolute(anchor["href"], base) is None:
                del anchor["href"]
        links = links_of(root, base, page_url=page_url)
    _quote_blockquotes(root)
    for quote in root.select(QUOTE_SELECTORS):
        title = quote.find(class_="title")
        if title is not None:
            name = clean_text(title.get_text(" "))
            title.replace_with(_paragraph([name] if name else []))
    return hide_addresses(text_of(root)), links


def _onebox_to_link(box: Tag) -> None:
    """A onebox (a preview of a linked page) stands for the link the author pasted: keep that link alone."""
    url = box.get("data-onebox-src") or ""
    if not url:
        anchor = box.select_one("header a[href], .source a[href], a[href]")
        url = anchor["href"] if anchor is not None else ""
    if not url and box.get("data-youtube-id"):  # the old lazy YouTube player holds no link, only the video id
        url = f"https://www.youtube.com/watch?v={box['data-youtube-id']}"
    replacement = Tag(name="p")
    if url:
        anchor = Tag(name="a", attrs={"href": url})
        anchor.append(NavigableString(url))
        replacement.append(anchor)
    box.replace_with(replacement)


def _quote_blockquotes(root: Tag) -> None:
    """Replace each blockquote by a paragraph of ``> `` lines (innermost first, so nesting gives ``> > ``)."""
    for quote in reversed(root.find_all("blockquote")):
        lines = [f"> {line}" for line in text_of(quote).split("\n") if line.strip()]
        quote.replace_with(_paragraph(lines))


def _paragraph(lines: list[str]) -> Tag:
    paragraph = Tag(name="p")
    for i, line in enumerate(lines):
        if i:
            paragraph.append(Tag(name="br"))
        paragraph.append(NavigableString(line))
    return paragraph


# -- shared helpers -----------------------------------------------------------------------------


def _builder(source: SourceFile, base: str | None, topic_id: int | None, slug: str, *, url: str | None,
             title: str | None) -> ThreadBuilder:
    """A thread whose id every file of the topic shares: ``discourse:<host>:<topic id>``."""
    # www. or not, the folder a file sits in or a link inside it: one forum, one key
    site = normalize_domain(_host(base) or _host(url))
    key = None
    if topic_id is not None:
        key = f"discourse:{site}:{topic_id}" if site else f"discourse:?:{topic_id}:{slug}"
    return ThreadBuilder(source, DiscourseParser.PLATFORM, url=url, title=title, site=site, thread_key=key)


def _topic_path(url: str | None) -> tuple[str, int | None, int | None]:
    """(slug, topic id, post number) of a topic or post URL (``/t/<slug>/<id>/<number>``)."""
    if not url:
        return "", None, None
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return "", None, None
    found = TOPIC_PATH.search(path)
    if not found:
        return "", None, None
    slug, topic_id, number = found.groups()
    return slug or "", int(topic_id), int(number) if number else None


def _origin(url: str | None) -> str | None:
    """``scheme://host`` of an absolute http(s) URL."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _host(url: str | None) -> str | None:
    try:
        return (urlsplit(url).hostname or None) if url else None
    except ValueError:
        return None


def _absolute(href: str | None, base: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    try:
        absolute = urljoin(base, href) if base else href
        return absolute if urlsplit(absolute).scheme in ("http", "https") else None
    except ValueError:
        return None


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""
