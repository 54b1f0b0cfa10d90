"""Disqus XML exports: one thread per Disqus thread that has comments, replies under their parents.

An export is ``<disqus>`` holding ``<category>``, ``<thread dsq:id>`` (``link``, ``title``,
``createdAt``, ``message``) and ``<post dsq:id>`` elements (``message`` as HTML,
``createdAt``, ``isDeleted``, ``isSpam``, ``author/name``, ``<thread dsq:id>`` and, for
replies, ``<parent dsq:id>``). Posts follow all threads, so a post is placed by its thread
reference, never by its position.

Deleted and spam posts are left out. Threads hold no opening post: the export has the
article's title and link but not its text (the reindexer gives such threads an empty root);
a thread whose ``message`` has text gets that text as its root. A Disqus thread's ``author``
is whoever created the thread in Disqus (often the first commenter), not the article's
author, so it is not used. Author e-mail addresses and IP addresses are never read, and
addresses typed into a comment are hidden.

A malformed export (a stray character before ``<?xml``, an unquoted attribute) is read as far
as lxml's recovering parser goes; what could not be placed is logged, and only a file with
nothing readable raises ParseError.
"""

from __future__ import annotations

import logging
import re

from indexer.dates import iso_date
from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder
from indexer.parsers.messages import add_post, author_name, message_text, namespace_kind, parents_first, read_xml
from indexer.records import Thread

log = logging.getLogger(__name__)

DISQUS_ROOT = re.compile(r"<disqus\b")
DISQUS_NAMESPACE = re.compile(r"""xmlns(?::\w+)?=["']https?://(?:www\.)?disqus\.com""")
TRUE = "true"


class DisqusParser(Parser):
    PLATFORM = "disqus"
    DESCRIPTION = "Disqus XML exports: every thread with its comments and replies (deleted and spam left out)"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        head = source.head
        return bool(DISQUS_ROOT.search(head) and DISQUS_NAMESPACE.search(head))

    def parse(self, source: SourceFile) -> list[Thread]:
        root, complaints = read_xml(source, "disqus")
        threads: dict[str, dict] = {}
        posts: list[dict] = []
        unplaced = 0
        for element in root.iter():
            kind, name = namespace_kind(element.tag)
            if name == "thread" and _dsq_id(element) and _field(element, "title") is not None:
                threads.setdefault(_dsq_id(element), _thread_fields(element))
            elif name == "post" and kind != "?":
                post = _post_fields(element)
                if post is None:
                    continue
                if post["thread"] is None:
                    unplaced += 1
                    continue
                posts.append(post)

        by_thread: dict[str, list[dict]] = {}
        for post in posts:
            if post["thread"] in threads:
                by_thread.setdefault(post["thread"], []).append(post)
            else:
                unplaced += 1
        result = []
        for thread_id, fields in threads.items():
            thread = self._thread(source, thread_id, fields, by_thread.get(thread_id, []))
            if thread is not None:
                result.append(thread)

        if complaints or unplaced:
            log.warning(
                "%s: disqus: %s; %d threads read, %d posts could not be placed in a thread",
                source.relpath, "; ".join(complaints[:3]) or "well-formed", len(result), unplaced,
            )
        if not result and (complaints or unplaced):
            reason = complaints[-1] if complaints else f"{unplaced} posts name no thread the file holds"
            raise ParseError(source.relpath, f"disqus: nothing readable recovered ({reason})")
        return result

    def _thread(self, source: SourceFile, thread_id: str, fields: dict, posts: list[dict]) -> Thread | None:
        if fields["deleted"] or not (posts or fields["text"]):
            return None
        builder = ThreadBuilder(
            source, self.PLATFORM, url=fields["url"], title=fields["title"], date=fields["date"],
            thread_key=f"{source.relpath}#disqus-{thread_id}",
        )
        if fields["text"]:
            add_post(builder, kind="post", author=None, text=fields["text"], hrefs=fields["hrefs"],
                     date=fields["date"], permalink=fields["url"])
        entries = [(p["id"], p["parent"], p) for p in posts]
        for native, parent, post in parents_first(entries):
            add_post(
                builder,
                kind="comment",
                author=post["author"],
                text=post["text"],
                hrefs=post["hrefs"],
                date=post["date"],
                native_id=native,
                parent=parent,
                permalink=f"{fields['url']}#comment-{native}" if fields["url"] and native else None,
            )
        return builder.build()


def _thread_fields(element) -> dict:
    url = _link(element)
    text, hrefs = message_text(_field(element, "message"), url)
    return {
        "url": url,
        "title": _field(element, "title"),
        "date": iso_date(_field(element, "createdAt")),
        "deleted": (_field(element, "isDeleted") or "").lower() == TRUE,
        "text": text,
        "hrefs": hrefs,
    }


def _post_fields(element) -> dict | None:
    """A post's readable fields, or None for a deleted or spam post."""
    if (_field(element, "isDeleted") or "").lower() == TRUE or (_field(element, "isSpam") or "").lower() == TRUE:
        return None
    thread = _ref(element, "thread")
    text, hrefs = message_text(_field(element, "message"))
    author = next((c for c in element if namespace_kind(c.tag)[1] == "author"), None)
    name = _field(author, "name") if author is not None else None
    return {
        "id": _dsq_id(element),
        "thread": thread,
        "parent": _ref(element, "parent"),
        "text": text,
        "hrefs": hrefs,
        "date": iso_date(_field(element, "createdAt")),
        "author": author_name(name),
    }


def _dsq_id(element) -> str | None:
    """The ``dsq:id`` attribute (whatever its namespace prefix), or None."""
    for key, value in element.attrib.items():
        if key.rsplit("}", 1)[-1] == "id" and value.strip():
            return value.strip()
    return None


def _ref(element, name: str) -> str | None:
    """The ``dsq:id`` of a reference child (``<thread dsq:id=".."/>``, ``<parent dsq:id=".."/>``)."""
    for child in element:
        if namespace_kind(child.tag)[1] == name:
            return _dsq_id(child)
    return None


def _field(element, name: str) -> str | None:
    for child in element:
        if namespace_kind(child.tag)[1] == name:
            return "".join(child.itertext()).strip()
    return None


def _link(element) -> str | None:
    link = (_field(element, "link") or "").strip()
    return link if link.startswith(("http://", "https://")) else None
