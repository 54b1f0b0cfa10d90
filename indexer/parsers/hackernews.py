"""Hacker News threads: item pages (the 2012-13 table markup and the current one), "more comments" pages, Algolia JSON.

A Hacker News file is recognised by its markup or shape, never by its name:

* an item page is HN's table layout: the story's ``td.title`` and ``td.subtext`` (or the
  ``table.fatitem`` of current pages) above one ``td.default`` per comment, holding a
  ``span.comhead`` byline and the text (``span.comment`` in 2012-13, ``.commtext`` since);
* a "more comments" page (``/x?fnid=...`` until about 2014, ``item?id=...&p=2`` since) is the
  same comment markup, in 2012-13 without the story above it;
* the Algolia items API (``hn.algolia.com/api/v1/items/<id>``) is a JSON object with
  ``created_at_i``, ``type`` and the replies nested in ``children``.

A comment's depth is its indent (``td.ind[indent]``, else the width of the spacer image, 40
pixels a level); its parent is the comment its "parent" link names, else the nearest comment
above it one level up. Comments on the story itself have no parent. The story is the root post:
its title is the thread's, its text (Ask HN) the post's, the page it links to the post's link.
Native ids are HN item ids.

Every file of one discussion gets the same thread id, ``hackernews:<story id>``, so a page and
its continuation pages merge in the index. The story id is the story's own row, else what
the page's links name: the "on:" link of a comment page, the ``item?id=<story>#<comment>``
navigation links of current pages, the ``goto=``/``whence=`` of vote and reply links, the
story's title link. Limitation: a 2012-13 "more comments" page names none of these (its
links point at ``/x?fnid=`` addresses only), so it becomes a thread of its own, keyed by the
``fnid`` address the page was served at; its comments are still read, with their authors,
parents and links, but they do not merge with the item page's.

Dates: ``span.age[title]`` gives an exact time (UTC, sometimes followed by a Unix timestamp);
an age written as a date ("on Jan 28, 2009") is read as one. A relative age ("3 hours ago")
becomes a date only when the page says when it was saved (the Wayback Machine's "FILE ARCHIVED
ON" note, SingleFile's "saved date:"), as that moment minus the age; otherwise it is null.
That moment is the thread's ``captured``.

E-mail addresses typed into a text are hidden (``[address hidden]``), as in every parser.
Comments marked ``[dead]``, ``[flagged]`` or ``[deleted]`` (in the byline or as the whole
text), or shown in the dead grey (``commtext cdd``), are ``kind: deleted``; so are Algolia
nodes without author or text.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from copy import copy
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from indexer.dates import iso_date, parse_date, to_iso
from indexer.links import normalize_url
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
from indexer.parsers.html import links_of, text_of
from indexer.parsers.messages import hide_addresses
from indexer.records import Post, Thread

HN = "https://news.ycombinator.com/"
SITE = "news.ycombinator.com"

# -- recognising a Hacker News file ----------------------------------------------------------------
JSON_START = re.compile(r"^\s*\{")
ALGOLIA_FIELDS = (
    re.compile(r'"created_at_i"\s*:'),
    re.compile(r'"children"\s*:\s*\['),
    re.compile(r'"type"\s*:\s*"(?:story|comment|poll|pollopt|job)"'),
)
# At least one STRUCTURE marker and MIN_MARKERS markers in all.
STRUCTURE_MARKERS = (
    re.compile(r"""class=["']?comhead\b"""),
    re.compile(r"""class=["']?athing\b"""),
    re.compile(r"""class=["']?hnuser\b"""),
    re.compile(r"""class=["']?commtext\b"""),
)
OTHER_MARKERS = (
    re.compile(r"<title>[^<]*\|\s*Hacker News\s*</title>", re.I),
    re.compile(r"news\.ycombinator\.com|ycombinator\.com/news\.css|\by18\.(?:gif|svg)\b"),
    re.compile(r"""\bvote\?(?:for|id)=\d+"""),
    re.compile(r"""class=["']?pagetop\b"""),
    re.compile(r"""class=["']?subtext\b"""),
)
MIN_MARKERS = 3

