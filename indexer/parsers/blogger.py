"""Blogger / Blogspot post pages: the post and every comment the page shows, replies under their parents.

A Blogger page is recognised by its markup (the ``generator`` meta, the ``b:`` template
namespace, blogger.com widget and comment scripts, Blogger's comment markup), never by its
file name or URL. Two comment layouts exist and both are read:

* threaded (2012 on): ``#comments .comment-thread ol > li.comment#c<id>``, each with a
  ``.comment-block`` (``cite.user``, ``.datetime a``, ``.comment-content``) and its replies in
  ``.comment-replies`` under the comment they answer;
* classic (before 2012, and templates that kept it): ``dl#comments-block`` with
  ``dt.comment-author#c<id>``, ``dd.comment-body`` and ``dd.comment-footer``, never nested.

Comment dates come from the ``showComment=<milliseconds>`` in the comment's permalink where
there is one (an exact instant, written in UTC), else from the visible date text, read
day-first unless the blog's locale is US English.
"""

from __future__ import annotations

import re
from copy import copy
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from indexer.dates import iso_date
from indexer.links import normalize_domain
from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text, parse_errors
from indexer.parsers.html import canonical_url, first, links_of, meta, text_of, time_of, unwrap_archive_url

# -- recognising a Blogger page ---------------------------------------------------------------
# The generator meta alone is enough; otherwise MIN_MARKERS different markers must appear.
GENERATOR_META = re.compile(
    r"""<meta\b[^>]*(?:content=["']blogger["'][^>]*name=["']generator["']"""
    r"""|name=["']generator["'][^>]*content=["']blogger["'])""",
    re.I,
)
MARKERS = (
    re.compile(r"""xmlns:b=["']http://www\.google\.com/2005/gml/b"""),  # the template namespace
    re.compile(r"<b:(?:skin|section|widget)\b"),
    re.compile(r"_WidgetManager\._(?:Init|SetDataContext|RegisterWidget)\("),
    re.compile(r"blogger\.com/static/v1/"),
    re.compile(r"BLOG_CMT_createIframe|blogger\.com/comment(?:-iframe)?\.g\?blogID="),
    re.compile(r"blogger\.com/(?:delete-comment|post-edit|share-post|email-post)\.g\?blogID="),
    re.compile(r"""id=["']comments-block["']"""),
    re.compile(r"""class=["']comment-thread toplevel-thread"""),
    re.compile(r"""id=["']post-body-\d+["']"""),
    re.compile(r"""class=["']widget Blog["']"""),
    re.compile(r"\bresources\.blogblog\.com/"),
    re.compile(r"blogger\.com/profile/\d+"),  # weak alone: commenters elsewhere link their profiles
)
MIN_MARKERS = 2

# -- the post -----------------------------------------------------------------------------------
# Selectors are tried in order; the first that matches wins.
POST_BODY_SELECTORS = (
    ".post-body.entry-content",
    "div.post-body",
    ".post-body",
    ".entry-content[itemprop~=articleBody]",
    "[itemprop~=articleBody]",
    # rejected: ".entry-content" alone, sidebar widgets of some templates use it for snippets
)
# Where the post's own URL is when the page declares no canonical one (pages saved before 2010).
POST_URL_SELECTORS = ("a.timestamp-link[href]", ".post-title a[href]", "a[rel~=bookmark][href]")
# The post's own container; title, author and date are looked for inside it before the page.
POST_CONTAINER_CLASSES = ("post", "post-outer", "hentry", "blog-post", "date-outer")
POST_TITLE_SELECTORS = ("h3.post-title", "h1.post-title", "h2.post-title", ".post-title", ".entry-title")
POST_AUTHOR_SELECTORS = (
    ".post-author .fn [itemprop=name]",
    ".post-author .fn",
    ".post-author .g-profile",
    "a.g-profile",
    ".byline.post-author",
    ".post-author",
    "[itemprop=author] [itemprop=name]",
    ".author.vcard .fn",  # templates ported from WordPress themes
    "a[rel~=author]",
)
POST_DATE_SELECTORS = (
    "abbr.published[title]",
    "time.published[datetime]",
    ".post-timestamp time[datetime]",
    "[itemprop=datePublished]",
    ".published",
    ".date-header",
    ".post-timestamp",
    "a[rel~=bookmark]",
)
# The label before the name when the byline is all we found ("Posted by Jim", "Eingestellt von Anne").
BYLINE_CLASSES = ("post-author", "byline")
POSTED_BY = re.compile(
    r"(?i)^\s*(posted by|eingestellt von|verfasst von|publié par|publicado por|pubblicato da|geplaatst door"
    r"|by|von|par|por|da|door)\s+"
)

