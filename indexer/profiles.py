"""Profiles of commenters and linked domains, and threads laid out for reading: what the web pages show.

Built on ``Archive.search`` (facet counts with a selection) and ``Archive.iter_hits``; nothing here
knows of Flask. Every function returns plain dicts (or None when the index has nothing to show).
"""

from __future__ import annotations

from collections import Counter
from html import escape

from indexer.links import normalize_domain, url_domain
from indexer.query import QueryError, parse_query, positive_terms
from indexer.search import Archive
from indexer.settings import setting
from indexer.snippets import matched_spans

# A profile reads at most this many posts one by one (for thread titles and URL counts);
# the counts that come from facets always cover every post.
PROFILE_SCAN_LIMIT = 20_000
# Who replies to whom is read from the threads themselves, the busiest ones first, at most this many.
REPLY_THREADS_LIMIT = 200
PROFILE_FACETS = ("domain", "thread", "site", "month", "kind", "author")


def author_profile(archive: Archive, name: str, *, top: int = 20) -> dict | None:
    """What one commenter wrote, where, when, what they link and whom they talk to.

    :param name: the commenter's name as the ``author`` facet shows it (case aside).
    :param top: how many threads, domains, sites and correspondents to list.
    :return: ``{"author", "posts", "kinds", "thread_count", "threads", "sites", "first_seen", "last_seen",
        "months", "domains", "replies_to", "replied_by", "reply_threads_read", "complete"}`` or None
        when no post is by ``name``.
    """
    if not name:
        return None
    selections = {"author": [name]}
    counts = _facet_counts(archive, "", selections)
    if counts is None:
        return None
    # the selection ignores case: show the name as the posts spell it
    name = next((v["value"] for v in counts["facets"]["author"] if v["value"].casefold() == name.casefold()), name)
    threads, own_ids, scanned, complete = _scan_threads(archive, "", selections)
    replies_to, replied_by, read = _replies(archive, name, own_ids, [t["thread_id"] for t in threads])
    return {
        "author": name,
        "posts": counts["total"],
        "kinds": _as_dict(counts["facets"]["kind"]),
        "thread_count": len(counts["facets"]["thread"]),
        "threads": threads[:top],
        "sites": counts["facets"]["site"][:top],
        "first_seen": counts["first_seen"],
        "last_seen": counts["last_seen"],
        "months": _in_date_order(counts["facets"]["month"]),
        "domains": counts["facets"]["domain"][:top],
        "replies_to": [{"author": a, "count": c} for a, c in _ranked(replies_to)[:top]],
        "replied_by": [{"author": a, "count": c} for a, c in _ranked(replied_by)[:top]],
        "reply_threads_read": read,
        "complete": complete and read == len(threads),
    }


def domain_profile(archive: Archive, domain: str, *, top: int = 20) -> dict | None:
    """Who links a domain (or its subdomains), when, which of its URLs and in which threads.

    :param domain: a domain as people write it (``www.`` and aliases are normalised: ``youtu.be`` is youtube.com).
    :return: ``{"domain", "query", "posts", "authors", "sites", "subdomains", "first_seen", "last_seen",
        "months", "urls", "thread_count", "threads", "complete"}`` or None when no post links it.
    """
    wanted = normalize_domain(domain)
    if not wanted or any(ch in wanted for ch in '"()\\ \t\n'):
        return None
    query = f'domain:"{wanted}"'
    try:
        counts = _facet_counts(archive, query, {})
    except QueryError:
        return None
    if counts is None:
        return None
    urls: Counter[str] = Counter()

    def count_urls(hit: dict) -> None:
        for link in hit["links"]:
            found = url_domain(link)
            if found and (found == wanted or found.endswith("." + wanted)):
                urls[link] += 1

    threads, _ids, _scanned, complete = _scan_threads(archive, query, {}, each=count_urls)
    subdomains = [v for v in counts["facets"]["domain"] if v["value"] == wanted or v["value"].endswith("." + wanted)]
    return {
        "domain": wanted,
        "query": query,
        "posts": counts["total"],
        "authors": counts["facets"]["author"][:top],
        "sites": counts["facets"]["site"][:top],
        "subdomains": subdomains[:top],
        "first_seen": counts["first_seen"],
        "last_seen": counts["last_seen"],
        "months": _in_date_order(counts["facets"]["month"]),
        "urls": [{"url": u, "count": c} for u, c in _ranked(urls)[:top]],
        "thread_count": len(counts["facets"]["thread"]),
        "threads": threads[:top],
        "complete": complete,
    }


