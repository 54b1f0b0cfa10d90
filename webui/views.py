"""The pages: search, a thread, a commenter, a linked domain, the overview, a facet's values."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for

from indexer.profiles import author_profile, domain_profile, thread_view
from indexer.query import QueryError
from webui.archive import get_archive
from webui.charts import bar_chart, month_series, year_series
from webui.state import SearchState

bp = Blueprint("pages", __name__)

# the sidebar's facets, in order, with their headings
SIDEBAR = (("author", "Commenters"), ("domain", "Linked domains"), ("site", "Sites"), ("kind", "Kind"))
FACET_TITLES = {"author": "Commenters", "domain": "Linked domains", "site": "Sites", "kind": "Kind",
                "year": "Years", "month": "Months", "thread": "Threads"}
FACET_PAGES = ("author", "domain", "site", "kind", "year", "month")
KIND_LABELS = {"post": "Opening posts", "comment": "Comments", "pingback": "Pingbacks", "deleted": "Deleted"}
SIDEBAR_CHART = (300, 120)  # the sidebar's width, so that labels keep their size
SHOWN_VALUES = 10  # values per facet in the sidebar; "more…" lists the rest
FETCHED_VALUES = 1000  # values counted where all are drawn (months, the overview's chart)
# the search page's facets and how many values each lists (selected values are always added)
PAGE_FACETS = {"author": SHOWN_VALUES, "domain": SHOWN_VALUES, "site": SHOWN_VALUES, "kind": SHOWN_VALUES,
               "year": 200, "month": FETCHED_VALUES}
FACET_PAGE_VALUES = 200
CHIP_LABELS = {"author": "by", "domain": "links", "site": "on", "kind": "kind", "year": "in", "month": "in",
               "thread": "thread"}


def page_state() -> SearchState:
    return SearchState.from_args(request.args).with_page_size(current_app.config["PAGE_SIZE"])


@bp.route("/")
def search():
    """Search posts and comments: results, facets, the date chart and paging."""
    try:
        state = page_state()
    except QueryError as exc:
        state = SearchState(q=(request.args.get("q") or "")[:2000]).with_page_size(current_app.config["PAGE_SIZE"])
        return render_template("search.html", state=state, error=str(exc), result=None), 400
    archive = get_archive()
    try:
        result = archive.search(state.q, **state.search_kwargs(), page=state.page, per_page=state.per_page,
                                cursor=state.cursor, facets=PAGE_FACETS)
    except QueryError as exc:
        return render_template("search.html", state=state, error=str(exc), result=None), 400
    return render_template(
        "search.html", state=state, result=result, error=None,
        panels=facet_panels(state, result), chart=date_chart(state, result), chips=filter_chips(state),
        sorts=[(s, s.capitalize(), url_for(".search", **state.changed(sort=s).params())) for s in ("relevance", "newest", "oldest")],
        group_href=url_for(".search", **state.changed(group=not state.group).params()),
        next_href=url_for(".search", **state.next_page(result["next_cursor"]).params(paging=True))
        if result["next_cursor"] else None,
        prev_href=url_for(".search", **state.previous_page().params(paging=True)) if state.page > 1 else None,
        suggestion_href=url_for(".search", **state.changed(q=result["did_you_mean"]["query"]).params())
        if result["did_you_mean"] else None,
    )


def facet_panels(state: SearchState, result: dict) -> list[dict]:
    """The sidebar: ``[{name, title, values: [{value, label, count, selected, href}], more_href, selected}]``."""
    panels = []
    for name, title in SIDEBAR:
        found = result["facets"].get(name, [])
        counts = {v["value"]: v["count"] for v in found}
        chosen = state.selections.get(name, ())
        shown = [v["value"] for v in found[:SHOWN_VALUES]]
        # a selected value stays in view (with its count, 0 when nothing matches it now)
        shown = [v for v in chosen if v not in shown] + shown
        values = [{
            "value": value,
            "label": KIND_LABELS.get(value, value) if name == "kind" else value,
            "count": counts.get(value, 0),
            "selected": value in chosen,
            "href": url_for(".search", **state.toggled(name, value).params()),
        } for value in shown]
        more = name in result["facets_truncated"]
        panels.append({
            "name": name, "title": title, "values": values, "selected": bool(chosen),
            "more_href": url_for(".facet", name=name, **state.params()) if more else None,
            "clear_href": url_for(".search", **state.without(name).params()) if chosen else None,
        })
    return panels


def date_chart(state: SearchState, result: dict) -> dict | None:
    """Years as bars to click; with a year (or month) chosen, that year's months."""
    years = result["facets"].get("year", [])
    months = result["facets"].get("month", [])
    drill = state.selections.get("year") or state.selections.get("month") or len(years) == 1
    if drill and months:
        series = month_series(months)
        facet = "year" if series and len(series[0]["value"]) == 4 else "month"
        title = "Posts per month"
    else:
        series, facet, title = year_series(years), "year", "Posts per year"
    points = [{**p, "href": url_for(".search", **state.toggled(facet, p["value"]).params()),
               "selected": state.is_selected(facet, p["value"])} for p in series]
    chart = bar_chart(points, title=title, width=SIDEBAR_CHART[0], height=SIDEBAR_CHART[1])
    if chart is None:
        return None
    dated = sum(v["count"] for v in years)
    chart["undated"] = result["total"] - dated if not state.selections.get("year") and not state.group else 0
    chart["up_href"] = (url_for(".search", **state.without("year").without("month").params())
                        if state.selections.get("year") or state.selections.get("month") else None)
    return chart


