"""Helpers the comment-export and mailbox parsers share: reading XML exports tolerantly, names
without addresses, message text with quotes as "> " lines, and replies ordered after their parents."""

from __future__ import annotations

import heapq
import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from lxml import etree

from indexer.links import URL_IN_TEXT, collect_links
from indexer.parsers.base import ParseError, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.html import links_of, text_of
from indexer.records import Post

# -- namespaces, by a part of their URI (exporters disagree on versions and http/https) -----------
NAMESPACE_KINDS = (
    ("wordpress.org/export", "wp"),
    ("purl.org/rss/1.0/modules/content", "content"),
    ("purl.org/dc/elements", "dc"),
    ("disqus", "dsq"),
    ("excerpt", "excerpt"),
)


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
