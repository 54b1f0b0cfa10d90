"""The JSON API, exports of a whole search (CSV, JSON Lines) and an Atom feed of any search."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from indexer.profiles import author_profile, domain_profile
from indexer.query import QueryError
from indexer.search import DEFAULT_FACETS
from webui import iso_date
from webui.archive import get_archive
from webui.openapi import openapi_document
from webui.state import SearchState

bp = Blueprint("api", __name__)

EXPORT_FIELDS = ("id", "kind", "thread_id", "thread_title", "thread_url", "site", "platform", "source", "author",
                 "date", "position", "parent_id", "permalink", "text", "links", "domains")
FACET_NAMES = ("author", "domain", "site", "year", "month", "kind", "thread")


def api_state() -> SearchState:
    return SearchState.from_args(request.args).with_page_size(current_app.config["PAGE_SIZE"])


def whole_number(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {raw!r}") from None


@bp.route("/api/search")
def search():
    """Search; the parameters are the search page's, the answer is the search core's JSON."""
    state = api_state()
    facets = tuple(request.args.getlist("facet")) or DEFAULT_FACETS
    facet_size = whole_number("facet_size", 10)
    result = get_archive().search(state.q, **state.search_kwargs(), page=state.page, per_page=state.per_page,
                                  cursor=state.cursor, facets=facets, facet_size=facet_size)
    return jsonify(result)


@bp.route("/api/facets/<name>")
def facet(name):
    """A facet's values among a search's matches, those starting with ``prefix``."""
    if name not in FACET_NAMES:
        abort(404, f"There is no facet {name!r}; the facets are {', '.join(FACET_NAMES)}.")
    state = api_state()
    size = whole_number("size", 20)
    if not 1 <= size <= 1000:
        raise QueryError("size must be from 1 to 1000")
    found = get_archive().facet_values(name, (request.args.get("prefix") or "").strip(), state.q, size=size,
                                       selections=state.search_kwargs()["selections"], after=state.after,
                                       before=state.before)
    return jsonify(found)


@bp.route("/api/threads/<thread_id>")
def thread(thread_id):
    """A thread: its metadata and every post in page order."""
    found = get_archive().thread(thread_id)
    if found is None:
        abort(404, f"There is no thread {thread_id!r} in the index.")
    return jsonify(found)


@bp.route("/api/authors/<path:name>")
def author(name):
    """A commenter's profile."""
    profile = author_profile(get_archive(), name)
    if profile is None:
        abort(404, f"No post in the index is by {name!r}.")
    return jsonify(profile)


@bp.route("/api/domains/<domain>")
def domain(domain):
    """A linked domain's profile."""
    profile = domain_profile(get_archive(), domain)
    if profile is None:
        abort(404, f"No post in the index links {domain!r}.")
    return jsonify(profile)


@bp.route("/api/stats")
def stats():
    """What the index holds (the index's folder on the server is left out)."""
    data = get_archive().stats()
    data.pop("index", None)
    return jsonify(data)


@bp.route("/api/openapi.json")
def openapi():
    """The API described in OpenAPI 3.1."""
    return jsonify(openapi_document(url_for("pages.search", _external=True).rstrip("/")))


# -- exports and feeds --------------------------------------------------------------------------


def export_hits(fmt: str):
    state = api_state()
    options = state.search_kwargs()
    archive = get_archive()
    # read the first hit now, so that a bad query is a 400 and not a broken download
    archive.search(state.q, **options, per_page=1, facets=(), suggest=False)
    hits = archive.iter_hits(state.q, **options)
    if fmt == "jsonl":
        body = (json.dumps({k: hit[k] for k in EXPORT_FIELDS}, ensure_ascii=False) + "\n" for hit in hits)
        mimetype, suffix = "application/x-ndjson", "jsonl"
    else:
        body = csv_lines(hits)
        mimetype, suffix = "text/csv", "csv"
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="agora-export.{suffix}"'
    return response


def csv_lines(hits):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    for hit in hits:
        writer.writerow([" ".join(hit[k]) if isinstance(hit[k], list) else hit[k] for k in EXPORT_FIELDS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


@bp.route("/export.csv")
def export_csv():
    """Every hit of a search as CSV, streamed (lists joined by spaces)."""
    return export_hits("csv")


@bp.route("/export.jsonl")
def export_jsonl():
    """Every hit of a search as JSON Lines, streamed."""
    return export_hits("jsonl")


@bp.route("/feed.atom")
def feed():
    """An Atom feed of a search, newest first."""
    state = api_state()
    options = {**state.search_kwargs(), "sort": "newest", "group_by_thread": False}
    archive = get_archive()
    result = archive.search(state.q, **options, per_page=current_app.config["FEED_SIZE"], facets=(), suggest=False)
    updated = next((hit["date"] for hit in result["hits"] if hit["date"]), None)
    stamp = archive.stats().get("last_reindex") if updated is None else updated
    params = state.changed(sort=None, group=False).params()
    body = render_template(
        "feed.xml", state=state, result=result,
        updated=_rfc3339(stamp),
        self_url=url_for("api.feed", _external=True, **params),
        page_url=url_for("pages.search", _external=True, **params),
    )
    return Response(body, mimetype="application/atom+xml")


def _rfc3339(value: str | None) -> str:
    return iso_date(value) or datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