# -- the story ------------------------------------------------------------------------------------
FATITEM = "table.fatitem"
TITLE_SELECTORS = ("span.titleline > a", "td.title a.storylink", "td.title a.titlelink", "td.title > a")
SUBTEXT = "td.subtext"
TOPTEXT = "div.toptext"
MORE_LINK = re.compile(r"(?:^|/)x\?fnid=|[?&]p=\d+")
COMMENT_COUNT = re.compile(r"(\d[\d,]*)\s*(?:comments?|discuss)", re.I)

# -- the comments ---------------------------------------------------------------------------------
COMMENT_CELL = "td.default"
COMMENT_ROW = "athing"
BYLINE = "span.comhead"
AUTHOR_SELECTORS = ("a.hnuser", "a[href^='user?id=']", "a[href*='/user?id=']")
TEXT_SELECTORS = (".commtext", "span.comment", "div.comment")
AGE = "span.age"
INDENT_PIXELS = 40
DEAD_MARK = re.compile(r"\[(?:dead|flagged|deleted)\]", re.I)
DEAD_TEXT = re.compile(r"^\s*\[(?:dead|flagged|deleted|removed)\]\s*$", re.I)
DEAD_CLASS = "cdd"
# Inside a comment's text cell: the reply link and its paragraph are chrome.
CHROME_SELECTORS = (".reply", "a[href^='reply?']", "a[href*='/reply?']")

# -- dates ----------------------------------------------------------------------------------------
RELATIVE_AGE = re.compile(r"\b(\d+|an?)\s+(second|minute|hour|day|week|month|year)s?\s+ago\b", re.I)
ABSOLUTE_AGE = re.compile(r"\bon\s+([A-Z][a-z]{2,8}\s+\d{1,2},\s+\d{4})\b")
AGE_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400, "month": 30 * 86400,
             "year": 365 * 86400}
# When the page was saved: the Wayback Machine's closing note, SingleFile's header comment.
SAVED_AT = (
    re.compile(r"FILE ARCHIVED ON\s+(.+?)\s+AND RETRIEVED", re.S),
    re.compile(r"saved date:\s*([^\n]+?)(?:\s*\(.*?\))?\s*(?:\n|-->)"),
)

# -- links naming the discussion -------------------------------------------------------------------
ITEM_ID = re.compile(r"(?:^|[/?&])item\?id=(\d+)")
ITEM_PARAM = re.compile(r"item\?id=(\d+)")



class HackerNewsParser(Parser):
    PLATFORM = "hackernews"
    DESCRIPTION = (
        "Hacker News threads: item pages in the 2012-13 and current markup, their \"more comments\" pages "
        "and the Algolia items JSON; dead, flagged and deleted comments kept apart"
    )

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        head = source.head
        if JSON_START.match(head):
            return all(pattern.search(head) for pattern in ALGOLIA_FIELDS)
        if not source.looks_like_html:
            return False
        text = source.text
        structure = sum(1 for marker in STRUCTURE_MARKERS if marker.search(text))
        other = sum(1 for marker in OTHER_MARKERS if marker.search(text))
        return structure >= 1 and structure + other >= MIN_MARKERS

    def parse(self, source: SourceFile) -> list[Thread]:
        with parse_errors("hackernews", source):
            if JSON_START.match(source.head):
                return [_from_algolia(source, load_json(source, "hackernews"))]
            return [_from_page(source)]


# -- Algolia JSON ---------------------------------------------------------------------------------



