"""Helpers the forum and CMS parsers share: quotes as "> " lines, links without session ids or
redirect hops, dates in the page's own order, and the article around an embedded discussion."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from indexer.dates import iso_date
from indexer.links import collect_links, urls_in_text
from indexer.parsers.base import ParseError, SourceFile, ThreadBuilder, clean_text, parse_errors
from indexer.parsers.html import first, links_of, meta, text_of, unwrap_archive_url
from indexer.records import Post, Thread

QUOTE_PREFIX = "> "
# dd.mm.yyyy is always day first; yyyy-mm-dd never is, whatever the page's language.
DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
YEAR_FIRST_DATE = re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b")
MONTH_FIRST_LANGUAGES = ("en", "en-us")
DATE_ATTRIBUTES = ("datetime", "data-time", "data-timestamp", "content", "title")
# Query parameters forums add to every link for visitors without cookies: a session, not the page.
SESSION_PARAMS = frozenset({"s", "sid", "phpsessid", "sessionid", "session_id"})
SESSION_VALUE = re.compile(r"^[0-9a-f]{16,}$")
# A forum's own "you are leaving this site" hop (``/redirect-to/?redirect=https%3A…``) stands for its target.
REDIRECT_PATH = re.compile(r"(?i)/(?:redirect|redirect-to|out|away|exit|leave|externallink)(?:[/.?]|$)")
REDIRECT_PARAMS = ("redirect", "url", "to", "u", "target", "goto", "link")
# Forums shorten long URLs they show ("http://example.org/arch.../t-1.html"); the href has the real one.
SHORTENED_URL = re.compile(r"\.\.\.|…")
COUNT = re.compile(r"(\d[\d.,]*)")

# The page's own article, for pages whose comments come from a forum or CMS module.
ARTICLE_BODY_SELECTORS = (
    "[itemprop~='articleBody']",
    ".field--name-body",
    ".field-name-body",
    "[class*='field--name-field-'][class*='body']",
    "[class*='field-name-field-'][class*='body']",
    ".node__content",
    "#article-body",
    ".article-body",
    ".article__body",
    ".entry-content",
    ".post-content",
    ".story-body",
)
ARTICLE_AUTHOR_SELECTORS = (
    "[itemprop~='author'] [itemprop~='name']",
    ".node .submitted .username",
    ".node__submitted .username",
    "[rel~='schema:author'] [property~='schema:name']",
    "[rel~='sioc:has_creator'] .username",
    ".field--name-uid",
    "[rel~='author']",
    ".author-name",
    "[class*='byline'] a",
    ".blog-author a",
    ".authors a",
    "[itemprop~='author']",
    "[class*='byline']",
)
ARTICLE_AUTHOR_METAS = ("author", "parsely-author", "dc.creator", "DC.creator", "article:author")
ARTICLE_DATE_METAS = ("article:published_time", "datePublished", "dcterms.date", "DC.date.issued", "date")
ARTICLE_DATE_SELECTORS = (
    "[itemprop~='datePublished']",
    "[property~='schema:dateCreated'][content]",
    "[property~='dc:date'][content]",
    ".node .submitted time",
    "time[datetime]",
    "[class*='byline']",
    "[class*='updated-date']",
    "[class*='date']",
    ".submitted",
)
# Never the article's byline: the comment areas and forms.
COMMENT_AREA_SELECTORS = ("#comments", ".comments", ".comment-wrapper", ".comment", "form")
# Never the article's text: those and page furniture.
NOT_ARTICLE_SELECTORS = (
    *COMMENT_AREA_SELECTORS, "nav", "aside", "footer", "[role='navigation']", "[role='complementary']",
    "script", "style", "noscript", "template",
)
# How far up from the article's body to look for its byline before searching the whole page.
MAX_BYLINE_LEVELS = 8
ARTICLE_PARAGRAPHS = ("p", "blockquote", "pre")
MIN_ARTICLE_CHARS = 25
BYLINE_PREFIX = re.compile(r"(?i)^\s*(?:by|von|par|por|di|door)\s*:?\s+")


@dataclass
class Article:
    """The page's own article: its text, links, author and date (any of them may be missing)."""

    text: str = ""
    hrefs: list[str] = field(default_factory=list)
    author: str | None = None
    author_url: str | None = None
    date: str | None = None