# -- the comments -------------------------------------------------------------------------------
COMMENTS_SECTION_SELECTORS = ("#comments", "#comment-holder", "section.comments", ".comments")
# threaded layout
THREADED_COMMENT_SELECTORS = (".comment-thread li.comment", "li.comment[id]")
COMMENT_AUTHOR_SELECTORS = ("cite.user", ".comment-header .user", ".comment-header .comment-author", ".user")
COMMENT_DATE_SELECTORS = (".datetime a[href]", ".datetime", ".comment-timestamp a[href]", "time", ".comment-date")
COMMENT_CONTENT_SELECTORS = (".comment-content", ".comment-body")
# classic layout: an author element followed by its body and footer siblings
CLASSIC_BLOCK_SELECTORS = ("dl#comments-block", "#comments-block", ".comments-block")
CLASSIC_AUTHOR_SELECTORS = ("dt.comment-author", ".comment-author")
CLASSIC_BODY_CLASS = "comment-body"
CLASSIC_FOOTER_CLASS = "comment-footer"
CLASSIC_DATE_SELECTORS = (
    ".comment-timestamp a[href]",
    "a[title='comment permalink']",
    "a[href*='showComment=']",
    ".comment-timestamp",
    # rejected: any "a[href]" in the footer, which is the delete link when the timestamp is missing
)
# "Anonymous said..." as Blogger writes it in the languages of its interface
SAID = re.compile(
    r"(?i)\s*(said|says|wrote|hat gesagt|schrieb|a dit|ha dicho|dijo|ha detto|disse|zei|skrev|sanoi|napisał|dedi)"
    r"\s*(\.\.\.|…|:)?\s*$"
)

# -- ids and dates ------------------------------------------------------------------------------
COMMENT_ELEMENT_ID = re.compile(r"^(?:c|comment-|Blog\d+_cmt-|cmt-)(\d+)$")
THREAD_ELEMENT_ID = re.compile(r"^c(\d+)-r[at]$")  # the reply list under comment <id>
PERMALINK_ID = re.compile(r"#c(\d+)$")
SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{9,})")
DATA_CONTEXT = "_WidgetManager._SetDataContext("  # Blogger's own page data, which names the blog's locale
LOCALE = re.compile(r"""['"](?:locale|languageCode)['"]\s*:\s*['"]([A-Za-z_-]{2,10})['"]""")
MONTH_FIRST_LOCALES = frozenset({"en", "en-us", "en_us"})
DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")  # 07.10.13: always day first
BLOGSPOT_HOST = re.compile(r"^(.+)\.blogspot\.[a-z]{2,3}(?:\.[a-z]{2})?$")
# Blogger's editor wraps every inserted picture in a link to the full-size file
# (``<a href=".../s1600/x.jpg" imageanchor="1"><img></a>``): that is the picture, not a link.
IMAGE_FILE = re.compile(r"(?i)\.(?:jpe?g|png|gif|webp|bmp|svg)(?:[?#].*)?$")
IMAGE_HOSTS = re.compile(
    r"(?i)^(?:\d+\.bp\.blogspot\.com|blogger\.googleusercontent\.com|lh\d+\.googleusercontent\.com)$"
)