def _from_algolia(source: SourceFile, item) -> Thread:
    if not isinstance(item, dict) or _int(item.get("id")) is None:
        raise ShapeError("an Algolia item is an object with an id")
    is_story = item.get("type") in ("story", "poll", "job")
    story_id = _int(item.get("id")) if is_story else _int(item.get("story_id"))
    url = _item_url(story_id)
    builder = ThreadBuilder(source, HackerNewsParser.PLATFORM, url=url, site=SITE,
                            title=_str(item.get("title")) if is_story else None,
                            thread_key=f"hackernews:{story_id}" if story_id is not None else None)
    stack = [item]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            raise ShapeError("a child that is not an object")
        children = node.get("children") or []
        if not isinstance(children, list):
            raise ShapeError("children is not a list")
        stack.extend(reversed(children))
        native_id = _int(node.get("id"))
        author = _str(node.get("author")) or None
        text, hrefs = fragment_text(node.get("text"))
        date = iso_date(_str(node.get("created_at"))) or _utc(node.get("created_at_i"))
        if node is item and is_story:
            link = _str(node.get("url"))
            link = (normalize_url(link) or link) if link else ""
            if link:
                hrefs.insert(0, link)
            builder.add(kind="post", author=author, text=text or link, native_id=str(native_id), date=date,
                        author_url=_user_url(author), hrefs=hrefs, permalink=url)
            builder.thread.declared_comments = _int(node.get("num_comments"))
            continue
        parent = _int(node.get("parent_id"))
        kind = "deleted" if (author is None and not text) or DEAD_TEXT.match(text) else "comment"
        _add(builder, kind=kind, author=author, text=text, native_id=native_id, date=date,
             parent=parent if parent != story_id else None, hrefs=hrefs)
    return builder.build()


# -- item pages ------------------------------------------------------------------------------------


def _from_page(source: SourceFile) -> Thread:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = source.soup
    if soup.select_one(FATITEM) is None and len(soup.select(SUBTEXT)) > 1:
        raise ParseError(source.relpath, "hackernews: a list of stories (front page, search), not a discussion")
    saved = _saved_at(source.text)
    story = _story(soup, saved)
    cells = [cell for cell in soup.select(COMMENT_CELL) if cell.select_one(BYLINE) is not None]
    fatitem = soup.select_one(FATITEM)
    focus = next((c for c in cells if fatitem is not None and c.find_parent("table", class_="fatitem")), None)
    if story is None and not cells:
        raise ParseError(source.relpath, "hackernews: neither a story nor comments on the page")

    story_id = story["id"] if story else None
    on_title = None
    if story_id is None:
        story_id, on_title = _story_of_comments(soup, cells, focus)
    fnid = None if story_id is not None else _served_at(soup)
    key = f"hackernews:{story_id}" if story_id is not None else (f"hackernews:more:{fnid}" if fnid else None)
    url = _item_url(story_id)
    title = story["title"] if story else on_title
    builder = ThreadBuilder(source, HackerNewsParser.PLATFORM, url=url, site=SITE, title=title, thread_key=key)

    if story is not None:
        builder.add(kind="post", author=story["author"], text=story["text"], native_id=str(story_id),
                    date=story["date"], author_url=_user_url(story["author"]), hrefs=story["hrefs"], permalink=url)
        builder.thread.declared_comments = story["declared"]

    stack: list[tuple[int, int]] = []  # (depth, native id) of the comments above, for the nesting
    focus_id = None
    found = 0
    for cell in cells:
        comment = _comment(cell, saved)
        native_id = comment["native_id"]
        if cell is focus:
            focus_id = native_id
            parent = comment["parent"]
        else:
            depth = comment["depth"]
            while stack and stack[-1][0] >= depth:
                stack.pop()
            parent = comment["parent"]
            if parent is None:
                parent = stack[-1][1] if stack else focus_id
            if native_id is not None:
                stack.append((depth, native_id))
        _add(builder, kind=comment["kind"], author=comment["author"], text=comment["text"], native_id=native_id,
             date=comment["date"], parent=parent if parent != story_id else None, hrefs=comment["hrefs"])
        found += 1
    thread = builder.build()
    thread.captured = to_iso(saved) if saved is not None else None
    if fnid:
        thread.continues = f"hackernews:more:{fnid}"
    more = _more_link(soup)
    next_fnid = re.search(r"fnid=([\w-]+)", more["href"]) if more is not None else None
    if next_fnid:
        thread.continued_at = f"hackernews:more:{next_fnid.group(1)}"
    if thread.declared_comments is not None and _more_link(soup) is not None:
        thread.not_loaded = max(thread.declared_comments - found, 0)
    return thread


