"""The records every parser produces and every engine indexes: a Thread and its Posts."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields


def stable_id(*parts: str | None, length: int = 16) -> str:
    """A short hex id derived only from its parts, so reparsing the same page gives the same id."""
    digest = hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass
class Post:
    """One post or comment.

    ``kind`` is ``"post"`` for the thread's root and ``"comment"`` for every reply; replies kept
    apart from comments are ``"pingback"`` (pingbacks, trackbacks) and ``"deleted"`` (a body
    the platform shows as deleted or removed).
    Quoted text (someone else's words) stands in ``text`` as lines starting with ``> ``.
    ``date`` is an ISO 8601 string or None (never the time of indexing).
    ``links`` are normalised URLs found in the text; ``domains`` their normalised hosts.
    ``parent_id`` is set only where the page shows which post a comment replies to.
    ``position`` is the post's place in page order, the root being 0.
    """

    id: str
    thread_id: str
    kind: str
    author: str | None
    text: str
    position: int
    author_url: str | None = None
    date: str | None = None
    links: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    parent_id: str | None = None
    permalink: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Post:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Thread:
    """A saved discussion: its metadata and its posts in page order (root first).

    ``declared_comments`` is the comment count the page itself states (a "45 Responses" heading,
    an API's ``comment_count``), where it states one; ``not_loaded`` counts comments the page
    refers to but does not contain ("load more" stubs). ``captured`` is when the page was saved,
    where it says; when one thread is saved twice, the newer snapshot's posts win.
    ``continues`` and ``continued_at`` chain the pages of one thread saved as several files when
    a page does not name its thread ("more comments" pages): a page whose ``continues`` equals
    another's ``continued_at`` joins that page's thread when indexed.
    """

    id: str
    platform: str
    source: str
    url: str | None = None
    site: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    declared_comments: int | None = None
    not_loaded: int = 0
    captured: str | None = None
    continues: str | None = None
    continued_at: str | None = None
    posts: list[Post] = field(default_factory=list)

    @property
    def comments(self) -> list[Post]:
        return [p for p in self.posts if p.kind == "comment"]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["posts"] = [p.as_dict() for p in self.posts]
        return data

    def metadata(self) -> dict:
        """The thread's own fields, without its posts."""
        data = asdict(self)
        del data["posts"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Thread:
        names = {f.name for f in fields(cls)} - {"posts"}
        thread = cls(**{k: v for k, v in data.items() if k in names})
        thread.posts = [Post.from_dict(p) for p in data.get("posts", [])]
        return thread