def guarded(platform: str, source: SourceFile, read: Callable[[], list[Thread]]) -> list[Thread]:
    """``read()``'s threads; anything that goes wrong becomes a ParseError naming the file and the reason."""
    if not source.looks_like_html:
        raise ParseError(source.relpath, f"{platform}: not an HTML page")
    with parse_errors(platform, source, nested="markup"):
        return read()


def has_markers(text: str, markers, minimum: int) -> bool:
    found = 0
    for marker in markers:
        if marker.search(text):
            found += 1
            if found >= minimum:
                return True
    return False


def select_first(root: Tag, selectors) -> list[Tag]:
    """Everything the first selector that matches anything matches, in page order."""
    for selector in selectors:
        found = root.select(selector)
        if found:
            return found
    return []


def outermost(elements: list[Tag]) -> list[Tag]:
    """The elements not inside another of them (a quoted post rendered inside a post is not a post)."""
    ids = {id(el) for el in elements}
    return [el for el in elements if not any(id(parent) in ids for parent in el.parents)]


def own(element: Tag, selectors, nested: set[int]) -> Tag | None:
    """The first match inside ``element`` that is not inside one of the ``nested`` elements (its replies)."""
    for selector in selectors:
        for found in element.select(selector):
            if not any(id(parent) in nested for parent in found.parents if parent is not element):
                return found
    return None


def post_text(body: Tag | None, base_url: str | None, *, quotes=(), attribution=(), quote_body=(),
              chrome=(), unlink=(), page_url: str | None = None) -> tuple[str, list[str]]:
    """A post's text with quoted text as ``> `` lines, and the links its author wrote outside the quotes.

    :param quotes: selectors of quote blocks; nested quotes become ``> > `` lines.
    :param attribution: selectors of a quote's "X wrote:" line, kept as its first quoted line.
    :param quote_body: selectors of the quoted words inside a quote block (else the whole block).
    :param chrome: selectors of what is page furniture rather than the post ("Click to expand...").
    :param unlink: selectors of anchors whose text stays but whose href is no link (``@mentions``).
    :param page_url: the page's own URL; links to it are not links the author shared.
    """
    if body is None:
        return "", []
    clone = copy.copy(body)
    for selector in chrome:
        for found in clone.select(selector):
            found.extract()
    for selector in unlink:
        for found in clone.select(selector):
            found.attrs.pop("href", None)
    if quotes:
        for quote in reversed(clone.select(", ".join(quotes))):
            quote.replace_with(NavigableString(_quoted_lines(quote, attribution, quote_body)))
    return text_of(clone), links_in(clone, base_url, page_url)


def _quoted_lines(quote: Tag, attribution, quote_body) -> str:
    head = first(quote, attribution) if attribution else None
    lines = []
    if head is not None:
        who = clean_text(head.get_text(" "))
        head.extract()
        if who:
            lines.append(who)
    content = first(quote, quote_body) if quote_body else None
    lines += text_of(content if content is not None else quote).split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    rendered = [QUOTE_PREFIX + line if line.strip() else QUOTE_PREFIX.strip() for line in lines]
    return "\n\n" + "\n".join(rendered) + "\n\n" if rendered else ""


def add_post(builder: ThreadBuilder, *, text: str, hrefs=(), **fields) -> Post:
    """Add a post whose links come from its author's own words: URLs in quoted lines are someone else's."""
    post = builder.add(text=text, hrefs=list(hrefs), **fields)
    own_words = "\n".join(line for line in post.text.split("\n") if not line.startswith(QUOTE_PREFIX.strip()))
    written = [url for url in urls_in_text(own_words) if not SHORTENED_URL.search(url)]
    post.links, post.domains = collect_links([*hrefs, *written])
    return post


def links_in(element: Tag, base_url: str | None, page_url: str | None = None) -> list[str]:
    """The links in ``element`` (a copy the caller owns), skipping hrefs too malformed to resolve."""
    try:
        links = links_of(element, base_url, page_url=page_url)
    except ValueError:  # a bracket in a host makes urljoin fail: drop that href, keep the others
        for anchor in element.find_all("a", href=True):
            if absolute(anchor["href"], base_url) is None:
                del anchor["href"]
        links = links_of(element, base_url, page_url=page_url)
    return [without_session(_redirect_target(unwrap_archive_url(link))) or link for link in links]