def _story(soup: BeautifulSoup, saved: datetime | None) -> dict | None:
    """The story above the comments: id, title, author, date, text, links and stated comment count."""
    fatitem = soup.select_one(FATITEM)
    scope = fatitem if fatitem is not None else soup
    subtext = scope.select_one(SUBTEXT)
    if subtext is None:
        return None
    story_id = None
    row = scope.select_one(f"tr.{COMMENT_ROW}[id]") if fatitem is not None else None
    if row is not None and row.get("id", "").isdigit():
        story_id = int(row["id"])
    if story_id is None:
        score = subtext.select_one("[id^=score_]")
        if score is not None and score["id"][6:].isdigit():
            story_id = int(score["id"][6:])
    if story_id is None:
        story_id = next((_item_of(a["href"]) for a in subtext.find_all("a", href=True) if _item_of(a["href"])), None)
    title_el = next((el for sel in TITLE_SELECTORS for el in scope.select(sel)
                     if not MORE_LINK.search(el.get("href") or "")), None)
    if story_id is None and title_el is not None:
        story_id = _item_of(title_el.get("href") or "")
    if story_id is None:
        return None
    title = clean_text(title_el.get_text(" ")) if title_el is not None else None
    link = _external(title_el.get("href")) if title_el is not None else None
    link = (normalize_url(link) or link) if link else None  # the text shows it without tracking parameters
    author_el = next((el for sel in AUTHOR_SELECTORS for el in subtext.select(sel)), None)
    author = clean_text(author_el.get_text(" ")) if author_el is not None else None
    body = scope.select_one(TOPTEXT) or _story_text_cell(subtext)
    text, hrefs = element_text(body)
    if link:
        hrefs.insert(0, link)
    declared = None
    for anchor in subtext.find_all("a", href=True):
        found = COMMENT_COUNT.search(anchor.get_text(" ").replace("\xa0", " "))
        if found and _item_of(anchor["href"]) == story_id:
            declared = int(found.group(1).replace(",", ""))
    return {
        "id": story_id,
        "title": title,
        "author": author or None,
        "date": _age_date(subtext, saved),
        "text": text or (link or ""),
        "hrefs": hrefs,
        "declared": declared,
    }


def _story_text_cell(subtext: Tag) -> Tag | None:
    """Before ``div.toptext`` (about 2021) the story's text was the next table row after the byline."""
    row = subtext.find_parent("tr")
    for sibling in row.find_next_siblings("tr") if row is not None else []:
        cells = sibling.find_all("td", recursive=False)
        if not cells:
            continue
        cell = cells[-1]
        if cell.find(["form", "textarea"]) is not None:
            return None  # the comment box: the story has no text
        if clean_text(cell.get_text(" ")):
            return cell
    return None


def _story_of_comments(soup: BeautifulSoup, cells: list[Tag], focus: Tag | None) -> tuple[int | None, str | None]:
    """(story id, story title) of a page without the story: from its "on:" and navigation links."""
    for cell in ([focus] if focus is not None else []) + cells:
        for anchor in cell.select(".onstory a[href], .storyon a[href]"):
            found = _item_of(anchor["href"])
            if found:
                return found, clean_text(anchor.get_text(" ")) or None
        byline = cell.select_one(BYLINE)
        for anchor in byline.find_all("a", href=True) if byline is not None else []:
            previous = anchor.previous_sibling
            if isinstance(previous, NavigableString) and previous.strip().endswith("on:"):
                found = _item_of(anchor["href"])
                if found:
                    return found, clean_text(anchor.get_text(" ")) or None
    # a story title linking its own discussion (Ask HN) above a page without the story's byline
    for anchor in (a for sel in TITLE_SELECTORS for a in soup.select(sel)):
        found = _item_of(anchor.get("href") or "")
        if found and not MORE_LINK.search(anchor.get("href") or ""):
            return found, clean_text(anchor.get_text(" ")) or None
    # current pages: "parent", "root", "prev" and "next" are item?id=<story>#<comment> links
    counts: Counter[int] = Counter()
    for anchor in soup.select(f"{BYLINE} a[href*='#']"):
        href = anchor["href"]
        found = _item_of(href.split("#", 1)[0])
        if found:
            counts[found] += 1
    for anchor in soup.find_all("a", href=True):
        for name in ("goto", "whence"):
            for value in _query(anchor["href"]).get(name, []):
                found = _item_of(unquote(value).split("#", 1)[0])
                if found:
                    counts[found] += 1
    if counts and focus is None:
        return counts.most_common(1)[0][0], None
    return None, None