def thread_view(archive: Archive, thread_id: str, q: str | None = None) -> dict | None:
    """A thread for reading: ``Archive.thread`` plus, per post, its reply ``depth``, its text as
    ``html`` (escaped, the words ``q`` looks for in ``<mark>``) and its ``links`` as ``{url, domain}``.

    :param q: a query whose words to mark; one that does not parse marks nothing.
    :return: None for a thread the index does not hold.
    """
    found = archive.thread(thread_id) if thread_id else None
    if found is None:
        return None
    terms, prefixes = _highlight_terms(archive, q)
    author_of = {p["id"]: p["author"] for p in found["posts"]}
    depth: dict[str, int] = {}
    posts = []
    for post in found["posts"]:
        parent = post["parent_id"]
        level = depth[parent] + 1 if parent in depth else (0 if post["kind"] == "post" else 1)
        depth[post["id"]] = level
        html = mark_text(archive, post["text"] or "", terms, prefixes)
        posts.append({
            **post,
            "depth": level,
            "parent_author": author_of.get(parent) if parent else None,
            "html": html,
            "marked": "<mark>" in html,
            "links": [{"url": link, "domain": url_domain(link)} for link in post["links"]],
        })
    return {"thread": found["thread"], "posts": posts, "query": q or ""}


def mark_text(archive: Archive, text: str, terms: set[str], prefixes: tuple[str, ...]) -> str:
    """The whole text HTML-escaped, the matched words in ``<mark>`` (line breaks kept)."""
    if not text or not (terms or prefixes):
        return escape(text)
    pieces, pos = [], 0
    for start, end, _term in matched_spans(archive.engine.analyze(text), terms, prefixes):
        if start < pos:
            continue
        pieces.append(escape(text[pos:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    pieces.append(escape(text[pos:]))
    return "".join(pieces)


# -- helpers --------------------------------------------------------------------------------


def _facet_counts(archive: Archive, query: str, selections: dict) -> dict | None:
    """Totals, every facet's counts and the first and last dates of a search's matches."""
    size = setting("max_facet_size")
    found = archive.search(query, selections=selections, facets=PROFILE_FACETS, facet_size=size, per_page=1,
                           sort="oldest", suggest=False)
    if not found["total"]:
        return None
    newest = archive.search(query, selections=selections, facets=(), per_page=1, sort="newest", suggest=False)
    return {
        "total": found["total"],
        "facets": found["facets"],
        "first_seen": found["hits"][0]["date"] if found["hits"] else None,
        "last_seen": newest["hits"][0]["date"] if newest["hits"] else None,
    }


def _scan_threads(archive: Archive, query: str, selections: dict, each=None):
    """Threads of a search's matches, busiest first: ``[{thread_id, title, site, url, posts, last}]``,
    plus the ids of the posts read, how many were read and whether that was every match."""
    threads: dict[str, dict] = {}
    ids: set[str] = set()
    scanned = 0
    complete = True
    for hit in archive.iter_hits(query, selections=selections, sort="newest"):
        if scanned >= PROFILE_SCAN_LIMIT:
            complete = False
            break
        scanned += 1
        ids.add(hit["id"])
        row = threads.get(hit["thread_id"])
        if row is None:
            row = threads[hit["thread_id"]] = {
                "thread_id": hit["thread_id"], "title": hit["thread_title"], "site": hit["site"],
                "url": hit["thread_url"], "posts": 0, "last": hit["date"],
            }
        row["posts"] += 1
        if hit["date"] and (row["last"] is None or hit["date"] > row["last"]):
            row["last"] = hit["date"]
        if each is not None:
            each(hit)
    ordered = sorted(threads.values(), key=lambda t: (-t["posts"], -_sortable(t["last"]), t["title"] or ""))
    return ordered, ids, scanned, complete


def _replies(archive: Archive, name: str, own_ids: set[str], thread_ids: list[str]):
    """Whom ``name`` replies to and who replies to ``name`` (from parent ids), over their busiest threads."""
    replies_to: Counter[str] = Counter()
    replied_by: Counter[str] = Counter()
    read = 0
    for thread_id in thread_ids[:REPLY_THREADS_LIMIT]:
        found = archive.thread(thread_id)
        read += 1
        if not found:
            continue
        author_of = {p["id"]: p["author"] for p in found["posts"]}
        for post in found["posts"]:
            parent = post["parent_id"]
            if not parent or parent not in author_of:
                continue
            if post["id"] in own_ids and author_of[parent] and author_of[parent] != name:
                replies_to[author_of[parent]] += 1
            if parent in own_ids and post["author"] and post["author"] != name:
                replied_by[post["author"]] += 1
    return replies_to, replied_by, read


def _highlight_terms(archive: Archive, q: str | None) -> tuple[set[str], tuple[str, ...]]:
    if not q:
        return set(), ()
    try:
        tree = parse_query(q)
    except QueryError:
        return set(), ()
    terms, prefixes = set(), []
    for word in positive_terms(tree):
        if word.endswith("*"):
            prefixes.append(archive.engine.normalize_prefix(word[:-1]))
        else:
            terms.update(archive.engine.normalize_term(token) for token in word.split())
    return {t for t in terms if t}, tuple(p for p in prefixes if p)


def _ranked(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold()))


def _as_dict(values: list[dict]) -> dict[str, int]:
    return {v["value"]: v["count"] for v in values}


def _in_date_order(values: list[dict]) -> list[dict]:
    return sorted(values, key=lambda v: v["value"])


def _sortable(date: str | None) -> float:
    """A date as a number for sorting, undated last."""
    if not date:
        return float("-inf")
    digits = "".join(ch for ch in date[:19] if ch.isdigit())
    return float(digits.ljust(14, "0"))
