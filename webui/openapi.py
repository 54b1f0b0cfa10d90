"""The API described in OpenAPI 3.1 (its schemas are JSON Schema 2020-12; tests validate real answers)."""

from __future__ import annotations

STRING_OR_NULL = {"type": ["string", "null"]}
STRINGS = {"type": "array", "items": {"type": "string"}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, optional: tuple = ()) -> dict:
    return {"type": "object", "properties": properties, "required": [k for k in properties if k not in optional],
            "additionalProperties": False}


def _ranked(key: str = "value") -> dict:
    return {"type": "array", "items": _object({key: {"type": "string"}, "count": {"type": "integer", "minimum": 0}})}


SCHEMAS = {
    "FacetValue": _object({"value": {"type": "string"}, "count": {"type": "integer", "minimum": 0}}),
    "Hit": _object({
        "id": {"type": "string"},
        "kind": {"type": "string"},
        "thread_id": {"type": "string"},
        "thread_title": STRING_OR_NULL,
        "thread_url": STRING_OR_NULL,
        "site": STRING_OR_NULL,
        "platform": {"type": "string"},
        "source": {"type": "string"},
        "author": STRING_OR_NULL,
        "date": {**STRING_OR_NULL, "description": "ISO 8601; null when the page showed none"},
        "position": {"type": "integer"},
        "parent_id": STRING_OR_NULL,
        "permalink": STRING_OR_NULL,
        "text": {"type": "string"},
        "snippet": {"type": "string", "description": "HTML-escaped text whose only markup is <mark>"},
        "links": STRINGS,
        "domains": STRINGS,
        "score": {"type": ["number", "null"]},
        "thread_hits": {"type": "integer", "description": "with group=1: the thread's hits"},
    }, optional=("thread_hits",)),
    "SearchResult": _object({
        "query": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": ["integer", "null"], "description": "null when paging by cursor"},
        "per_page": {"type": "integer"},
        "sort": {"enum": ["relevance", "newest", "oldest"]},
        "group_by_thread": {"type": "boolean"},
        "threads": {"type": ["integer", "null"], "description": "threads with hits, when grouping"},
        "selections": {"type": "object", "additionalProperties": STRINGS},
        "hits": {"type": "array", "items": _ref("Hit")},
        "next_cursor": {**STRING_OR_NULL, "description": "pass as cursor= for the next page; null on the last"},
        "facets": {"type": "object", "additionalProperties": {"type": "array", "items": _ref("FacetValue")}},
        "facets_truncated": STRINGS,
        "did_you_mean": {"oneOf": [{"type": "null"},
                                   _object({"query": {"type": "string"}, "total": {"type": "integer"}})]},
    }),
    "FacetValues": _object({
        "facet": {"type": "string"}, "prefix": {"type": "string"},
        "values": {"type": "array", "items": _ref("FacetValue")}, "truncated": {"type": "boolean"},
    }),
    "Post": _object({
        "id": {"type": "string"}, "kind": {"type": "string"}, "author": STRING_OR_NULL, "author_url": STRING_OR_NULL,
        "date": STRING_OR_NULL, "text": {"type": "string"}, "links": STRINGS, "domains": STRINGS,
        "parent_id": STRING_OR_NULL, "position": {"type": "integer"}, "permalink": STRING_OR_NULL,
    }),
    "Thread": _object({
        "thread": _object({
            "thread_id": {"type": "string"}, "title": STRING_OR_NULL, "url": STRING_OR_NULL, "site": STRING_OR_NULL,
            "platform": {"type": "string"}, "source": {"type": "string"}, "author": STRING_OR_NULL,
            "date": STRING_OR_NULL, "comments": {"type": "integer"},
        }),
        "posts": {"type": "array", "items": _ref("Post")},
    }),
    "ThreadRow": _object({
        "thread_id": {"type": "string"}, "title": STRING_OR_NULL, "site": STRING_OR_NULL, "url": STRING_OR_NULL,
        "posts": {"type": "integer"}, "last": STRING_OR_NULL,
    }),
    "AuthorProfile": _object({
        "author": {"type": "string"},
        "posts": {"type": "integer"},
        "kinds": {"type": "object", "additionalProperties": {"type": "integer"}},
        "thread_count": {"type": "integer"},
        "threads": {"type": "array", "items": _ref("ThreadRow")},
        "sites": _ranked(),
        "first_seen": STRING_OR_NULL,
        "last_seen": STRING_OR_NULL,
        "months": _ranked(),
        "domains": _ranked(),
        "replies_to": _ranked("author"),
        "replied_by": _ranked("author"),
        "reply_threads_read": {"type": "integer"},
        "complete": {"type": "boolean"},
    }),
    "DomainProfile": _object({
        "domain": {"type": "string"},
        "query": {"type": "string", "description": "the search that finds these posts"},
        "posts": {"type": "integer"},
        "authors": _ranked(),
        "sites": _ranked(),
        "subdomains": _ranked(),
        "first_seen": STRING_OR_NULL,
        "last_seen": STRING_OR_NULL,
        "months": _ranked(),
        "urls": _ranked("url"),
        "thread_count": {"type": "integer"},
        "threads": {"type": "array", "items": _ref("ThreadRow")},
        "complete": {"type": "boolean"},
    }),
    "Stats": {
        "type": "object",
        "properties": {
            **{k: {"type": "integer"} for k in ("documents", "threads", "posts", "comments", "pingbacks", "authors",
                                                 "domains", "sites")},
            "engine": {"type": "string"},
            "last_reindex": STRING_OR_NULL,
            "failing_files": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "required": ["documents", "threads", "posts", "comments", "authors", "domains", "sites", "engine",
                     "last_reindex", "failing_files"],
        "additionalProperties": {"type": "integer"},
    },
    "Error": _object({"error": {"type": "string"}, "status": {"type": "integer"}}),
}

FACET_NAMES = ["author", "domain", "site", "year", "month", "kind", "thread"]


def _param(name: str, description: str, schema: dict | None = None, *, many: bool = False, where: str = "query",
           required: bool = False) -> dict:
    schema = schema or {"type": "string"}
    param = {"name": name, "in": where, "description": description,
             "schema": {"type": "array", "items": schema} if many else schema}
    if many:
        param.update(style="form", explode=True)
    if required:
        param["required"] = True
    return param


SEARCH_PARAMETERS = [
    _param("q", "A query in Agora's query language (words, \"phrases\", OR, -word, author:, domain:, after: …)."),
    *[_param(name, f"Facet selection: {name} values (repeat for any of several)", many=True)
      for name in FACET_NAMES],
    _param("after", "Only posts on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
    _param("before", "Only posts before this date."),
    _param("sort", "Order of the hits (default: relevance with a query, newest without).",
           {"enum": ["relevance", "newest", "oldest"]}),
    _param("group", "1: one hit per thread, its best.", {"enum": ["0", "1"]}),
]
PAGING_PARAMETERS = [
    _param("page", "Page number (offset paging).", {"type": "integer", "minimum": 1}),
    _param("per_page", "Hits per page.", {"type": "integer", "minimum": 1, "maximum": 500}),
    _param("cursor", "The next_cursor of the page before: deep paging without a cap."),
]


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


ERRORS = {
    "400": _json("Error", "A malformed query or parameter; `error` says what is wrong in one line."),
}
NOT_FOUND = {"404": _json("Error", "Not in the index.")}


def openapi_document(server: str) -> dict:
    """The OpenAPI 3.1 document, with ``server`` as the base URL."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Agora",
            "version": "1",
            "description": "Search archived online discussions: posts and comments with their commenters, "
                           "dates, threads, sites and linked domains. Read-only.",
        },
        "servers": [{"url": server}],
        "paths": {
            "/api/search": {"get": {
                "summary": "Search posts and comments",
                "operationId": "search",
                "parameters": [*SEARCH_PARAMETERS, *PAGING_PARAMETERS,
                               _param("facet", "Facets to count (default: author, domain, site, year).",
                                      {"enum": FACET_NAMES}, many=True),
                               _param("facet_size", "Values per facet (0 to 1000, default 10).",
                                      {"type": "integer", "minimum": 0, "maximum": 1000})],
                "responses": {"200": _json("SearchResult", "One page of hits with facet counts."), **ERRORS},
            }},
            "/api/facets/{name}": {"get": {
                "summary": "A facet's values among a search's matches",
                "operationId": "facetValues",
                "parameters": [_param("name", "The facet.", {"enum": FACET_NAMES}, where="path", required=True),
                               _param("prefix", "Only values whose name or one of its words starts so."),
                               _param("size", "Most values to list (1 to 1000, default 20).",
                                      {"type": "integer", "minimum": 1, "maximum": 1000}),
                               *SEARCH_PARAMETERS],
                "responses": {"200": _json("FacetValues", "Values with their counts."), **ERRORS, **NOT_FOUND},
            }},
            "/api/threads/{thread_id}": {"get": {
                "summary": "A thread with every post in page order",
                "operationId": "thread",
                "parameters": [_param("thread_id", "The thread's id.", where="path", required=True)],
                "responses": {"200": _json("Thread", "The thread."), **NOT_FOUND},
            }},
            "/api/authors/{name}": {"get": {
                "summary": "A commenter's profile",
                "operationId": "author",
                "parameters": [_param("name", "The commenter's name as the author facet shows it.", where="path",
                                      required=True)],
                "responses": {"200": _json("AuthorProfile", "The profile."), **NOT_FOUND},
            }},
            "/api/domains/{domain}": {"get": {
                "summary": "A linked domain's profile (subdomains included)",
                "operationId": "domain",
                "parameters": [_param("domain", "The domain.", where="path", required=True)],
                "responses": {"200": _json("DomainProfile", "The profile."), **NOT_FOUND},
            }},
            "/api/stats": {"get": {
                "summary": "What the index holds",
                "operationId": "stats",
                "responses": {"200": _json("Stats", "Totals and index facts.")},
            }},
            "/export.csv": {"get": {
                "summary": "Every hit of a search as CSV, streamed",
                "operationId": "exportCsv",
                "parameters": SEARCH_PARAMETERS,
                "responses": {"200": {"description": "One row per hit.", "content": {"text/csv": {}}}, **ERRORS},
            }},
            "/export.jsonl": {"get": {
                "summary": "Every hit of a search as JSON Lines, streamed",
                "operationId": "exportJsonl",
                "parameters": SEARCH_PARAMETERS,
                "responses": {"200": {"description": "One JSON object per line.",
                                      "content": {"application/x-ndjson": {}}}, **ERRORS},
            }},
            "/feed.atom": {"get": {
                "summary": "An Atom feed of a search, newest first",
                "operationId": "feed",
                "parameters": SEARCH_PARAMETERS,
                "responses": {"200": {"description": "Atom 1.0.", "content": {"application/atom+xml": {}}}, **ERRORS},
            }},
        },
        "components": {"schemas": SCHEMAS},
    }