def _served_at(soup: BeautifulSoup) -> str | None:
    """The ``fnid`` of the address a 2012-13 "more comments" page was served at (its links' ``whence``)."""
    counts: Counter[str] = Counter()
    for anchor in soup.find_all("a", href=True):
        for value in _query(anchor["href"]).get("whence", []):
            found = re.search(r"fnid=([\w-]+)", unquote(value))
            if found:
                counts[found.group(1)] += 1
    return counts.most_common(1)[0][0] if counts else None


def _comment(cell: Tag, saved: datetime | None) -> dict:
    byline = cell.select_one(BYLINE)
    author_el = next((el for sel in AUTHOR_SELECTORS for el in byline.select(sel)), None)
    author = clean_text(author_el.get_text(" ")) if author_el is not None else None
    body = next((el for sel in TEXT_SELECTORS for el in cell.select(sel)), None)
    text, hrefs = element_text(body)
    byline_text = clean_text(byline.get_text(" "))
    dead = (bool(DEAD_MARK.search(byline_text)) or bool(DEAD_TEXT.match(text))
            or (body is not None and DEAD_CLASS in (body.get("class") or []))
            or (author is None and not text))
    return {
        "native_id": _comment_id(cell, byline),
        "author": author or None,
        "text": text,
        "hrefs": hrefs,
        "date": _age_date(byline, saved),
        "depth": _depth(cell),
        "parent": _parent_link(byline),
        "kind": "deleted" if dead else "comment",
    }


def _comment_id(cell: Tag, byline: Tag) -> int | None:
    row = cell.find_parent("tr", class_=COMMENT_ROW)
    if row is not None and (row.get("id") or "").isdigit():
        return int(row["id"])
    age = byline.select_one(f"{AGE} a[href]")
    if age is not None and _item_of(age["href"]):
        return _item_of(age["href"])
    for anchor in byline.find_all("a", href=True):
        if clean_text(anchor.get_text(" ")).lower() == "link" and _item_of(anchor["href"]):
            return _item_of(anchor["href"])
    container = cell.find_parent("tr")
    for element in container.select("[id^=up_], [id^=down_], [id^=unv_], [id^=score_]") if container else []:
        digits = element["id"].split("_", 1)[1]
        if digits.isdigit():
            return int(digits)
    return None


def _depth(cell: Tag) -> int:
    """How deep a comment is nested: ``td.ind[indent]``, else its spacer image's width in 40-pixel steps."""
    row = cell.find_parent("tr")
    indent = row.find("td", class_="ind") if row is not None else None
    if indent is not None and (indent.get("indent") or "").isdigit():
        return int(indent["indent"])
    first_cell = indent or (row.find("td") if row is not None else None)
    spacer = first_cell.find("img") if first_cell is not None and first_cell is not cell else None
    width = (spacer.get("width") or "") if spacer is not None else ""
    return int(width) // INDENT_PIXELS if width.isdigit() else 0


def _parent_link(byline: Tag) -> int | None:
    """The comment a "parent" link names (``#<id>`` on current pages, ``item?id=<id>`` on older ones)."""
    for anchor in byline.find_all("a", href=True):
        if clean_text(anchor.get_text(" ")).lower() != "parent":
            continue
        href = anchor["href"]
        fragment = href.split("#", 1)[1] if "#" in href else ""
        if fragment.isdigit():
            return int(fragment)
        found = _item_of(href)
        if found:
            return found
    return None


def _more_link(soup: BeautifulSoup) -> Tag | None:
    for anchor in soup.find_all("a", href=True):
        if "morelink" in (anchor.get("class") or []) or (
            clean_text(anchor.get_text(" ")).lower() == "more" and MORE_LINK.search(anchor["href"])
        ):
            return anchor
    return None


# -- text, links and dates ---------------------------------------------------------------------------


