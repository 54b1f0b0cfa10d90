"""Capturing a live discussion thread: fetch its page (and its platform's own JSON or further pages), store them.

Only the URL the user gave is fetched, plus, for the same thread on the same host:

* a Discourse topic (``/t/<slug>/<id>``, ``/t/<id>``): ``/t/<id>.json`` and, when the topic has
  more posts than its first chunk, ``/t/<id>/posts.json?post_ids[]=…`` for the rest;
* a Reddit thread (``/r/<sub>/comments/<id>/…``): the same address plus ``.json``;
* a Hacker News item: the "More" pages its ``morelink`` names, one after the other.

Links inside pages are never followed. Which platform a page belongs to is decided by its
content (the first parser that recognises it, as in ``agora reindex``); the URL's shape only
says where the extras are. A page that only a fallback parser (generic HTML, plain text)
would read, and in which it finds no comments, is not a discussion page: nothing is stored.

Each file goes to ``<corpus>/<site>/<name from the URL path>-<capture time>.<ext>``, written
atomically, its mtime set to the capture time (which reindex uses to prefer the newer copy of
a post saved twice). Everything is fetched before anything is written, so a failed capture
leaves the corpus as it was. Every failure is a ``CaptureError`` whose message is one line
saying what went wrong and what to do next.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import json
import os
import re
import socket
import ssl
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlencode, urljoin, urlsplit, urlunsplit

from indexer.links import normalize_domain
from indexer.parsers import parse_source, parser_for
from indexer.parsers.base import ParseError, SourceFile
from indexer.records import Thread
from indexer.settings import setting

MAX_REDIRECTS = 5
# Parsers that read any page or text; a page only they read must show comments to count as a discussion.
FALLBACK_PLATFORMS = frozenset({"generic", "plaintext"})
HTML_ACCEPT = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"
JSON_ACCEPT = "application/json"

# /t/<slug>/<id>, /t/<id>, /t/<slug>/<id>/<post number>, /t/<id>.json, under any folder the forum lives in
DISCOURSE_TOPIC = re.compile(r"^(?P<base>.*?)/t/(?:[^/]+/)?(?P<id>\d+)(?:/\d+)?(?:\.json)?/?$")
DISCOURSE_MAX_CHUNK = 100
REDDIT_THREAD = re.compile(r"/comments/[a-z0-9]+(?:/|$)", re.I)
# A Hacker News "More" link: /x?fnid=… until about 2014, item?id=…&p=2 since.
HN_MORE_HREF = re.compile(r"(?:^|/)x\?fnid=|[?&]p=\d+")
HN_ITEM_ID = re.compile(r"(?:^|[?&])id=(\d+)")
# Extensions dropped from a URL path before the capture time and our own extension are added.
PATH_EXTENSIONS = (".json", ".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".xml", ".rss")
MAX_SLUG = 80

HTTP_ADVICE = {
    401: "the site wants a login; save the page from your browser into the corpus instead",
    403: "the site refuses Agora's request (a login wall or a block on automated clients); "
         "save the page from your browser into the corpus instead",
    404: "check the URL",
    410: "the page was removed; look for a copy in the Wayback Machine",
    429: "the site limits how often it may be asked; try again later",
}


class CaptureError(Exception):
    """A capture that failed; ``problem`` says what happened, ``advice`` what to do next."""

    def __init__(self, problem: str, advice: str = "", *, joint: str = "; "):
        super().__init__(f"{problem}{joint}{advice}" if advice else problem)
        self.problem = problem
        self.advice = advice


@dataclass
class Fetched:
    """One fetched answer: the address asked, the address answered after redirects, the decoded body."""

    requested: str
    url: str
    data: bytes
    name: str = ""
    platform: str | None = None
    threads: list[Thread] = field(default_factory=list)


@dataclass
class Capture:
    """What ``capture`` stored: the site, its folder under the corpus, the files and the threads they hold."""

    site: str
    folder: Path
    captured: datetime
    files: list[Path]
    platform: str
    thread_ids: list[str]
    posts: int
    notes: list[str] = field(default_factory=list)


# -- fetching -------------------------------------------------------------------------------------


def user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("agora")
    except PackageNotFoundError:
        ours = "0"
    return f"Agora/{ours} (+archiving a discussion thread for personal search)"


class _Connection(http.client.HTTPConnection):
    """Connects within the connect timeout, then waits at most ``read_timeout`` for each read."""

    def __init__(self, *args, read_timeout: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.read_timeout = read_timeout

    def connect(self):
        super().connect()
        self.sock.settimeout(self.read_timeout)


class _TLSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, read_timeout: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.read_timeout = read_timeout

    def connect(self):
        super().connect()  # TCP and the TLS handshake, both within the connect timeout
        self.sock.settimeout(self.read_timeout)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, read_timeout: float):
        super().__init__()
        self.read_timeout = read_timeout

    def http_open(self, req):
        return self.do_open(partial(_Connection, read_timeout=self.read_timeout), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout: float):
        super().__init__(context=ssl.create_default_context())
        self.read_timeout = read_timeout

    def https_open(self, req):
        return self.do_open(partial(_TLSConnection, read_timeout=self.read_timeout), req, context=self._context)


class _EveryAnswer(urllib.request.HTTPErrorProcessor):
    """Hands back every answer, redirects and errors too: the fetcher decides what each status means."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class Fetcher:
    """Fetches http(s) addresses with Agora's User-Agent, timeouts, size limit and redirect rules.

    :param connect_timeout: seconds to wait for a connection (and the TLS handshake).
    :param read_timeout: seconds to wait for each read of the answer.
    :param max_bytes: largest answer accepted, counted before and after gzip/deflate decoding.
    """

    def __init__(self, *, connect_timeout: float | None = None, read_timeout: float | None = None,
                 max_bytes: int | None = None):
        self.connect_timeout = setting("capture_connect_timeout") if connect_timeout is None else connect_timeout
        self.read_timeout = setting("capture_read_timeout") if read_timeout is None else read_timeout
        self.max_bytes = setting("max_capture_bytes") if max_bytes is None else max_bytes
        self.user_agent = user_agent()
        # only http(s) handlers (and the environment's proxies): no file:, ftp: or data: addresses ever
        self.opener = urllib.request.OpenerDirector()
        for handler in (urllib.request.ProxyHandler(), _HTTPHandler(self.read_timeout),
                        _HTTPSHandler(self.read_timeout), _EveryAnswer()):
            self.opener.add_handler(handler)

    def fetch(self, url: str, *, accept: str = HTML_ACCEPT) -> Fetched:
        """The decoded body of ``url`` after at most MAX_REDIRECTS http(s) redirects; raises CaptureError."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            status, reason, location, data = self._answer(current, accept)
            if status in (301, 302, 303, 307, 308) and location:
                target = urljoin(current, location.strip())
                scheme = urlsplit(target).scheme.lower()
                if scheme not in ("http", "https"):
                    raise CaptureError(
                        f"the page redirected to {_short(target)}, which is not an http(s) address",
                        "Agora follows only http(s) redirects; open the URL in a browser to see where it leads",
                    )
                current = target
                continue
            if 200 <= status < 300:
                return Fetched(requested=url, url=current, data=data)
            raise _status_error(status, reason)
        raise CaptureError(f"the page redirected more than {MAX_REDIRECTS} times",
                           "check the URL, or open it in a browser to see where it leads")

    def _answer(self, url: str, accept: str) -> tuple[int, str, str | None, bytes]:
        """(status, reason, Location, decoded body) of one request; redirects are not followed here."""
        host = urlsplit(url).hostname or url
        request = urllib.request.Request(url, headers={
            "User-Agent": self.user_agent, "Accept": accept, "Accept-Encoding": "gzip, deflate",
        })
        try:
            with self.opener.open(request, timeout=self.connect_timeout) as response:
                status = response.status
                location = response.headers.get("Location")
                if status >= 300:
                    return status, response.reason, location, b""
                body = self._read(response)
                encodings = response.headers.get("Content-Encoding", "")
        except CaptureError:
            raise
        except urllib.error.URLError as exc:
            raise _network_error(exc.reason, url, host, self.connect_timeout) from None
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            raise _network_error(exc, url, host, self.read_timeout) from None
        return status, "", None, decode_body(body, encodings, self.max_bytes)

    def _read(self, response) -> bytes:
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise _too_large(self.max_bytes)
        chunks, total = [], 0
        while True:
            block = response.read(1 << 16)
            if not block:
                return b"".join(chunks)
            total += len(block)
            if total > self.max_bytes:
                raise _too_large(self.max_bytes)
            chunks.append(block)


def decode_body(data: bytes, content_encoding: str, limit: int) -> bytes:
    """The body without its gzip/deflate transfer coding, refusing to decode past ``limit`` bytes."""
    for coding in reversed([c.strip().lower() for c in content_encoding.split(",") if c.strip()]):
        if coding == "identity":
            continue
        if coding in ("gzip", "x-gzip"):
            data = _inflate(data, 16 + zlib.MAX_WBITS, limit)
        elif coding == "deflate":
            # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate
            zlib_header = len(data) >= 2 and data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0
            data = _inflate(data, zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS, limit)
        else:
            raise CaptureError(f"the site answered in an encoding Agora cannot read ({coding})",
                               "save the page from your browser into the corpus instead")
    return data


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits)
        try:
            out += inflater.decompress(rest, limit + 1 - len(out))
            if len(out) > limit or inflater.unconsumed_tail:
                raise _too_large(limit)
            out += inflater.flush()
        except zlib.error as exc:
            raise CaptureError(f"the site's compressed answer is damaged ({exc})", "try again later") from None
        if len(out) > limit:
            raise _too_large(limit)
        if not inflater.eof:
            raise CaptureError("the site's compressed answer was cut short", "try again later")
        # gzip allows several members one after the other
        rest = inflater.unused_data if wbits > zlib.MAX_WBITS else b""
    return bytes(out)


def _too_large(limit: int) -> CaptureError:
    return CaptureError(f"the page is larger than the {limit:,}-byte capture limit (max_capture_bytes)",
                        "save it from your browser into the corpus instead")


def _status_error(status: int, reason: str) -> CaptureError:
    phrase = reason or http.client.responses.get(status, "")
    answered = f"the page answered {status} {phrase}".rstrip()
    if status in HTTP_ADVICE:
        return CaptureError(answered, HTTP_ADVICE[status])
    if status >= 500:
        return CaptureError(answered, "the site has a problem; try again later")
    if 300 <= status < 400:
        return CaptureError(answered, "a redirect without a Location; open the URL in a browser to see where it leads")
    return CaptureError(answered, "check the URL")


def _network_error(reason, url: str, host: str, timeout: float) -> CaptureError:
    """One line for a failure below HTTP: DNS, refused, unreachable, timeout, TLS, a broken answer."""
    port = urlsplit(url).port or (443 if url.lower().startswith("https:") else 80)
    if isinstance(reason, socket.gaierror):
        return CaptureError(f"cannot resolve host {host}", "check the address or your connection", joint=": ")
    if isinstance(reason, http.client.InvalidURL):
        return CaptureError(f"not a valid URL: {_short(url)}", "check the address")
    if isinstance(reason, TimeoutError):
        return CaptureError(f"{host} did not answer within {timeout:g} s", "try again later or check your connection")
    if isinstance(reason, ConnectionRefusedError):
        return CaptureError(f"cannot connect to {host}:{port}: connection refused",
                            "check the address, or try again later if the site is down")
    if isinstance(reason, ssl.SSLCertVerificationError):
        return CaptureError(f"cannot verify the certificate of {host} ({_one_line(reason.verify_message or reason)})",
                            "check the address")
    if isinstance(reason, ssl.SSLError):
        return CaptureError(f"the secure connection to {host} failed ({_one_line(reason)})", "try again later")
    if isinstance(reason, OSError) and reason.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL):
        return CaptureError(f"cannot reach {host}: {_one_line(reason.strerror or reason)}", "check your connection")
    if isinstance(reason, (ConnectionResetError, ConnectionAbortedError, http.client.HTTPException)):
        return CaptureError(f"{host} broke off its answer ({_one_line(type(reason).__name__)})", "try again later")
    text = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
    return CaptureError(f"cannot fetch {_short(url)}: {_one_line(text)}", "check the address or your connection")


def _one_line(value) -> str:
    return " ".join(str(value).split()) or "unknown error"


def _short(url: str, length: int = 120) -> str:
    url = _one_line(url)
    return url if len(url) <= length else url[: length - 1] + "…"


# -- the capture ----------------------------------------------------------------------------------


def checked_url(url: str) -> str:
    """The address to fetch: http(s) with a host (``https://`` is assumed when none is written)."""
    url = url.strip()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)", url):  # a scheme, not a host's port
        url = "https://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise CaptureError(f"not a valid URL: {_short(url)}", "give the thread's address, e.g. "
                           "https://news.ycombinator.com/item?id=5002483") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise CaptureError(f"not an http(s) URL: {_short(url)}", "give the thread's address, e.g. "
                           "https://news.ycombinator.com/item?id=5002483")
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))