def filter_chips(state: SearchState) -> list[dict]:
    """Selected filters as removable chips: ``[{facet, label, value, href}]``."""
    chips = []
    for facet, values in state.selections.items():
        for value in values:
            label = KIND_LABELS.get(value, value) if facet == "kind" else value
            if facet == "thread":
                label = thread_title(value) or value
            chips.append({"facet": facet, "prefix": CHIP_LABELS.get(facet, facet), "label": label,
                          "href": url_for(".search", **state.without(facet, value).params())})
    for name in ("after", "before"):
        if getattr(state, name):
            chips.append({"facet": name, "prefix": name, "label": getattr(state, name),
                          "href": url_for(".search", **state.changed(**{name: None}).params())})
    return chips


def thread_title(thread_id: str) -> str | None:
    found = get_archive().search("", selections={"thread": [thread_id]}, per_page=1, facets=(), suggest=False)
    return found["hits"][0]["thread_title"] if found["hits"] else None


@bp.route("/t/<thread_id>")
def thread(thread_id):
    """Show a thread: its post and comments in order, replies under their parents."""
    q = (request.args.get("q") or "")[:2000]
    found = thread_view(get_archive(), thread_id, q)
    if found is None:
        abort(404, f"There is no thread {thread_id!r} in the index.")
    matches = sum(1 for p in found["posts"] if p["marked"])
    return render_template("thread.html", found=found, thread=found["thread"], posts=found["posts"], q=q,
                           matches=matches)


@bp.route("/a/<path:name>")
def author(name):
    """Show a commenter: what they wrote, where, when, what they link, whom they answer."""
    profile = author_profile(get_archive(), name)
    if profile is None:
        abort(404, f"No post in the index is by {name!r}.")
    points = [{**p, "href": url_for(".search", author=name, **{"year" if len(p["value"]) == 4 else "month": p["value"]})}
              for p in month_series(profile["months"])]
    return render_template("author.html", profile=profile, chart=bar_chart(points, title=f"Posts by {name} per month"))


@bp.route("/d/<domain>")
def domain(domain):
    """Show a linked domain: who links it, when, which of its URLs, in which threads."""
    profile = domain_profile(get_archive(), domain)
    if profile is None:
        abort(404, f"No post in the index links {domain!r}.")
    points = [{**p, "href": url_for(".search", q=profile["query"],
                                    **{"year" if len(p["value"]) == 4 else "month": p["value"]})}
              for p in month_series(profile["months"])]
    return render_template("domain.html", profile=profile,
                           chart=bar_chart(points, title=f"Posts linking {profile['domain']} per month"))


@bp.route("/stats")
def stats():
    """Show what the index holds: totals, the busiest commenters, domains and sites, activity per month."""
    archive = get_archive()
    data = archive.stats()
    busiest = archive.search("", facets=("author", "domain", "site"), facet_size=15, per_page=1, suggest=False)
    comments = archive.search("", selections={"kind": ["comment"]}, facets=("month",), facet_size=FETCHED_VALUES,
                              per_page=1, suggest=False)
    points = [{**p, "href": url_for(".search", kind="comment", **{"year" if len(p["value"]) == 4 else "month": p["value"]})}
              for p in month_series(comments["facets"]["month"])]
    return render_template("stats.html", stats=data, busiest=busiest["facets"],
                           chart=bar_chart(points, title="Comments per month", unit="comment"),
                           undated=comments["total"] - sum(v["count"] for v in comments["facets"]["month"]))


@bp.route("/facets/<name>")
def facet(name):
    """List a facet's values among a search's matches, searchable by the start of a name."""
    if name not in FACET_PAGES:
        abort(404, f"There is no facet {name!r}; the facets are {', '.join(FACET_PAGES)}.")
    state = page_state()
    prefix = (request.args.get("prefix") or "").strip()
    kwargs = state.search_kwargs()
    found = get_archive().facet_values(name, prefix, state.q, size=FACET_PAGE_VALUES, selections=kwargs["selections"],
                                       after=state.after, before=state.before)
    values = [{
        "value": v["value"], "count": v["count"], "selected": state.is_selected(name, v["value"]),
        "label": KIND_LABELS.get(v["value"], v["value"]) if name == "kind" else v["value"],
        "href": url_for(".search", **state.toggled(name, v["value"]).params()),
    } for v in found["values"]]
    return render_template("facet.html", name=name, title=FACET_TITLES[name], state=state, prefix=prefix,
                           values=values, truncated=found["truncated"],
                           back_href=url_for(".search", **state.params()))
