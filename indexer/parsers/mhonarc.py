"""MHonArc thread indexes: a mailing-list month's "Archive by Thread" page.

The page lists each conversation as nested ``<li>`` entries (``<strong><a name="00290"
href="msg00290.html">subject</a></strong>, <em>author</em>``); nesting shows who answered
whom. An entry after a ``<Possible follow-ups>`` line belongs to the conversation but MHonArc
could not tell what it answers. The index shows subjects and names only, so each post's text
is its subject and its date is unknown.
"""

from __future__ import annotations

import re

from bs4 import Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.records import Thread

GENERATOR = re.compile(r"<!--\s*MHonArc v[\d.]+\s*-->", re.I)
FOLLOW_UPS = re.compile(r"possible follow-?ups", re.I)


class MhonarcParser(Parser):
    PLATFORM = "mhonarc"
    DESCRIPTION = "MHonArc mailing-list thread indexes: conversations, who answered whom, subjects and names"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        head = source.head
        return bool(GENERATOR.search(head)) and "by thread" in head.lower()

    def parse(self, source: SourceFile) -> list[Thread]:
        soup = source.soup
        listing = next((ul for ul in soup.find_all("ul") if _entry_anchor(_first_entry(ul))), None)
        if listing is None:
            raise ParseError(source.relpath, "mhonarc: the thread index lists no messages")
        page_title = clean_text(soup.title.get_text()) if soup.title else ""
        threads = []
        for item in listing.find_all("li", recursive=False):
            anchor = _entry_anchor(item)
            if anchor is None:
                continue
            builder = ThreadBuilder(source, self.PLATFORM, title=clean_text(anchor.get_text()),
                                    thread_key=f"mhonarc:{page_title}:{source.relpath}:{anchor['name']}")
            self._add(builder, item, anchor, kind="post", parent=None)
            threads.append(builder.build())
        if not threads:
            raise ParseError(source.relpath, "mhonarc: the thread index lists no messages")
        return threads

    def _add(self, builder: ThreadBuilder, item: Tag, anchor: Tag, *, kind: str, parent: str | None) -> None:
        author = item.find("em", recursive=False)
        builder.add(kind=kind, author=clean_text(author.get_text()) if author else None,
                    text=clean_text(anchor.get_text()), native_id=anchor["name"], parent=parent)
        for replies in item.find_all("ul", recursive=False):
            unknown_parent = False
            for reply in replies.find_all("li", recursive=False):
                reply_anchor = _entry_anchor(reply)
                if reply_anchor is None:
                    unknown_parent = unknown_parent or bool(FOLLOW_UPS.search(reply.get_text()))
                    continue
                self._add(builder, reply, reply_anchor, kind="comment",
                          parent=None if unknown_parent else anchor["name"])


def _first_entry(listing: Tag) -> Tag | None:
    return next((li for li in listing.find_all("li", recursive=False) if _entry_anchor(li)), None)


def _entry_anchor(item: Tag | None) -> Tag | None:
    if item is None:
        return None
    strong = item.find("strong", recursive=False)
    anchor = strong.find("a", attrs={"name": True}) if strong else None
    return anchor if anchor is not None and anchor.get_text(strip=True) else None
