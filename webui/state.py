"""The state of a search as the URL holds it: query, filters, sort, grouping, page or cursor.

Every page of results, facet toggle and export is a URL built from a ``SearchState``, so any
state can be bookmarked and the browser's back button walks through them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from indexer.query import QueryError
from indexer.search import SELECTABLE

SORTS = ("relevance", "newest", "oldest")
FACET_PARAMS = SELECTABLE  # author, domain, site, kind, year, month, thread
MAX_PARAM_CHARS = 2000


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    sort: str | None = None  # None: relevance with a query, newest without
    group: bool = False
    after: str | None = None
    before: str | None = None
    selections: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    cursor: str | None = None
    per_page: int | None = None
    per_page_in_url: bool = False  # the URL asked for a page size other than the app's

    @classmethod
    def from_args(cls, args, *, per_page: int | None = None) -> SearchState:
        """Read a request's query string; malformed values raise ``QueryError`` saying which and why."""
        for key in args:
            if any(len(value) > MAX_PARAM_CHARS for value in args.getlist(key)):
                raise QueryError(f"the {key} parameter is longer than {MAX_PARAM_CHARS:,} characters")
        sort = args.get("sort") or None
        if sort is not None and sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        group = args.get("group", "")
        if group not in ("", "0", "1", "on", "true"):
            raise QueryError(f"group must be 1 or 0, not {group!r}")
        selections = {}
        for name in FACET_PARAMS:
            values = tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
            if values:
                selections[name] = values
        return cls(
            q=(args.get("q") or "").strip(),
            sort=sort,
            group=group in ("1", "on", "true"),
            after=(args.get("after") or "").strip() or None,
            before=(args.get("before") or "").strip() or None,
            selections=selections,
            page=_whole_number(args, "page", 1),
            cursor=args.get("cursor") or None,
            per_page=_whole_number(args, "per_page", per_page) if args.get("per_page") else per_page,
        )

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q else "newest")

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.selections or self.after or self.before)

    def search_kwargs(self) -> dict:
        """Keyword arguments for ``Archive.search`` (and ``iter_hits`` without the paging ones)."""
        return {
            "selections": {k: list(v) for k, v in self.selections.items()},
            "after": self.after,
            "before": self.before,
            "sort": self.effective_sort,
            "group_by_thread": self.group,
        }

    def params(self, *, paging: bool = False) -> dict:
        """Query-string values for ``url_for`` (lists become repeated parameters); paging only when asked."""
        out: dict = {}
        if self.q:
            out["q"] = self.q
        for name in FACET_PARAMS:
            if self.selections.get(name):
                out[name] = list(self.selections[name])
        if self.after:
            out["after"] = self.after
        if self.before:
            out["before"] = self.before
        if self.sort:
            out["sort"] = self.sort
        if self.group:
            out["group"] = "1"
        if self.per_page is not None and self.per_page_in_url:
            out["per_page"] = self.per_page
        if paging:
            if self.cursor:
                out["cursor"] = self.cursor
            if self.page > 1:
                out["page"] = self.page
        return out

    def with_page_size(self, default: int) -> SearchState:
        """The state with the app's page size unless the URL asked for another."""
        custom = self.per_page is not None and self.per_page != default
        return replace(self, per_page=self.per_page if self.per_page is not None else default, per_page_in_url=custom)

    def changed(self, **changes) -> SearchState:
        """A new state: any change of query or filters starts again from the first page."""
        changes.setdefault("page", 1)
        changes.setdefault("cursor", None)
        return replace(self, **changes)

    def is_selected(self, facet: str, value: str) -> bool:
        return value in self.selections.get(facet, ())

    def toggled(self, facet: str, value: str) -> SearchState:
        """The state with ``value`` of ``facet`` switched on (OR-ed with the others) or off."""
        values = self.selections.get(facet, ())
        values = tuple(v for v in values if v != value) if value in values else (*values, value)
        return self.changed(selections=_set(self.selections, facet, values))

    def without(self, facet: str, value: str | None = None) -> SearchState:
        """The state without one value of a facet, or without the whole facet."""
        values = tuple(v for v in self.selections.get(facet, ()) if value is not None and v != value)
        return self.changed(selections=_set(self.selections, facet, values))

    def next_page(self, cursor: str) -> SearchState:
        return replace(self, cursor=cursor, page=self.page + 1)

    def previous_page(self) -> SearchState:
        """The page before, by its number (cursors only go forward)."""
        return replace(self, cursor=None, page=max(1, self.page - 1))

    def first_hit_number(self) -> int:
        return (self.page - 1) * (self.per_page or 1) + 1


def _set(selections: dict, facet: str, values: tuple) -> dict:
    out = {k: v for k, v in selections.items() if k != facet}
    if values:
        out[facet] = values
    return {k: out[k] for k in FACET_PARAMS if k in out}


def _whole_number(args, name: str, default):
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise QueryError(f"{name} must be 1 or more, not {value}")
    return value
