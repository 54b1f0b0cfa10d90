"""Substack: post JSON, comment and Notes JSON from Substack's API, and saved post pages.

A Substack file is recognised by its shape, never by its name:

* a post (``/api/v1/posts/by-id/<id>``: ``{"post": {...}, "publication": {...}}``, or the post
  object alone): ``title``, ``body_html``, ``post_date``, ``publishedBylines`` and
  ``comment_count``. Its comments are fetched separately, so a post file is usually a thread of
  the post alone; comments are read when the file holds them (``"comments": [...]`` beside the
  post, each with its ``children``), and a file of comments alone becomes a thread of them;
* a Note (``/api/v1/reader/comment/<id>``: ``{"item": {"comment": {...}, "parentComments":
  [...]}}``): a Note is a comment object with no post, so the Note that starts a conversation
  is the thread's opening post and replies to it are its comments;
* a Notes feed (``/api/v1/reader/feed/...``: ``{"items": [...]}``): each item's comment and its
  ``parentComments`` are grouped into threads by their root Note, the first id of the comment's
  ``ancestor_path`` (``"<root>.<…>.<parent>"``; empty for a root); posts the feed shows are
  threads of their own;
* a saved post page (pencraft markup, JSON-LD ``NewsArticle``): the post, and the comments in
  the page's comment section when it holds any (the comment box alone is not a comment).

Threads are keyed by Substack's own ids (``substack:post:<id>``, ``substack:note:<id>``), so the
files of one post, or of one Note conversation, merge into one thread. Authors are the names
shown (not handles), without the emoji some people decorate their names with, so that
``author:"Jane Doe"`` finds "Jane Doe 🎖️". Comment counts the file states but does not hold
are ``not_loaded``.
"""

from __future__ import annotations

import json
import re
import unicodedata
import warnings
from copy import copy

from bs4 import BeautifulSoup, NavigableString, Tag

from indexer.dates import iso_date
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
from indexer.parsers.html import canonical_url, links_of, meta, text_of, time_of
from indexer.records import Thread

NOTES_HOME = "https://substack.com"

# -- recognising a Substack file ----------------------------------------------------------------
JSON_START = re.compile(r"^\s*[\[{]")
JSON_MARKERS = (
    re.compile(r'"entity_key"\s*:\s*"[cp]-\d+"'),  # reader API items (Notes, feeds)
    re.compile(r'"publishedBylines"\s*:'),  # post API
    re.compile(r'"ancestor_path"\s*:\s*"[\d.]*"'),  # comment API
)
# A page needs MIN_HTML_MARKERS of these: any one alone also turns up on pages that embed Substack.
HTML_MARKERS = (
    re.compile(r"""class=["'][^"']*\bpencraft\b"""),
    re.compile(r"window\._preloads\b"),
    re.compile(r'"identifier"\s*:\s*"pub:\d+"'),  # the publication in the JSON-LD
    re.compile(r"""class=["'][^"']*\bavailable-content\b"""),
    re.compile(r"""class=["'][^"']*\bpost-ufi\b"""),
    re.compile(r"api(?:/|%2F)v1(?:/|%2F)post_preview(?:/|%2F)\d+", re.I),
    re.compile(r"\bsubstackcdn\.com/"),
)
MIN_HTML_MARKERS = 2

