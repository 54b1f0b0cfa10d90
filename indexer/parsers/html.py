"""Helpers for HTML pages: text of an element, the links in it, and the page's own metadata."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from indexer.dates import iso_date

BLOCK_TAGS = frozenset(
    "address article aside blockquote dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset("script style noscript template iframe svg button select textarea input form".split())
# Links inside a comment body that are chrome rather than something the commenter linked.
CHROME_LINK_CLASSES = ("comment-reply-link", "reply", "comment-edit-link", "permalink", "share", "like")
CHROME_LINK_TEXT = re.compile(r"(?i)^\s*(reply|antworten|répondre|responder|rispondi|permalink|#|¶|edit|bearbeiten)\s*$")


def text_of(element: Tag | None) -> str:
    """Readable plain text: paragraphs and line breaks kept, markup and whitespace runs dropped."""
    if element is None:
        return ""
    pieces: list[str] = []
    _walk(element, pieces)
    text = "".join(pieces)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _walk(node, pieces: list[str]) -> None:
    for child in node.children:
        if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            pieces.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in SKIP_TAGS:
            continue
        if name == "br":
            pieces.append("\n")
            continue
        if name == "img":
            alt = child.get("alt")
            if alt and len(alt) < 80 and not alt.startswith(("http", ":")):
                pieces.append(f" {alt} ")
            continue
        block = name in BLOCK_TAGS
        if block:
            pieces.append("\n\n" if name in ("p", "blockquote", "pre") else "\n")
        _walk(child, pieces)
        if block:
            pieces.append("\n\n" if name in ("p", "blockquote", "pre") else "\n")


def links_of(element: Tag | None, base_url: str | None = None, *, page_url: str | None = None) -> list[str]:
    """The links a post's author wrote: absolute http(s) hrefs minus reply, permalink and in-page links."""
    if element is None:
        return []
    page = _strip_fragment(page_url or base_url)
    result = []
    for anchor in element.find_all("a", href=True):
        href = anchor["href"].strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        classes = " ".join(anchor.get("class") or []).lower()
        if any(c in classes for c in CHROME_LINK_CLASSES):
            continue
        if CHROME_LINK_TEXT.match(anchor.get_text() or ""):
            continue
        absolute = urljoin(base_url, href) if base_url else href
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        if page and _strip_fragment(absolute) == page:
            continue
        result.append(absolute)
    return result


def _strip_fragment(url: str | None) -> str | None:
    return url.split("#", 1)[0].rstrip("/") if url else None


def first(root: Tag | BeautifulSoup, selectors) -> Tag | None:
    """The first element matched by the first selector, in priority order, that matches anything."""
    for selector in selectors:
        found = root.select_one(selector)
        if found is not None:
            return found
    return None


def meta(soup: BeautifulSoup, *keys: str) -> str | None:
    """The content of the first <meta> whose name, property or itemprop is one of ``keys``."""
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: key})
            if tag is not None and tag.get("content", "").strip():
                return tag["content"].strip()
    return None


def canonical_url(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical", href=True)
    url = (link["href"].strip() if link else None) or meta(soup, "og:url", "twitter:url")
    if url:
        url = unwrap_archive_url(url)
        if urlsplit(url).scheme in ("http", "https"):
            return url
    return None


WAYBACK = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/(https?://.+)$")


def unwrap_archive_url(url: str) -> str:
    """The original URL behind a Wayback Machine capture URL."""
    match = WAYBACK.match(url)
    return match.group(1) if match else url


def page_title(soup: BeautifulSoup, selectors=()) -> str | None:
    found = first(soup, selectors) if selectors else None
    if found is not None and found.get_text(strip=True):
        return " ".join(found.get_text(" ").split())
    title = meta(soup, "og:title", "twitter:title")
    if title:
        return title
    if soup.title and soup.title.string:
        return " ".join(soup.title.string.split())
    return None


def page_date(soup: BeautifulSoup, selectors=()) -> str | None:
    value = meta(soup, "article:published_time", "datePublished", "date", "DC.date.issued")
    if value:
        found = iso_date(value)
        if found:
            return found
    for selector in selectors:
        element = soup.select_one(selector)
        if element is not None:
            found = time_of(element)
            if found:
                return found
    return None


def time_of(element: Tag | None, *, dayfirst: bool = False) -> str | None:
    """An ISO date from an element: a machine-readable attribute first, then its visible text."""
    if element is None:
        return None
    candidates = [element] if element.name == "time" else []
    candidates += element.find_all("time") if hasattr(element, "find_all") else []
    for node in candidates:
        for attr in ("datetime", "content", "title"):
            value = node.get(attr)
            if value:
                found = iso_date(value, dayfirst=dayfirst)
                if found:
                    return found
    for attr in ("datetime", "content", "title", "data-timestamp"):
        value = element.get(attr)
        if value:
            found = iso_date(value, dayfirst=dayfirst)
            if found:
                return found
    return iso_date(element.get_text(" ", strip=True), dayfirst=dayfirst)


def generator(soup: BeautifulSoup) -> str:
    return (meta(soup, "generator") or "").lower()