def element_text(element: Tag | None) -> tuple[str, list[str]]:
    """Readable text of a story's or comment's text and the links its author wrote.

    HN shortens the text of long links ("https://example.com/a/very/lo..."); the text shows the
    whole address instead, so the shortened one is not taken for a link of its own.
    """
    if element is None:
        return "", []
    element = copy(element)
    for selector in CHROME_SELECTORS:
        for chrome in element.select(selector):
            chrome.decompose()
    for anchor in element.find_all("a", href=True):
        shown = anchor.get_text()
        if shown.endswith("...") and anchor["href"].startswith(shown[:-3]):
            anchor.string = anchor["href"]
    try:
        links = links_of(element, HN)
    except ValueError:  # an href too malformed to split: keep the readable ones
        for anchor in element.find_all("a", href=True):
            if _external(anchor["href"]) is None:
                del anchor["href"]
        links = links_of(element, HN)
    return hide_addresses(text_of(element)), links


def fragment_text(html) -> tuple[str, list[str]]:
    """Text and links of an HTML fragment (the Algolia API's ``text``)."""
    if not isinstance(html, str) or not html.strip():
        return "", []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(html, "lxml")
    return element_text(soup.body or soup)


def _age_date(scope: Tag, saved: datetime | None) -> str | None:
    age = scope.select_one(AGE)
    if age is not None and age.get("title"):
        found = _age_title(age["title"])
        if found:
            return found
    shown = clean_text((age if age is not None else scope).get_text(" "))
    absolute = ABSOLUTE_AGE.search(shown)
    if absolute:
        return iso_date(absolute.group(1))
    relative = RELATIVE_AGE.search(shown)
    if relative and saved is not None:
        count = 1 if relative.group(1).lower() in ("a", "an") else int(relative.group(1))
        return to_iso(saved - timedelta(seconds=count * AGE_UNITS[relative.group(2).lower()]))
    return None


def _age_title(title: str) -> str | None:
    """``2023-07-21T19:51:36`` (UTC), possibly followed by the Unix timestamp of the same moment."""
    parts = title.split()
    if len(parts) >= 2 and parts[-1].isdigit():
        found = _utc(int(parts[-1]))
        if found:
            return found
    value = parse_date(parts[0]) if parts else None
    if value is None:
        return None
    return to_iso(value if value.tzinfo else value.replace(tzinfo=timezone.utc))


def _saved_at(text: str) -> datetime | None:
    """When the page was saved, where the page says so."""
    for pattern in SAVED_AT:
        found = pattern.search(text)
        if found:
            value = parse_date(found.group(1))
            if value is not None:
                return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return None


# -- shared helpers -----------------------------------------------------------------------------


def _add(builder: ThreadBuilder, *, kind: str, author: str | None, text: str, native_id: int | None,
         date: str | None, parent: int | None, hrefs: list[str]) -> Post:
    """Add a comment; a parent in another file of the discussion is still named (item ids are global)."""
    native = str(native_id) if native_id is not None else None
    post = builder.add(kind=kind, author=author, text=text, native_id=native, date=date,
                       parent=str(parent) if parent is not None else None, author_url=_user_url(author),
                       hrefs=hrefs, permalink=_item_url(native_id))
    if parent is not None and post.parent_id is None and builder.thread.url:
        post.parent_id = f"{builder.thread.id}-c{parent}"
    return post


def _item_of(href: str) -> int | None:
    found = ITEM_ID.search(href or "")
    return int(found.group(1)) if found else None


def _query(href: str) -> dict[str, list[str]]:
    try:
        return parse_qs(urlsplit(href).query)
    except ValueError:
        return {}


def _external(href: str | None) -> str | None:
    """An absolute http(s) link away from HN's own item pages (a story's title link)."""
    if not href:
        return None
    try:
        absolute = urljoin(HN, href.strip())
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    if parts.hostname in (SITE, "ycombinator.com", "www.ycombinator.com") and ITEM_PARAM.search(absolute):
        return None
    return absolute


def _item_url(item_id: int | None) -> str | None:
    return f"{HN}item?id={item_id}" if item_id is not None else None


def _user_url(author: str | None) -> str | None:
    return f"{HN}user?id={author}" if author else None


def _utc(seconds) -> str | None:
    if isinstance(seconds, bool) or not isinstance(seconds, int):
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
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""
