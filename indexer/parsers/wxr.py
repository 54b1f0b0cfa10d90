"""WordPress WXR exports: each published post or page with its approved comments, one thread each.

WXR is RSS 2.0 with WordPress's ``wp:`` namespace (``http(s)://wordpress.org/export/1.0/``
to ``1.2``): ``<item>`` holds a post (``title``, ``link``, ``dc:creator``, ``content:encoded``,
``wp:post_type``, ``wp:status``, ``wp:post_date_gmt``) and its ``<wp:comment>`` elements
(``wp:comment_author``, ``wp:comment_date_gmt``, ``wp:comment_content``,
``wp:comment_approved``, ``wp:comment_type``, ``wp:comment_parent``). The Disqus import
flavour (items with ``dsq:thread_identifier``, written by Duoshuo and Disqus converters,
without post types or statuses) is read the same way.

Only what a reader of the blog saw is kept: unapproved, spam and trashed comments, drafts and
private notes are left out; pingbacks and trackbacks become ``kind: pingback``. The
commenters' e-mail addresses and IP addresses are never read, and addresses typed into a
comment are hidden. The helpers at the bottom (message text, address hiding, own links,
parents-first order) are shared with the Disqus and mailbox parsers.
"""

from __future__ import annotations

import heapq
import logging
import re
import warnings
from html import unescape
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from lxml import etree

from indexer.dates import iso_date
from indexer.links import URL_IN_TEXT, collect_links
from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.html import links_of, text_of
from indexer.records import Post, Thread

log = logging.getLogger(__name__)

# -- recognising a WXR file ---------------------------------------------------------------------
WXR_NAMESPACE = re.compile(r"""xmlns:wp=["']https?://wordpress\.org/export/""")
RSS_ROOT = re.compile(r"<rss\b")

# -- what is kept -------------------------------------------------------------------------------
POST_TYPES = ("post", "page", "")  # "" where the exporter wrote none (Disqus import flavour)
HIDDEN_STATUSES = ("draft", "auto-draft", "pending", "private", "trash", "inherit", "future")
APPROVED = ("1", "approve", "approved", "")  # "" where the exporter wrote none
PING_TYPES = ("pingback", "trackback", "webmention")
COMMENT_TYPES = ("", "comment", "review")
# rejected: keeping every other comment_type as a comment; WooCommerce writes private order
# notes ("order_note") as comments, and plugins use types for data no reader ever saw.

# -- namespaces, by a part of their URI (exporters disagree on versions and http/https) -----------
NAMESPACE_KINDS = (
    ("wordpress.org/export", "wp"),
    ("purl.org/rss/1.0/modules/content", "content"),
    ("purl.org/dc/elements", "dc"),
    ("disqus", "dsq"),
    ("excerpt", "excerpt"),
)


