"""Agora's web UI: search, threads, commenters, linked domains and an overview, over one index.

    agora serve --index index/          # waitress on http://127.0.0.1:8080/

The app only reads the index (through ``indexer.search``); it picks up a new generation that
``agora reindex`` publishes without a restart.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from urllib.parse import urlsplit

import nh3
from flask import Flask, jsonify, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from indexer.query import QueryError

# no inline script or style anywhere: the pages' only script and style are static files
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
LINK_REL = "nofollow noopener ugc"
SAFE_SCHEMES = ("http", "https")


def create_app(test_config=None):
    """Create and configure the app (flaskr's factory): ``INDEX_DIR`` is the index folder."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("AGORA_INDEX") or os.path.join(app.instance_path, "index"),
        PAGE_SIZE=20,
        FEED_SIZE=50,
    )
    if test_config is None:
        # load the instance config, if it exists, when not testing
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)
    app.config["INDEX_DIR"] = str(app.config["INDEX_DIR"])
    app.json.sort_keys = False  # keep the core's key order
    app.json.ensure_ascii = False

    from webui import api, archive, views

    archive.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.jinja_env.filters.update(
        count=format_count, human_date=human_date, iso_date=iso_date, safe_url=safe_url, marked=marked,
        plural=plural,
    )
    app.jinja_env.globals.update(LINK_REL=LINK_REL)
    app.after_request(security_headers)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(QueryError, bad_query)
    app.register_error_handler(archive.IndexUnavailable, no_index)
    return app


def security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_page(status: int, title: str, message: str):
    if wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, title=title, message=message), status


def http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc
    if exc.code >= 500:
        return error_page(exc.code, "Something went wrong", "Agora could not answer this request; try again later.")
    return error_page(exc.code, exc.name, exc.description or exc.name)


def bad_query(exc: QueryError):
    return error_page(400, "Bad request", str(exc))


def no_index(exc):
    return error_page(503, "No index yet", str(exc))


# -- template filters ---------------------------------------------------------------------------


def format_count(value) -> str:
    """Counts for people: ``1,204``."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return ""


def plural(count, word: str, plural_word: str | None = None) -> str:
    return f"{format_count(count)} {word if count == 1 else (plural_word or word + 's')}"


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text[:10])
        except ValueError:
            return None


def human_date(value: str | None, missing: str = "undated") -> str:
    """A date as people read it: ``27 Jan 2025``, with the time when the page gave one."""
    when = parse_iso(value)
    if when is None:
        return missing
    text = f"{when.day} {when:%b %Y}"
    if (when.hour, when.minute) != (0, 0):
        text += f", {when:%H:%M}"
    return text


def iso_date(value: str | None) -> str:
    """RFC 3339 for Atom and ``<time datetime>``; a date without a zone is taken as UTC."""
    when = parse_iso(value)
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.isoformat().replace("+00:00", "Z")


def safe_url(value: str | None) -> str | None:
    """The URL when it is an absolute http(s) one, else None (no ``javascript:``, ``data:``…)."""
    if not value or not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return value.strip()


def marked(html: str | None) -> Markup:
    """Core text in which only ``<mark>`` is markup (snippets, highlighted posts), checked again by nh3."""
    return Markup(nh3.clean(html or "", tags={"mark"}, attributes={}, link_rel=None))
