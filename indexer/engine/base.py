"""The engine interface: what the search core asks of any full-text engine.

An engine stores one document per post (see ``index_document``), deletes a source file's
documents, and answers a ``SearchRequest`` holding an already-parsed query tree. Engines
return plain dicts; they know nothing of the CLI or the web UI.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from indexer.dates import parse_date
from indexer.links import domain_and_parents
from indexer.query import MatchAll, Node
from indexer.records import Post, Thread

FACETS = ("author", "domain", "site", "year", "month", "kind", "thread")
SORTS = ("relevance", "newest", "oldest")


@dataclass
class SearchRequest:
    """A parsed query plus facet selections (OR within a facet, AND across facets).

    Selections differ from filters written in the query: each facet's counts are computed as
    if its own selection were not applied (disjunctive faceting), so a user can widen a choice.
    """

    query: Node = field(default_factory=MatchAll)
    selections: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    facets: dict[str, int] = field(default_factory=dict)
    facet_prefixes: dict[str, str] = field(default_factory=dict)
    cursor: str | None = None
    group_by_thread: bool = False


def index_document(thread: Thread, post: Post, snapshot: int | None = None) -> dict:
    """The flat document every engine indexes for one post, and the payload hits come back with.

    ``snapshot`` (epoch seconds: when the page was saved, else the file's mtime) decides which
    copy of a post saved in two files is shown: the newer one.
    """
    when = parse_date(post.date)
    captured = parse_date(thread.captured) if thread.captured else None
    if captured is not None:
        snapshot = epoch_seconds(captured.replace(tzinfo=None) if captured.tzinfo is None
                                 else captured.astimezone(timezone.utc).replace(tzinfo=None))
    return {
        "snapshot": snapshot or 0,
        "id": post.id,
        "thread_id": thread.id,
        "kind": post.kind,
        "author": post.author,
        "author_url": post.author_url,
        "date": post.date,
        "datetime": _naive_utc(when),
        "year": f"{when.year:04d}" if when else None,
        "month": f"{when.year:04d}-{when.month:02d}" if when else None,
        "text": post.text,
        "links": post.links,
        "domains": post.domains,
        "domain_terms": sorted({d for domain in post.domains for d in domain_and_parents(domain)}),
        "parent_id": post.parent_id,
        "position": post.position,
        "permalink": post.permalink,
        "thread_title": thread.title,
        "thread_url": thread.url,
        "thread_author": thread.author,
        "thread_date": thread.date,
        "site": thread.site,
        "site_terms": domain_and_parents(thread.site) if thread.site else [],
        "platform": thread.platform,
        "source": thread.source,
    }


PAYLOAD_FIELDS = (
    "id", "thread_id", "kind", "author", "author_url", "date", "text", "links", "domains", "parent_id",
    "position", "permalink", "thread_title", "thread_url", "thread_author", "thread_date", "site",
    "platform", "source",
)


def payload_of(document: dict) -> dict:
    return {k: document[k] for k in PAYLOAD_FIELDS}


def document_from_payload(payload: dict) -> dict:
    """The index document again from a stored payload, to carry a post into a rebuilt index."""
    thread = Thread(
        id=payload["thread_id"], platform=payload["platform"], source=payload["source"],
        url=payload["thread_url"], site=payload["site"], title=payload["thread_title"],
        author=payload["thread_author"], date=payload["thread_date"],
    )
    post = Post.from_dict(payload)
    return index_document(thread, post)


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def epoch_seconds(value: datetime | None) -> int | None:
    if value is None:
        return None
    return int((value - datetime(1970, 1, 1)).total_seconds())


class EngineWriter(ABC):
    """Changes to an index, all visible at once on ``commit`` and none of them after ``cancel``."""

    @abstractmethod
    def delete_source(self, source: str) -> None:
        """Delete every document that came from the source file ``source`` (as committed so far)."""

    @abstractmethod
    def add(self, document: dict) -> None:
        """Add one document made by ``index_document``."""

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def cancel(self) -> None: ...


class Engine(ABC):
    """One index on disk (or on a cluster) that holds every post of the corpus."""

    name = ""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    @abstractmethod
    def create(cls, path: Path) -> Engine:
        """Make a new, empty index at ``path``."""

    @abstractmethod
    def writer(self) -> EngineWriter:
        """A write session: deletions and additions become visible together at ``commit``."""

    @abstractmethod
    def search(self, request: SearchRequest) -> dict:
        """``{"total", "groups", "hits": [{"score", "thread_hits", **payload}], "next_cursor",
        "facets": {name: {"values": [(value, count)], "truncated"}}}``.

        ``groups`` (the number of threads with hits) and ``thread_hits`` are set when grouping by
        thread; ``next_cursor`` continues after the page's last hit (None on the last page).
        """

    @abstractmethod
    def source_payloads(self, source: str) -> list[dict]:
        """Payloads of every document that came from the source file ``source``."""

    @abstractmethod
    def thread_posts(self, thread_id: str) -> list[dict]:
        """Payloads of every post of a thread, in page order."""

    @abstractmethod
    def threads(self, site: str | None = None) -> list[dict]:
        """Every thread: its root's payload plus ``comments`` and ``authors`` counts."""

    @abstractmethod
    def stats(self) -> dict:
        """Totals: threads, posts, comments, authors, domains, sites, documents."""

    @abstractmethod
    def vocabulary_suggestions(self, word: str, limit: int = 3) -> list[str]:
        """Words of the index close to ``word`` (for "did you mean")."""

    @abstractmethod
    def doc_frequency(self, word: str) -> int:
        """How many posts hold the word as the text field indexes it; -1 for a word it does not index."""

    @abstractmethod
    def analyze(self, text: str):
        """(term, start char, end char) for each word of ``text``, as the text field indexes it."""

    @abstractmethod
    def normalize_term(self, word: str) -> str:
        """A query word as the index stores it (stemmed, lower case)."""

    @abstractmethod
    def normalize_prefix(self, word: str) -> str:
        """A prefix as it must be searched among stored terms."""

    def close(self) -> None:  # noqa: B027 - engines without open files need not override it
        """Release open files."""