class WxrParser(Parser):
    PLATFORM = "wxr"
    DESCRIPTION = "WordPress WXR exports (and the Disqus import flavour): posts and pages with their approved comments"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        head = source.head
        return bool(RSS_ROOT.search(head) and WXR_NAMESPACE.search(head))

    def parse(self, source: SourceFile) -> list[Thread]:
        root, complaints = read_xml(source, "wxr")
        channel = _child(root, "", "channel")
        if channel is None:
            raise ParseError(source.relpath, "wxr: no <channel> in the file (not a WordPress export?)")
        blog_url = _http(_text(channel, "wp", "base_blog_url")) or _http(_text(channel, "", "link"))
        names = _display_names(channel)
        threads = []
        for index, item in enumerate(_children(channel, "", "item")):
            thread = self._thread(source, item, index, blog_url, names)
            if thread is not None:
                threads.append(thread)
        if complaints:
            log.warning("%s: wxr: malformed XML recovered (%s); %d threads read",
                        source.relpath, "; ".join(complaints[:3]), len(threads))
        return threads

    def _thread(self, source: SourceFile, item, index: int, blog_url: str | None, names: dict) -> Thread | None:
        post_type = _text(item, "wp", "post_type").lower()
        status = _text(item, "wp", "status").lower()
        if post_type not in POST_TYPES or status in HIDDEN_STATUSES:
            return None
        url = _http(_text(item, "", "link"))
        disqus_flavour = _child(item, "dsq", "thread_identifier") is not None
        content, hrefs = message_text(_text(item, "content", "encoded"), url)
        comments = [c for c in _children(item, "wp", "comment") if _shown(c)]
        if not content and not comments:
            return None

        login = clean_text(_text(item, "dc", "creator"))
        author = names.get(login) or login or None
        date = _gmt(_text(item, "wp", "post_date_gmt")) or iso_date(_text(item, "", "pubDate")) or iso_date(
            _text(item, "wp", "post_date")
        )
        key = _text(item, "wp", "post_id") or _text(item, "dsq", "thread_identifier") or url or str(index)
        builder = ThreadBuilder(
            source, self.PLATFORM, url=url, title=unescape(_text(item, "", "title")), author=author, date=date,
            site=_site(blog_url) if not url else None, thread_key=f"{source.relpath}#wxr-{key}",
        )
        if content:
            add_post(builder, kind="post", author=author, text=content, hrefs=hrefs, date=date, permalink=url)

        entries = []
        for comment in comments:
            native = _text(comment, "wp", "comment_id") or None
            parent = _text(comment, "wp", "comment_parent")
            date = _gmt(_text(comment, "wp", "comment_date_gmt")) or iso_date(_text(comment, "wp", "comment_date"))
            entries.append((native, parent if parent not in ("", "0") else None, comment, date))
        # WordPress shows comments oldest first; exports list them by id, which mostly agrees
        if all(entry[3] for entry in entries):
            entries.sort(key=lambda entry: entry[3])
        for native, parent, comment, date in parents_first(entries):
            text, comment_hrefs = message_text(_text(comment, "wp", "comment_content"), url)
            kind = "pingback" if _text(comment, "wp", "comment_type").lower() in PING_TYPES else "comment"
            add_post(
                builder,
                kind=kind,
                author=author_name(unescape(_text(comment, "wp", "comment_author"))),
                author_url=_http(_text(comment, "wp", "comment_author_url")),
                text=text,
                hrefs=comment_hrefs,
                date=date,
                native_id=native,
                parent=parent,
                permalink=f"{url}#comment-{native}" if url and native and not disqus_flavour else None,
            )
        return builder.build()


def _shown(comment) -> bool:
    """Whether readers of the blog saw this comment: approved, and a comment or a ping."""
    approved = _text(comment, "wp", "comment_approved").lower()
    kind = _text(comment, "wp", "comment_type").lower()
    return approved in APPROVED and (kind in COMMENT_TYPES or kind in PING_TYPES)


def _display_names(channel) -> dict[str, str]:
    """Author logins (what ``dc:creator`` holds) mapped to the display names the blog shows."""
    names = {}
    for author in _children(channel, "wp", "author"):
        login = clean_text(_text(author, "wp", "author_login"))
        shown = author_name(_text(author, "wp", "author_display_name"))
        if login and shown:
            names[login] = shown
    return names


def _gmt(value: str) -> str | None:
    """A WordPress ``*_date_gmt`` value ("2014-01-14 17:31:03", UTC) as ISO 8601; None for 0000-00-00."""
    value = value.strip()
    if not value or value.startswith("0000"):
        return None
    return iso_date(f"{value}+00:00") or iso_date(value)


def _site(url: str | None) -> str | None:
    from indexer.links import url_domain

    return url_domain(url) if url else None


# -- XML access by namespace kind and local name ------------------------------------------------


def read_xml(source: SourceFile, platform: str):
    """(root element, complaints) of an XML export, read as far as a tolerant parser goes.

    Junk before the first ``<`` (a stray character before ``<?xml``) is skipped; the
    complaints list what the parser had to repair or drop, empty for a well-formed file.
    Raises ParseError when nothing at all is readable.
    """
    data = source.data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    start = data.find(b"<")
    if start < 0:
        raise ParseError(source.relpath, f"{platform}: no XML in the file")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data[start:], parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(source.relpath, f"{platform}: unreadable XML: {exc}") from None
    complaints = [f"line {e.line}: {e.message.strip()}" for e in parser.error_log]
    if data[:start].strip():
        complaints.insert(0, f"{start} stray byte(s) before the XML skipped")
    if root is None:
        reason = complaints[-1] if complaints else "no element found"
        raise ParseError(source.relpath, f"{platform}: unreadable XML ({reason})")
    return root, complaints


def namespace_kind(tag) -> tuple[str, str]:
    """(namespace kind, local name) of an element: ("wp", "comment") for ``<wp:comment>``."""
    if not isinstance(tag, str):
        return "?", ""  # comments and processing instructions
    qname = etree.QName(tag)
    uri = (qname.namespace or "").lower()
    if not uri:
        return "", qname.localname
    for part, kind in NAMESPACE_KINDS:
        if part in uri:
            return kind, qname.localname
    return uri, qname.localname


def _children(element, kind: str, name: str):
    for child in element:
        if namespace_kind(child.tag) == (kind, name):
            yield child