# -- saved post pages ---------------------------------------------------------------------------
POST_BODY_SELECTORS = (".available-content .body.markup", ".available-content", ".body.markup")
POST_TITLE_SELECTORS = ("h1.post-title", ".post-header h1", "h1")
POST_AUTHOR_SELECTORS = (".post-header .byline-wrapper a[href*='/@']", ".byline-wrapper a", ".byline-names")
POST_DATE_SELECTORS = (".post-header time", ".post-date", "time")
COMMENTS_SECTION_SELECTORS = (".comments-section", "#discussion", ".comments-page", ".comment-list")
COMMENT_SELECTOR = ".comment"
COMMENT_AUTHOR_SELECTORS = (
    ".comment-header .username",
    ".comment-header .user-profile-link",
    ".commenter-name",
    ".comment-author",
    ".username",
)
COMMENT_DATE_SELECTORS = (".comment-post-date", ".comment-header time", "time", ".comment-date")
COMMENT_BODY_SELECTORS = (".comment-body", ".comment-content .body", ".comment-text")
COMMENT_ID = re.compile(r"^comment-(\d+)$")
# what Substack shows in place of a deleted or removed comment
DELETED_TEXTS = frozenset({"comment deleted", "comment removed", "this comment was deleted.", "deleted"})
COMMENT_COUNT_LABEL = re.compile(r"View comments \((\d[\d,]*)\)")
# Substack puts the post's id in the preview image it declares and in its page data.
# (the image URL is often percent-encoded inside a substackcdn.com fetch URL)
PAGE_POST_ID = (
    re.compile(r"api(?:/|%2F)v1(?:/|%2F)post_preview(?:/|%2F)(\d+)(?:/|%2F)", re.I),
    re.compile(r'"post"\s*:\s*\{\s*"id"\s*:\s*(\d+)'),
)

# -- bodies ---------------------------------------------------------------------------------------
# Chrome inside a post body: subscribe and share buttons, links to the full-size picture.
CHROME_CONTAINERS = (
    ".subscription-widget-wrap", ".subscription-widget", ".button-wrapper", ".captioned-button-wrap",
    ".share-dialog", ".post-ufi",
)
CHROME_LINK_CLASSES = ("image-link", "footnote-anchor", "footnote-number", "button")



class SubstackParser(Parser):
    PLATFORM = "substack"
    DESCRIPTION = (
        "Substack: post JSON (posts/by-id) and saved post pages, post comments, Notes (reader/comment) "
        "and Notes feeds grouped into conversations"
    )

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if JSON_START.match(source.head):
            text = source.text
            return any(marker.search(text) for marker in JSON_MARKERS)
        if not source.looks_like_html:
            return False
        text = source.text
        return sum(1 for marker in HTML_MARKERS if marker.search(text)) >= MIN_HTML_MARKERS

    def parse(self, source: SourceFile) -> list[Thread]:
        with parse_errors("substack", source):
            if JSON_START.match(source.head):
                return _from_json(source, load_json(source, "substack"))
            if source.looks_like_html:
                return [_from_page(source)]
            raise ParseError(source.relpath, "substack: neither Substack JSON nor a Substack page")


# -- JSON -------------------------------------------------------------------------------------



def _from_json(source: SourceFile, data) -> list[Thread]:
    if isinstance(data, list):  # the archive API: a list of posts
        posts = [p for p in data if _is_post(p)]
        if not posts:
            raise ShapeError("a list that holds no post")
        return [_post_thread(source, p) for p in posts]
    if not isinstance(data, dict):
        raise ShapeError("JSON that is neither a list nor an object")
    if "item" in data:  # reader/comment/<id>
        item = _dict(data, "item")
        return _note_threads(source, [_note_entry(item)])
    if "items" in data:  # reader/feed/...
        return _feed_threads(source, _list(data, "items"))
    comments = data.get("comments")
    if comments is not None and not isinstance(comments, list):
        raise ShapeError("expected 'comments' to be a list")
    if isinstance(data.get("post"), dict):  # posts/by-id/<id>
        return [_post_thread(source, data["post"], comments)]
    if _is_post(data):
        return [_post_thread(source, data, comments)]
    if comments is not None:  # post/<id>/comments without the post
        return _comment_threads(source, comments)
    raise ShapeError("an object that is not a post, a Note, a feed or a list of comments")


def _is_post(value) -> bool:
    return isinstance(value, dict) and "title" in value and any(
        k in value for k in ("body_html", "canonical_url", "publishedBylines", "post_date"))