class BloggerParser(Parser):
    PLATFORM = "blogger"
    DESCRIPTION = "Blogger / Blogspot post pages: the post and its comments, threaded or classic, with reply parents"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        if GENERATOR_META.search(text[:65536]):
            return True
        found = 0
        for marker in MARKERS:
            if marker.search(text):
                found += 1
                if found >= MIN_MARKERS:
                    return True
        return False

    def parse(self, source: SourceFile) -> list:
        if not source.looks_like_html:
            raise ParseError(source.relpath, "blogger: not an HTML page")
        with parse_errors("blogger", source, nested="markup"):
            return [self._thread(source)]

    def _thread(self, source: SourceFile):
        soup = source.soup
        dayfirst = _dayfirst(source.text, soup)
        body = first(soup, POST_BODY_SELECTORS)
        scopes = [s for s in (_post_container(body), soup) if s is not None]
        url = _page_url(soup, scopes[0])
        comments = _comments(soup, url, dayfirst)
        if body is None and not comments:
            raise ParseError(source.relpath, "blogger: no post body and no comments found (not a post page?)")

        title = _title(soup, scopes)
        # the post's byline is inside the post; a page-wide search would find sidebar profiles
        author_el = first(scopes[0], POST_AUTHOR_SELECTORS)
        author = _byline_name(author_el)
        date_scopes = [scopes[0], body.find_parent(class_="date-outer") if body is not None else None, soup]
        date = _post_date(soup, [s for s in date_scopes if s is not None], dayfirst)

        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=title, site=_site(url), author=author, date=date)
        builder.add(
            kind="post",
            author=author,
            text=text_of(body),
            date=date,
            author_url=_author_link(author_el, url),
            hrefs=_links(body, url),
            permalink=url,
        )
        seen: set[str] = set()
        for comment in comments:
            native_id = comment["native_id"]
            if native_id and native_id in seen:
                continue  # the same comment rendered twice (classic block kept beside threaded)
            if native_id:
                seen.add(native_id)
            builder.add(**comment)
        return builder.build()


# -- the post -----------------------------------------------------------------------------------


def _page_url(soup: BeautifulSoup, post: Tag) -> str | None:
    """The post's canonical URL (else its permanent link), without Blogger's mobile switch (``?m=1``)."""
    url = canonical_url(soup)
    if not url:
        for selector in POST_URL_SELECTORS:
            for anchor in post.select(selector):
                url = _absolute(anchor["href"], None)
                if url:
                    break
            if url:
                break
    return _without_mobile_switch(url) if url else None


def _without_mobile_switch(url: str) -> str:
    """The URL without ``m=1``/``m=0``, Blogger's switch between its mobile and desktop views."""
    parts = urlsplit(url)
    if "m=" not in parts.query:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "m"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _site(url: str | None) -> str | None:
    """The blog's host; country-code Blogspot hosts (x.blogspot.de) are the same blog as x.blogspot.com."""
    if not url:
        return None
    host = normalize_domain(urlsplit(url).hostname)
    match = BLOGSPOT_HOST.match(host or "")
    return f"{match.group(1)}.blogspot.com" if match else host


def _post_container(body: Tag | None) -> Tag | None:
    if body is None:
        return None
    for css_class in POST_CONTAINER_CLASSES:
        found = body.find_parent(class_=css_class)
        if found is not None:
            return found
    return None


def _byline_name(author_el: Tag | None) -> str | None:
    """The post author's name as shown, without the "Posted by" label when the whole byline was matched."""
    if author_el is None:
        return None
    name = clean_text(author_el.get_text(" "))
    if any(c in (author_el.get("class") or []) for c in BYLINE_CLASSES):
        name = POSTED_BY.sub("", name)
    return name or None


def _author_link(author_el: Tag | None, url: str | None) -> str | None:
    """The profile link around or inside the post's byline."""
    if author_el is None:
        return None
    anchor = author_el if author_el.name == "a" else author_el.find_parent("a") or author_el.find("a")
    href = (anchor.get("href") or "").strip() if anchor is not None else ""
    if not href or href.startswith("#"):
        return None
    return _absolute(href, url)


def _first_in(scopes, selectors) -> Tag | None:
    for scope in scopes:
        found = first(scope, selectors)
        if found is not None:
            return found
    return None


def _title(soup: BeautifulSoup, scopes) -> str | None:
    found = _first_in(scopes[:-1], POST_TITLE_SELECTORS)
    if found is not None and clean_text(found.get_text(" ")):
        return clean_text(found.get_text(" "))
    title = meta(soup, "og:title", "twitter:title")
    if title:
        return clean_text(title)
    found = first(soup, POST_TITLE_SELECTORS)
    if found is not None and clean_text(found.get_text(" ")):
        return clean_text(found.get_text(" "))
    if soup.title and soup.title.string:
        return clean_text(soup.title.string)
    return None


def _post_date(soup: BeautifulSoup, scopes, dayfirst: bool) -> str | None:
    for scope in scopes:
        for selector in POST_DATE_SELECTORS:
            for element in scope.select(selector):
                found = _date_of(element, dayfirst)
                if found:
                    return found
        if scope is scopes[0]:
            declared = meta(soup, "article:published_time", "datePublished")
            if declared and iso_date(declared):
                return iso_date(declared)
    return None


# -- the comments -------------------------------------------------------------------------------