def _redirect_target(url: str) -> str:
    """The target of a site's own outgoing-link hop, else the URL itself."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query or not REDIRECT_PATH.search(parts.path):
        return url
    for key, value in parse_qsl(parts.query):
        if key.lower() in REDIRECT_PARAMS and value.startswith(("http://", "https://")):
            return value
    return url


def absolute(href: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL for an href, or None for anything else."""
    if not href or not isinstance(href, str):
        return None
    href = href.strip()
    if href.startswith("//"):
        href = "https:" + href
    try:
        url = unwrap_archive_url(urljoin(base, href) if base else href)
        return url if urlsplit(url).scheme in ("http", "https") else None
    except ValueError:
        return None


def without_session(url: str | None) -> str | None:
    """The URL without the session id forums put in links (``?s=…``, ``&sid=…``)."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query:
        return url
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if not (k.lower() in SESSION_PARAMS and (SESSION_VALUE.match(v) or not v))]
    if len(kept) == len(query):
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), parts.fragment))


def link_of(element: Tag | None, base_url: str | None) -> str | None:
    """The link on or around an author element (their profile)."""
    if element is None:
        return None
    anchor = element if element.name == "a" else element.find("a", href=True) or element.find_parent("a")
    if anchor is None or not anchor.get("href") or anchor["href"].startswith("#"):
        return None
    return without_session(absolute(anchor["href"], base_url))


def meta_value(soup: BeautifulSoup, *keys: str) -> str | None:
    """Like ``html.meta``, also reading ``value=`` (some saved pages write their metadata so)."""
    found = meta(soup, *keys)
    if found:
        return found
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: key})
            if tag is not None and (tag.get("value") or "").strip():
                return tag["value"].strip()
    return None


def page_url(soup: BeautifulSoup) -> str | None:
    """The page's canonical address (canonical link, else og:url), without a forum session id."""
    link = soup.find("link", rel="canonical", href=True)
    candidates = [link["href"] if link else None, meta_value(soup, "og:url"), meta_value(soup, "twitter:url")]
    for candidate in candidates:
        url = absolute(candidate, None)
        if url:
            return without_session(url)
    return None


def base_href(soup: BeautifulSoup, url: str | None) -> str | None:
    """What relative links on the page resolve against: its ``<base href>`` (XenForo 1, vBulletin and
    Discuz! set one), else the page's own URL."""
    found = soup.find("base", href=True)
    return absolute(found["href"], url) if found is not None else url or None


def page_title(soup: BeautifulSoup, selectors) -> str | None:
    for selector in selectors:
        for found in soup.select(selector):
            title = clean_text(found.get_text(" "))
            if title:
                return title
    title = meta_value(soup, "og:title", "twitter:title")
    if title:
        return clean_text(title)
    if soup.title and soup.title.get_text():
        return clean_text(soup.title.get_text())
    return None


def page_dayfirst(soup: BeautifulSoup) -> bool:
    """Whether the page writes numeric dates day first: yes unless it is in (US) English."""
    lang = soup.html.get("lang") if soup.html is not None else None
    lang = str(lang or meta(soup, "og:locale", "language", "content-language") or "").strip().lower()
    lang = lang.replace("_", "-")
    return bool(lang) and lang not in MONTH_FIRST_LANGUAGES


def read_date(text: str | None, dayfirst: bool = False) -> str | None:
    """An ISO date from what a page writes, day first only where the form allows it."""
    if not text:
        return None
    text = clean_text(text)
    if YEAR_FIRST_DATE.search(text):
        return iso_date(text)
    return iso_date(text, dayfirst=dayfirst or bool(DOTTED_DATE.search(text)))


def date_of(element: Tag | None, dayfirst: bool = False) -> str | None:
    """An ISO date from an element: machine-readable attributes (its own, then its time/abbr) first."""
    if element is None:
        return None
    for node in [element, *element.find_all(("time", "abbr"))]:
        for attr in DATE_ATTRIBUTES:
            value = node.get(attr)
            if isinstance(value, str) and value.strip():
                found = read_date(value, dayfirst)
                if found:
                    return found
    text = clean_text(element.get_text(" "))
    return read_date(text, dayfirst) if len(text) <= 120 else None