def _post_thread(source: SourceFile, post: dict, comments: list | None = None) -> Thread:
    post_id = _id(post.get("id"))
    url = _str(post.get("canonical_url")) or None
    # the first byline is the post's author; co-authors' names stay in the byline, not in the record
    author = next((n for n in (_name(b.get("name")) for b in _dicts(post.get("publishedBylines"))) if n), None)
    date = _date(post.get("post_date"))
    builder = ThreadBuilder(source, SubstackParser.PLATFORM, url=url, title=_str(post.get("title")), author=author,
                            date=date, thread_key=f"substack:post:{post_id}" if post_id else None)
    body_html = post.get("body_html")
    if isinstance(body_html, str) and body_html.strip():
        text, hrefs = body_text(_fragment(body_html), url)
    else:  # paywalled posts and feed teasers carry only the opening words
        text, hrefs = _str(post.get("truncated_body_text")) or _str(post.get("description")), []
    builder.add(kind="post", author=author, text=text, native_id=f"p{post_id}" if post_id else None, date=date,
                hrefs=hrefs, permalink=url)
    found = _add_comment_tree(builder, comments or [], None, url)
    thread = builder.build()
    thread.declared_comments = _int(post.get("comment_count"))
    thread.not_loaded = max((thread.declared_comments or 0) - found, 0)
    return thread


def _comment_threads(source: SourceFile, comments: list) -> list[Thread]:
    """Post comments saved without their post: one thread per post they answer."""
    by_post: dict[str, list] = {}
    for comment in comments:
        if not isinstance(comment, dict):
            raise ShapeError("a comment that is not an object")
        by_post.setdefault(_id(comment.get("post_id")), []).append(comment)
    if not by_post:
        raise ParseError(source.relpath, "substack: the list of comments is empty")
    threads = []
    for post_id, group in by_post.items():
        builder = ThreadBuilder(source, SubstackParser.PLATFORM, site=source.folder_site,
                                thread_key=f"substack:post:{post_id}" if post_id else None)
        _add_comment_tree(builder, group, None, None)
        threads.append(builder.build())
    return threads


def _add_comment_tree(builder: ThreadBuilder, comments: list, parent: str | None, post_url: str | None) -> int:
    """Post comments depth-first in page order, each followed by its ``children``; returns how many."""
    count = 0
    for comment in comments:
        if not isinstance(comment, dict):
            raise ShapeError("a comment that is not an object")
        comment_id = _id(comment.get("id"))
        ancestors = _ancestors(comment)
        reply_to = parent or (ancestors[-1] if ancestors else None)
        text, hrefs = _comment_text(comment)
        deleted = bool(comment.get("deleted")) or (comment.get("body") is None and not text)
        builder.add(kind="deleted" if deleted else "comment", author=_name(comment.get("name")), text=text,
                    native_id=comment_id, parent=reply_to, date=_date(comment.get("date")), hrefs=hrefs,
                    permalink=f"{post_url.rstrip('/')}/comment/{comment_id}" if post_url and comment_id else None)
        count += 1
        children = comment.get("children")
        if isinstance(children, list):
            count += _add_comment_tree(builder, children, comment_id, post_url)
    return count


# -- Notes ------------------------------------------------------------------------------------


def _note_entry(item: dict) -> list[dict]:
    """An item's comment after the comments it answers, as the reader shows them (oldest first)."""
    comment = _dict(item, "comment")
    parents = item.get("parentComments") or []
    if not isinstance(parents, list):
        raise ShapeError("expected 'parentComments' to be a list")
    return [*[p for p in parents if isinstance(p, dict)], comment]


def _note_threads(source: SourceFile, entries: list[list[dict]]) -> list[Thread]:
    """Group Notes into conversations by their root Note, in the order the file first shows each."""
    groups: dict[str, dict[str, dict]] = {}
    for chain in entries:
        for note in chain:
            _collect_note(note, groups)
    return [_note_thread(source, root_id, notes) for root_id, notes in groups.items()]