def _comments(soup: BeautifulSoup, url: str | None, dayfirst: bool) -> list[dict]:
    """Every comment the page shows, in page order, as keyword arguments for ThreadBuilder.add."""
    section = first(soup, COMMENTS_SECTION_SELECTORS)
    for scope in (section, soup):
        if scope is None:
            continue
        threaded = _threaded(scope, url, dayfirst)
        classic = _classic(scope, url, dayfirst)
        if threaded or classic:
            return threaded + classic
    return []


def _threaded(scope: Tag, url: str | None, dayfirst: bool) -> list[dict]:
    items: list[Tag] = []
    for selector in THREADED_COMMENT_SELECTORS:
        items = scope.select(selector)
        if items:
            break
    result = []
    for item in items:
        content = _own(item, COMMENT_CONTENT_SELECTORS)
        author_el = _own(item, COMMENT_AUTHOR_SELECTORS)
        date_el = _own(item, COMMENT_DATE_SELECTORS)
        if content is None and author_el is None:
            continue  # a placeholder li, not a comment
        permalink = _permalink(date_el, url)
        native_id = _element_id(item) or _permalink_id(permalink) or _reply_id(item)
        result.append(_comment(author_el, content, date_el, permalink, native_id, _parent_id(item), url, dayfirst))
    return result


def _classic(scope: Tag, url: str | None, dayfirst: bool) -> list[dict]:
    block = first(scope, CLASSIC_BLOCK_SELECTORS)
    if block is None:
        return []
    result = []
    for author_el in _select_first(block, CLASSIC_AUTHOR_SELECTORS):
        body = footer = None
        for sibling in author_el.find_next_siblings():
            classes = sibling.get("class") or []
            if sibling.name == author_el.name and "comment-author" in classes:
                break  # the next comment starts
            if body is None and CLASSIC_BODY_CLASS in classes:
                body = sibling
            elif footer is None and CLASSIC_FOOTER_CLASS in classes:
                footer = sibling
        date_el = first(footer, CLASSIC_DATE_SELECTORS) if footer is not None else None
        permalink = _permalink(date_el, url)
        native_id = (
            _element_id(author_el)
            or _anchor_id(author_el)
            or (_element_id(body) if body is not None else None)
            or _permalink_id(permalink)
        )
        result.append(_comment(author_el, body, date_el, permalink, native_id, None, url, dayfirst, classic=True))
    return result


def _comment(author_el, content, date_el, permalink, native_id, parent, url, dayfirst, *, classic=False) -> dict:
    author, author_url = _author(author_el, url, classic=classic)
    date = None
    if permalink:
        stamp = SHOW_COMMENT.search(permalink)
        date = iso_date(stamp.group(1)) if stamp else None
    if date is None and date_el is not None:
        date = _date_of(date_el, dayfirst)
    if permalink is None and native_id and url:
        permalink = f"{url}#c{native_id}"
    return {
        "kind": "comment",
        "author": author,
        "author_url": author_url,
        "text": text_of(content),
        "date": date,
        "native_id": native_id,
        "parent": parent,
        "hrefs": _links(content, url),
        "permalink": permalink,
    }


def _author(element: Tag | None, url: str | None, *, classic: bool) -> tuple[str | None, str | None]:
    """(name as shown, profile or homepage link) of a comment's author element."""
    if element is None:
        return None, None
    link = None
    for anchor in element.find_all("a", href=True):
        href = anchor["href"].strip()
        if href and not href.startswith(("#", "javascript:", "mailto:")) and clean_text(anchor.get_text(" ")):
            link = anchor
            break
    if classic and link is not None:
        name = clean_text(link.get_text(" "))
    else:
        name = clean_text(element.get_text(" "))
    if classic:
        name = SAID.sub("", name)
    author_url = _absolute(link["href"], url) if link is not None else None
    return name or None, author_url


def _own(item: Tag, selectors) -> Tag | None:
    """The first match inside a threaded comment that belongs to it, not to one of its replies."""
    for selector in selectors:
        for found in item.select(selector):
            if _comment_ancestor(found) is item:
                return found
    return None


def _comment_ancestor(element: Tag) -> Tag | None:
    for parent in element.parents:
        if parent.name == "li" and "comment" in (parent.get("class") or []):
            return parent
    return None