def _child(element, kind: str, name: str):
    return next(_children(element, kind, name), None)


def _text(element, kind: str, name: str) -> str:
    child = _child(element, kind, name)
    return "".join(child.itertext()).strip() if child is not None else ""


def _http(url: str | None) -> str | None:
    url = (url or "").strip()
    try:
        return url if url and urlsplit(url).scheme in ("http", "https") else None
    except ValueError:
        return None


# -- shared by the comment-export and mailbox parsers -------------------------------------------

# Addresses as people write them; at least everything tests.golden's EMAIL pattern finds.
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
ADDRESS_HIDDEN = "[address hidden]"


def hide_addresses(text: str) -> str:
    """The text with every e-mail address replaced by a marker."""
    return EMAIL_ADDRESS.sub(ADDRESS_HIDDEN, text) if "@" in text else text


def author_name(value: str | None) -> str | None:
    """A commenter's name as shown, with any e-mail address in it removed; None if nothing is left."""
    name = clean_text(EMAIL_ADDRESS.sub(" ", value or ""))
    name = clean_text(name.strip("<>\"' ,;"))
    return name or None


def message_text(html: str | None, base_url: str | None = None) -> tuple[str, list[str]]:
    """(readable text, links written) of a comment's HTML or plain text.

    Paragraphs and line breaks are kept; a ``<blockquote>`` becomes ``> `` lines (nested ones
    ``> > ``) and its links are not the author's. Addresses are hidden.
    """
    if not html or not html.strip():
        return "", []
    with warnings.catch_warnings():  # a comment that is only a URL or starts with <?xml is still a comment
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(html, "lxml")
    for quote in reversed(soup.find_all("blockquote")):
        quoted = "\n".join(("> " + line) if line else ">" for line in text_of(quote).split("\n"))
        replacement = soup.new_tag("p")
        replacement.string = "\n" + quoted + "\n"
        quote.replace_with(replacement)
    try:
        hrefs = links_of(soup, base_url, page_url=base_url)
    except ValueError:  # an href too malformed to split: the text's own URLs still count
        hrefs = []
    return hide_addresses(text_of(soup)), [h for h in hrefs if not EMAIL_ADDRESS.search(h)]


def own_links(text: str, hrefs=()) -> tuple[list[str], list[str]]:
    """(links, domains) an author wrote: hrefs plus URLs in lines that are not quotes.

    A URL written out with an ellipsis (``http://blogs.msdn.com/b/b8/...``, the shortened
    text of a link) is only its link's label and is skipped.
    """
    urls = list(hrefs)
    for line in text.split("\n"):
        if line.lstrip().startswith(">"):
            continue
        for match in URL_IN_TEXT.finditer(line):
            url = match.group(0)
            if url.endswith(("...", "…")) or line[match.end():].startswith(("...", "…")):
                continue
            urls.append(url)
    return collect_links(urls)


def add_post(builder: ThreadBuilder, *, hrefs=(), **fields) -> Post:
    """ThreadBuilder.add, with links counted from the author's own words only (not quotes)."""
    post = builder.add(**fields)
    post.links, post.domains = own_links(post.text, hrefs)
    return post


def parents_first(entries: list[tuple]) -> list[tuple]:
    """Entries ``(native_id, parent_id, ...)`` in their order, except that no reply comes before its parent.

    A reply whose parent is missing (or is itself) keeps its place and loses the parent; in a
    cycle of replies (bad data) the earliest entry loses its parent.
    """
    first_index: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry[0]:
            first_index.setdefault(entry[0], index)
    parent_of = [
        first_index.get(entry[1]) if entry[1] and entry[1] != entry[0] else None for entry in entries
    ]
    for start in range(len(entries)):  # break cycles: walk up from each entry
        seen: list[int] = []
        index = start
        while index is not None and index not in seen:
            seen.append(index)
            index = parent_of[index]
        if index is not None:  # came back to an entry on the walk: a cycle
            cycle = seen[seen.index(index):]
            parent_of[min(cycle)] = None
    children: dict[int, list[int]] = {}
    ready: list[int] = []
    for index, parent in enumerate(parent_of):
        if parent is None:
            ready.append(index)
        else:
            children.setdefault(parent, []).append(index)
    heapq.heapify(ready)
    result = []
    while ready:
        index = heapq.heappop(ready)
        entry = entries[index]
        result.append(entry if parent_of[index] is not None or not entry[1] else (entry[0], None, *entry[2:]))
        for child in children.get(index, ()):
            heapq.heappush(ready, child)
    return result