def _feed_threads(source: SourceFile, items: list) -> list[Thread]:
    """A feed's Notes grouped into conversations and its posts, each thread where the feed first shows it."""
    groups: dict[str, dict[str, dict]] = {}
    order: list[str | dict] = []  # a root Note's id, or a post
    for item in items:
        if not isinstance(item, dict):
            raise ShapeError("a feed item that is not an object")
        if isinstance(item.get("comment"), dict):
            for note in _note_entry(item):
                _collect_note(note, groups)
            order.extend(root for root in groups if root not in order)
        elif _is_post(item.get("post")):
            order.append(item["post"])
    if not order:
        raise ParseError(source.relpath, "substack: the feed holds no Note and no post")
    return [_post_thread(source, entry) if isinstance(entry, dict) else _note_thread(source, entry, groups[entry])
            for entry in order]


def _collect_note(note: dict, groups: dict[str, dict[str, dict]]) -> None:
    note_id = _id(note.get("id"))
    if not note_id:
        raise ShapeError("a Note without an id")
    ancestors = _ancestors(note)
    root = ancestors[0] if ancestors else note_id
    groups.setdefault(root, {}).setdefault(note_id, note)
    children = note.get("children")
    if isinstance(children, list):
        for child in children:
            if isinstance(child, dict):
                if not _ancestors(child):  # children of a comment object name no path of their own
                    child = {**child, "ancestor_path": ".".join([*ancestors, note_id])}
                _collect_note(child, groups)


def _note_thread(source: SourceFile, root_id: str, notes: dict[str, dict]) -> Thread:
    root = notes.get(root_id)
    url = _note_url(root) if root else None
    author = _name(root.get("name")) if root else None
    date = _date(root.get("date")) if root else None
    title = _title_from(_str(root.get("body"))) if root else None
    builder = ThreadBuilder(source, SubstackParser.PLATFORM, url=url, title=title, author=author, date=date,
                            site="substack.com", thread_key=f"substack:note:{root_id}")
    ordered = ([root] if root else []) + [n for i, n in notes.items() if i != root_id]
    not_loaded = 0
    for note in ordered:
        note_id = _id(note.get("id"))
        ancestors = _ancestors(note)
        text, hrefs = _comment_text(note)
        if note is root:
            kind, parent = "post", None
        else:
            deleted = bool(note.get("deleted")) or (note.get("body") is None and not text)
            kind = "deleted" if deleted else "comment"
            parent = ancestors[-1] if len(ancestors) > 1 else None  # a reply to the root Note has none
        post = builder.add(kind=kind, author=_name(note.get("name")), text=text, native_id=note_id, parent=parent,
                           date=_date(note.get("date")), hrefs=hrefs, permalink=_note_url(note))
        if parent and post.parent_id is None:
            post.parent_id = f"{builder.thread.id}-c{parent}"  # the parent is in another file of the conversation
        present = sum(1 for other in notes.values() if (_ancestors(other) or [None])[-1] == note_id)
        not_loaded += max((_int(note.get("children_count")) or 0) - present, 0)
    thread = builder.build()
    thread.not_loaded = not_loaded
    return thread


def _note_url(note: dict) -> str | None:
    handle, note_id = _str(note.get("handle")), _id(note.get("id"))
    return f"{NOTES_HOME}/@{handle}/note/c-{note_id}" if handle and note_id else None


def _comment_text(comment: dict) -> tuple[str, list[str]]:
    """A comment's or Note's text, a quoted Note as ``> `` lines, and its links (marks, attachments)."""
    text = _str(comment.get("body")).strip()
    hrefs = _marked_links(comment.get("body_json"))
    for attachment in _dicts(comment.get("attachments")):
        kind = attachment.get("type")
        if kind == "post" and isinstance(attachment.get("post"), dict):
            hrefs.append(_str(attachment["post"].get("canonical_url")))
        elif kind == "link":
            meta_data = attachment.get("linkMetadata") if isinstance(attachment.get("linkMetadata"), dict) else {}
            hrefs.append(_str(meta_data.get("url")) or _str(attachment.get("url")))
        elif kind == "comment" and isinstance(attachment.get("comment"), dict):
            quoted = _str(attachment["comment"].get("body")).strip()
            if quoted:
                text += "\n\n" + "\n".join(f"> {line}" for line in quoted.split("\n") if line.strip())
    return text.strip(), [h for h in hrefs if h]