def _parent_id(item: Tag) -> str | None:
    """The native id of the comment a threaded reply answers: the comment whose replies hold it."""
    for parent in item.parents:
        if not isinstance(parent, Tag):
            continue
        if parent.name == "li" and "comment" in (parent.get("class") or []):
            return _element_id(parent) or _reply_id(parent)
        match = THREAD_ELEMENT_ID.match(parent.get("id") or "")
        if match:
            return match.group(1)
        if "toplevel-thread" in (parent.get("class") or []):
            return None
    return None


def _element_id(element: Tag | None) -> str | None:
    if element is None:
        return None
    match = COMMENT_ELEMENT_ID.match((element.get("id") or "").strip())
    if match:
        return match.group(1)
    data_id = (element.get("data-id") or "").strip()
    return data_id if data_id.isdigit() else None


def _anchor_id(element: Tag) -> str | None:
    for anchor in element.find_all("a", attrs={"name": True}):
        match = COMMENT_ELEMENT_ID.match(anchor["name"].strip())
        if match:
            return match.group(1)
    return None


def _reply_id(item: Tag) -> str | None:
    """The id on a comment's own reply link (``data-comment-id``), for templates without element ids."""
    for anchor in item.select("[data-comment-id]"):
        if _comment_ancestor(anchor) is item and anchor.find_parent(class_="continue") is None:
            value = anchor["data-comment-id"].strip()
            if value.isdigit():
                return value
    return None


def _permalink(date_el: Tag | None, url: str | None) -> str | None:
    if date_el is None:
        return None
    anchor = date_el if date_el.name == "a" else date_el.find("a", href=True)
    if anchor is None or not anchor.get("href"):
        return None
    href = anchor["href"].strip()
    if href.startswith(("javascript:", "mailto:")):
        return None
    permalink = _absolute(href, url)
    return _without_mobile_switch(permalink) if permalink else None


def _permalink_id(permalink: str | None) -> str | None:
    match = PERMALINK_ID.search(permalink or "")
    return match.group(1) if match else None


# -- shared helpers -----------------------------------------------------------------------------


def _select_first(root: Tag, selectors) -> list[Tag]:
    for selector in selectors:
        found = root.select(selector)
        if found:
            return found
    return []


def _absolute(href: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL, or None for anything else (including hrefs too malformed to split)."""
    if not href:
        return None
    href = href.strip()
    if href.startswith("//"):
        href = "https:" + href
    try:
        absolute = unwrap_archive_url(urljoin(base, href) if base else href)
        return absolute if urlsplit(absolute).scheme in ("http", "https") else None
    except ValueError:
        return None


def _links(element: Tag | None, url: str | None) -> list[str]:
    """The links an author wrote in a post or comment, minus the editor's links to full-size pictures."""
    if element is None:
        return []
    pictures = {_joined(anchor["href"], url) for anchor in element.find_all("a", href=True) if _is_picture_link(anchor)}
    try:
        links = links_of(element, url, page_url=url)
    except ValueError:  # an href too malformed to split (a bracket in the host): read the others
        readable = copy(element)
        for anchor in readable.find_all("a", href=True):
            if _absolute(anchor["href"], url) is None:
                anchor.decompose()
        links = links_of(readable, url, page_url=url)
    return [unwrap_archive_url(link) for link in links if link not in pictures]


def _joined(href: str, base: str | None) -> str:
    href = href.strip()
    try:
        return urljoin(base, href) if base else href
    except ValueError:
        return href


def _is_picture_link(anchor: Tag) -> bool:
    if anchor.find("img") is None or clean_text(anchor.get_text(" ")):
        return False
    href = anchor["href"].strip()
    try:
        host = (urlsplit(href).hostname or "") if "//" in href else ""
    except ValueError:
        return False
    return anchor.has_attr("imageanchor") or bool(IMAGE_FILE.search(href)) or bool(IMAGE_HOSTS.match(host))


def _dayfirst(text: str, soup: BeautifulSoup) -> bool:
    """Whether numeric dates on this page put the day first: yes unless the blog is in US English."""
    start = text.find(DATA_CONTEXT)
    match = LOCALE.search(text, start) if start >= 0 else None
    locale = match.group(1) if match else None
    if not locale and soup.html is not None:
        locale = soup.html.get("lang") or None
    if not locale:
        return False
    return locale.lower() not in MONTH_FIRST_LOCALES


def _date_of(element: Tag, dayfirst: bool) -> str | None:
    return time_of(element, dayfirst=dayfirst or bool(DOTTED_DATE.search(element.get_text(" "))))