def date_in(element: Tag, selectors, dayfirst: bool = False, nested: set[int] | None = None) -> str | None:
    """The first date any of the selectors finds inside ``element`` (outside its ``nested`` replies)."""
    for selector in selectors:
        for found in element.select(selector):
            if nested and any(id(parent) in nested for parent in found.parents if parent is not element):
                continue
            date = date_of(found, dayfirst)
            if date:
                return date
    return None


def count_in(element: Tag | None) -> int | None:
    """The number an element states ("27 Comments", "Kommentare: 1.204")."""
    if element is None:
        return None
    match = COUNT.search(element.get_text(" "))
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return int(digits) if digits else None


def page_article(soup: BeautifulSoup, url: str | None, base: str | None, *, exclude=(),
                 dayfirst: bool = False) -> Article:
    """The page's own article: the body with the most text among the usual body containers (else the
    element with the most paragraph text), and the author and date of the byline nearest to it."""
    furniture = {id(el) for el in soup.select(", ".join((*NOT_ARTICLE_SELECTORS, *exclude)))}
    discussion = {id(el) for el in soup.select(", ".join((*COMMENT_AREA_SELECTORS, *exclude)))}

    def allowed(el: Tag, banned: set[int] = furniture) -> bool:
        return id(el) not in banned and not any(id(parent) in banned for parent in el.parents)

    chrome = (*NOT_ARTICLE_SELECTORS, *exclude)
    body, best = None, MIN_ARTICLE_CHARS - 1
    for el in soup.select(", ".join(ARTICLE_BODY_SELECTORS)):
        if allowed(el):
            length = len(post_text(el, base, chrome=chrome, page_url=url)[0])
            if length > best:
                body, best = el, length
    if body is None:
        for el in soup.find_all(True):
            paragraphs = el.find_all(ARTICLE_PARAGRAPHS, recursive=False)
            score = sum(len(p.get_text(" ", strip=True)) for p in paragraphs)
            if score > best and allowed(el):
                body, best = el, score
    article = Article()
    if body is not None:
        article.text, article.hrefs = post_text(body, base, quotes=("blockquote",), chrome=chrome, page_url=url)
    # the byline nearest the body: inside it, then in each enclosing element in turn, then anywhere
    scopes = [body, *body.parents][:MAX_BYLINE_LEVELS] if body is not None else []
    scopes = [s for s in scopes if isinstance(s, Tag) and s.name not in ("html", "[document]")] + [soup]

    def nearest(selectors, accept):
        for scope in scopes:
            for selector in selectors:
                for el in scope.select(selector):
                    value = accept(el) if allowed(el, discussion) else None
                    if value:
                        return el, value
        return None, None

    author_el, article.author = nearest(ARTICLE_AUTHOR_SELECTORS, _byline_name)
    article.author_url = link_of(author_el, base)
    article.author = article.author or _byline_name(meta_value(soup, *ARTICLE_AUTHOR_METAS))
    article.date = read_date(meta_value(soup, *ARTICLE_DATE_METAS)) or nearest(
        ARTICLE_DATE_SELECTORS, lambda el: date_of(el, dayfirst))[1]
    return article


def _byline_name(found: Tag | str | None) -> str | None:
    """A name from a byline ("By Jane Doe, Senior Editor" gives Jane Doe)."""
    if found is None:
        return None
    text = clean_text(found if isinstance(found, str) else found.get_text(" "))
    text = BYLINE_PREFIX.sub("", text).split(",")[0].split(" | ")[0].strip(" :|-–—")
    return text if 0 < len(text) <= 80 and not any(ch.isdigit() for ch in text[:4]) else None


def browser_whitespace(element: Tag | None) -> Tag | None:
    """A copy of ``element`` whose source line breaks are spaces, as a browser shows them (``<pre>`` aside)."""
    if element is None:
        return None
    clone = copy.copy(element)
    for node in list(clone.find_all(string=True)):
        if "\n" in node and type(node) is NavigableString and node.find_parent("pre") is None:
            node.replace_with(NavigableString(node.replace("\n", " ")))
    return clone