def _marked_links(node, depth: int = 0) -> list[str]:
    """The hrefs of link marks in a ProseMirror document (``body_json``)."""
    if not isinstance(node, dict) or depth > 200:
        return []
    found = [_str(mark.get("attrs", {}).get("href")) for mark in _dicts(node.get("marks"))
             if mark.get("type") == "link" and isinstance(mark.get("attrs"), dict)]
    for child in node.get("content") or []:
        found.extend(_marked_links(child, depth + 1))
    return [h for h in found if h]


# -- saved post pages ---------------------------------------------------------------------------


def _from_page(source: SourceFile) -> Thread:
    soup = source.soup
    ld = _json_ld_article(soup)
    body = next((el for sel in POST_BODY_SELECTORS if (el := soup.select_one(sel)) is not None), None)
    section = next((el for sel in COMMENTS_SECTION_SELECTORS if (el := soup.select_one(sel)) is not None), None)
    comments = section.select(COMMENT_SELECTOR) if section is not None else []
    if body is None and not ld and not comments:
        raise ParseError(source.relpath, "substack: no post body and no comments found (not a post page?)")

    url = canonical_url(soup) or _str(ld.get("url")) or None
    title_el = next((el for sel in POST_TITLE_SELECTORS if (el := soup.select_one(sel)) is not None), None)
    title = (clean_text(title_el.get_text(" ")) if title_el is not None else "") or _str(ld.get("headline")) \
        or meta(soup, "og:title")
    names = [_name(a.get("name")) for a in _dicts(ld.get("author") if isinstance(ld.get("author"), list)
                                                   else [ld.get("author")])]
    author = next((n for n in names if n), None) or _page_author(soup)
    date = _date(ld.get("datePublished")) or next(
        (d for sel in POST_DATE_SELECTORS for el in soup.select(sel)[:1] if (d := time_of(el))), None)
    post_id = next((m.group(1) for pattern in PAGE_POST_ID if (m := pattern.search(source.text))), None)
    builder = ThreadBuilder(source, SubstackParser.PLATFORM, url=url, title=title, author=author, date=date,
                            thread_key=f"substack:post:{post_id}" if post_id else None)
    text, hrefs = body_text(body, url)
    builder.add(kind="post", author=author, text=text, native_id=f"p{post_id}" if post_id else None, date=date,
                hrefs=hrefs, permalink=url)

    found = 0
    for comment in comments:
        parent_el = comment.find_parent(class_="comment")
        comment_id, parent_id = _page_comment_id(comment), None
        if parent_el is not None and section in parent_el.parents:
            parent_id = _page_comment_id(parent_el)
        author_el = _own_first(comment, COMMENT_AUTHOR_SELECTORS)
        date_el = _own_first(comment, COMMENT_DATE_SELECTORS)
        text, hrefs = body_text(_own_first(comment, COMMENT_BODY_SELECTORS), url)
        name = _name(author_el.get_text(" ")) if author_el is not None else None
        deleted = "deleted" in (comment.get("class") or []) or text.strip().lower() in DELETED_TEXTS
        builder.add(kind="deleted" if deleted else "comment", author=name, text=text, native_id=comment_id,
                    parent=parent_id, date=time_of(date_el) if date_el is not None else None, hrefs=hrefs,
                    permalink=f"{url.rstrip('/')}/comment/{comment_id}" if url and comment_id else None)
        found += 1
    thread = builder.build()
    thread.declared_comments = _page_comment_count(soup, ld)
    thread.not_loaded = max((thread.declared_comments or 0) - found, 0)
    return thread