def site_folder(host: str) -> str:
    """The corpus folder of a host: its normalised domain, safe as a folder name."""
    site = normalize_domain(host) or "unknown-site"
    return re.sub(r"[^\w.-]", "_", site)


def file_name(url: str, stamp: str, data: bytes) -> str:
    """``t-some-topic-1148-20261129T153000Z.html``: the URL's path and query, the capture time, the kind of content."""
    parts = urlsplit(url)
    path = unquote(parts.path).strip("/")
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and f".{ext.lower()}" in PATH_EXTENSIONS:
        path = stem
    slug = re.sub(r"[^A-Za-z0-9_]+", "-", f"{path} {unquote(parts.query)}").strip("-") or "index"
    if len(slug) > MAX_SLUG:
        slug = slug[: MAX_SLUG - 9].rstrip("-") + "-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{stamp}{_extension(data)}"


def _extension(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head[:1] in (b"{", b"["):
        return ".json"
    if head.startswith((b"<?xml", b"<rss", b"<feed")) and b"<html" not in data[:4096].lower():
        return ".xml"
    if head.startswith(b"<") or b"<body" in data[:65536].lower():
        return ".html"
    return ".txt"


def capture(url: str, corpus: Path, *, now: datetime | None = None, connect_timeout: float | None = None,
            read_timeout: float | None = None, max_bytes: int | None = None,
            max_pages: int | None = None) -> Capture:
    """Fetch the discussion at ``url`` (and its platform's extras) and store it under ``corpus/<site>/``.

    :param now: the capture time (default: now, UTC), in every file name and as every file's mtime.
    :param max_pages: most files fetched for the thread, the page included (setting ``max_capture_pages``).
    :raise CaptureError: one line naming the problem and what to do next; nothing is stored then.
    """
    url = checked_url(url)
    fetcher = Fetcher(connect_timeout=connect_timeout, read_timeout=read_timeout, max_bytes=max_bytes)
    max_pages = max(1, setting("max_capture_pages") if max_pages is None else max_pages)
    captured = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    stamp = captured.strftime("%Y%m%dT%H%M%SZ")

    page = fetcher.fetch(url)
    site = site_folder(urlsplit(page.url).hostname or "")
    folder = Path(corpus) / site
    job = _Job(fetcher, folder, site, stamp, max_pages)
    job.name(page)
    platform, threads, why = _read(page, site)
    if platform is None:
        raise CaptureError(f"{_short(page.url)} is not a discussion page Agora can read ({why}); nothing was saved",
                           "if its comments load by script, save the page from your browser into the corpus")
    page.platform, page.threads = platform, threads
    job.files.append(page)

    companions: list[Fetched] = []
    if platform == "discourse":
        companions = _discourse_extras(job, page)
    elif platform == "reddit":
        companions = _reddit_extras(job, page)
    elif platform == "hackernews":
        _hackernews_extras(job, page)
    if companions and page not in companions and _named_differently(page, companions):
        # the page's posts carry other ids than the JSON's (Discourse's crawler view numbers them),
        # so keeping both would index every post twice; the JSON is the fuller record
        job.files.remove(page)
        job.notes.append(f"the page itself was not kept: the thread's JSON holds its posts under their own ids, "
                         f"and keeping both would index each post twice ({_short(page.url)})")

    written = _store(job.files, folder, captured)
    post_ids = {p.id for f in job.files for t in f.threads for p in t.posts}
    thread_ids = sorted({t.id for f in job.files for t in f.threads})
    return Capture(site=site, folder=folder, captured=captured, files=written, platform=platform,
                   thread_ids=thread_ids, posts=len(post_ids), notes=job.notes)


@dataclass
class _Job:
    fetcher: Fetcher
    folder: Path
    site: str
    stamp: str
    max_pages: int
    files: list[Fetched] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def name(self, fetched: Fetched) -> None:
        """A file name for ``fetched`` that no file of this capture or of the folder has."""
        name = file_name(fetched.url, self.stamp, fetched.data)
        stem, ext = os.path.splitext(name)
        n = 1
        while name in self.names or (self.folder / name).exists():
            n += 1
            name = f"{stem}-{n}{ext}"
        self.names.add(name)
        fetched.name = name

    @property
    def room(self) -> bool:
        return len(self.files) < self.max_pages

    def extra(self, url: str, platform: str, *, accept: str = HTML_ACCEPT) -> Fetched | None:
        """One more file of the same thread, kept only when ``platform``'s parser reads it; else a note."""
        try:
            fetched = self.fetcher.fetch(url, accept=accept)
        except CaptureError as exc:
            self.notes.append(f"not saved: {_short(url)} ({exc.problem})")
            return None
        self.name(fetched)
        found, threads, why = _read(fetched, self.site)
        if found != platform:
            self.notes.append(f"not saved: {_short(url)} (not a {platform} answer: {why or found})")
            return None
        fetched.platform, fetched.threads = found, threads
        self.files.append(fetched)
        return fetched

    def capped(self, what: str) -> None:
        self.notes.append(f"{what} not fetched: at most {self.max_pages} files are saved per thread "
                          "(max_capture_pages)")


def _read(fetched: Fetched, site: str | None = None) -> tuple[str | None, list[Thread], str]:
    """(platform, threads, "") when a parser reads the file as a discussion, else (None, [], why not)."""
    relpath = f"{site or 'capture'}/{fetched.name or 'page'}"
    source = SourceFile(path=Path(relpath), relpath=relpath, data=fetched.data)
    if not fetched.data.strip():
        return None, [], "the answer is empty"
    parser = parser_for(source)
    if parser is None:
        return None, [], "no parser recognises its content"
    try:
        threads = parse_source(source)
    except ParseError as exc:
        return None, [], exc.reason
    if parser.PLATFORM in FALLBACK_PLATFORMS and not any(p.kind != "post" for t in threads for p in t.posts):
        return None, [], "no comments found in it"
    return parser.PLATFORM, threads, ""


def _named_differently(page: Fetched, companions: list[Fetched]) -> bool:
    page_ids = {p.id for t in page.threads for p in t.posts}
    companion_ids = {p.id for f in companions for t in f.threads for p in t.posts}
    return bool(page_ids and companion_ids) and not page_ids & companion_ids


def _same_host(url: str, page: Fetched) -> bool:
    there, here = urlsplit(url), urlsplit(page.url)
    return there.scheme in ("http", "https") and (there.hostname, there.port) == (here.hostname, here.port)


def _discourse_extras(job: _Job, page: Fetched) -> list[Fetched]:
    """The topic's JSON and the posts.json pages of posts past its first chunk (the page itself if it is the JSON)."""
    parts = urlsplit(page.url)
    match = DISCOURSE_TOPIC.match(parts.path)
    if not match:
        return []
    base, topic_id = match.group("base"), int(match.group("id"))
    topic = page if _json_topic(page, topic_id) is not None else None
    if topic is None:
        if not job.room:
            job.capped("the topic's JSON")
            return []
        topic = job.extra(urlunsplit((parts.scheme, parts.netloc, f"{base}/t/{topic_id}.json", "", "")), "discourse",
                          accept=JSON_ACCEPT)
        if topic is None:
            return []
    companions = [topic]
    data = _json_topic(topic, topic_id)
    if data is None:
        return companions
    stream = data["post_stream"]
    loaded = {p.get("id") for p in stream.get("posts") or [] if isinstance(p, dict)}
    listed = [i for i in stream.get("stream") or [] if isinstance(i, int)]
    if not loaded <= set(listed):
        # the stream should list every post id of the topic, those loaded first; asking for ids it
        # names otherwise would fetch posts that are not this topic's
        job.notes.append("the topic's JSON does not list its posts' ids; only the posts it holds were saved")
        return companions
    missing = [i for i in listed if i not in loaded]
    chunk = data.get("chunk_size")
    chunk = min(chunk, DISCOURSE_MAX_CHUNK) if isinstance(chunk, int) and chunk > 0 else 20
    for start in range(0, len(missing), chunk):
        if not job.room:
            job.capped(f"{len(missing) - start:,} more posts of the topic were")
            break
        query = urlencode([("post_ids[]", i) for i in missing[start:start + chunk]])
        more = job.extra(urlunsplit((parts.scheme, parts.netloc, f"{base}/t/{topic_id}/posts.json", query, "")),
                         "discourse", accept=JSON_ACCEPT)
        if more is None:
            break
        companions.append(more)
    return companions


def _json_topic(fetched: Fetched, topic_id: int) -> dict | None:
    """The topic JSON in ``fetched`` when it is topic ``topic_id``'s, else None."""
    try:
        data = json.loads(fetched.data)
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("id") == topic_id and isinstance(data.get("post_stream"), dict):
        return data
    return None


def _reddit_extras(job: _Job, page: Fetched) -> list[Fetched]:
    """The thread's JSON (``<thread URL>.json``) beside a saved Reddit page."""
    parts = urlsplit(page.url)
    path = parts.path.rstrip("/")
    if not REDDIT_THREAD.search(parts.path) or path.endswith(".json") or page.data.lstrip()[:1] in (b"{", b"["):
        return []
    if not job.room:
        job.capped("the thread's JSON")
        return []
    found = job.extra(urlunsplit((parts.scheme, parts.netloc, path + ".json", "", "")), "reddit", accept=JSON_ACCEPT)
    return [found] if found else []


def _hackernews_extras(job: _Job, page: Fetched) -> None:
    """The "More" pages of a Hacker News item, each named by the morelink of the one before, on the same host."""
    seen = {page.url}
    current = page
    item = HN_ITEM_ID.search(urlsplit(page.url).query)
    while True:
        href = _more_href(current)
        if href is None:
            return
        target = urljoin(current.url, href)
        target_item = HN_ITEM_ID.search(urlsplit(target).query)
        if target in seen or not _same_host(target, page) or (item and target_item and target_item[1] != item[1]):
            return
        if not job.room:
            job.capped("further comment pages were")
            return
        seen.add(target)
        current = job.extra(target, "hackernews")
        if current is None:
            return


def _more_href(fetched: Fetched) -> str | None:
    source = SourceFile(path=Path(fetched.name), relpath=fetched.name, data=fetched.data)
    if not source.looks_like_html:
        return None
    for anchor in source.soup.find_all("a", href=True):
        classes = anchor.get("class") or []
        text = " ".join(anchor.get_text(" ").split()).lower()
        if "morelink" in classes or (text == "more" and HN_MORE_HREF.search(anchor["href"])):
            return anchor["href"]
    return None


# -- storing --------------------------------------------------------------------------------------


def _store(files: list[Fetched], folder: Path, captured: datetime) -> list[Path]:
    """Write every file atomically (temp file, then rename), mtime = capture time; all or none."""
    when = captured.timestamp()
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for fetched in files:
            final = folder / fetched.name
            tmp = folder / f".{fetched.name}.{os.getpid()}.tmp"
            try:
                with open(tmp, "wb") as handle:
                    handle.write(fetched.data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.utime(tmp, (when, when))
                os.replace(tmp, final)
            finally:
                if tmp.exists():
                    tmp.unlink()
            written.append(final)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise CaptureError(f"cannot write to {folder}: {_one_line(exc.strerror or exc)}; nothing was saved",
                           "check that the corpus folder is writable and the disk has room") from None
    return written
