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

import logging
import re
from html import unescape
from urllib.parse import urlsplit

from indexer.dates import iso_date
from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.messages import (
    add_post,
    author_name,
    message_text,
    namespace_kind,
    parents_first,
    read_xml,
)
from indexer.records import Thread

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