def _json_ld_article(soup: BeautifulSoup) -> dict:
    for script in soup.find_all("script", attrs={"type": re.compile(r"(?i)ld\+json")}):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except (json.JSONDecodeError, RecursionError):
            continue
        for node in data if isinstance(data, list) else [data]:
            if isinstance(node, dict) and node.get("@type") in ("NewsArticle", "Article", "BlogPosting"):
                return node
    return {}


def _page_author(soup: BeautifulSoup) -> str | None:
    for selector in POST_AUTHOR_SELECTORS:
        found = soup.select_one(selector)
        if found is not None and clean_text(found.get_text(" ")):
            return _name(found.get_text(" "))
    return _name(meta(soup, "author"))


def _page_comment_count(soup: BeautifulSoup, ld: dict) -> int | None:
    for counter in _dicts(ld.get("interactionStatistic")):
        if str(counter.get("interactionType", "")).endswith("CommentAction"):
            return _int(counter.get("userInteractionCount"))
    button = soup.find(attrs={"aria-label": COMMENT_COUNT_LABEL})
    if button is not None:
        return _int(COMMENT_COUNT_LABEL.search(button["aria-label"]).group(1))
    return None


def _page_comment_id(comment: Tag) -> str | None:
    for element in [comment, *comment.find_all(id=COMMENT_ID)]:
        if element is not comment and ("comment" in (element.get("class") or [])
                                       or element.find_parent(class_="comment") is not comment):
            continue  # a reply's id
        found = COMMENT_ID.match(element.get("id") or "")
        if found:
            return found.group(1)
    return None


def _own_first(comment: Tag, selectors) -> Tag | None:
    """The first element matching a selector that belongs to this comment, not to one of its replies."""
    for selector in selectors:
        for element in comment.select(selector):
            if element.find_parent(class_="comment") is comment:
                return element
    return None


# -- shared -------------------------------------------------------------------------------------


def body_text(element: Tag | None, page_url: str | None) -> tuple[str, list[str]]:
    """Readable text of a rendered body, quotes as ``> `` lines, and the links its author wrote."""
    if element is None:
        return "", []
    element = copy(element)
    for selector in CHROME_CONTAINERS:
        for chrome in element.select(selector):
            chrome.decompose()
    for anchor in element.find_all("a", href=True):
        if any(c in (anchor.get("class") or []) for c in CHROME_LINK_CLASSES):
            anchor["href"] = "#"
    links = links_of(element, page_url, page_url=page_url)
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


def _fragment(markup: str) -> Tag:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(markup, "lxml")
    return soup.body or soup


def _name(value) -> str | None:
    """A display name as shown, without decorative emoji ("Jakub 🎖️" is "Jakub"); None when empty."""
    name = clean_text(_str(value))
    plain = clean_text("".join(ch for ch in name if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Cs")
                               and ch not in "\ufe0e\ufe0f"))
    return plain or name or None


def _title_from(body: str) -> str | None:
    """A title for a Note, which has none: its opening words, cut at a word boundary."""
    first_line = next((line.strip() for line in body.split("\n") if line.strip()), "")
    if not first_line:
        return None
    sentence = re.split(r"(?<=[.!?])\s", first_line, maxsplit=1)[0]
    if len(sentence) <= 80:
        return sentence
    return sentence[:80].rsplit(" ", 1)[0] + "…"


def _ancestors(comment: dict) -> list[str]:
    return [part for part in _str(comment.get("ancestor_path")).split(".") if part]


def _date(value) -> str | None:
    return iso_date(value) if isinstance(value, str) and value else None


def _id(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return (value.strip() or None) if isinstance(value, str) else None


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


def _dict(obj: dict, key: str) -> dict:
    value = obj.get(key)
    if not isinstance(value, dict):
        raise ShapeError(f"expected {key!r} to be an object")
    return value


def _list(obj: dict, key: str) -> list:
    value = obj.get(key)
    if not isinstance(value, list):
        raise ShapeError(f"expected {key!r} to be a list")
    return value


def _dicts(value) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
