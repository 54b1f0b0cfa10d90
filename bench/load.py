"""Load test of the web UI: the search page and ``/api/search`` under concurrent clients, beside
the search core alone driven the same way in the same run.

    python -m bench.load --index bench/out/index-100000 [--seconds 30] [--clients 8] [--out bench/RESULTS.md]

- The server is ``agora serve`` (waitress, one process) on 127.0.0.1 and a free port, with as many
  threads as there are clients; it is always stopped at the end.
- The load is ``wrk`` (Debian package ``wrk``): ``--clients`` connections, at most 2 threads (an
  event loop each, so the client takes little of the CPU the server needs), ``--latency``, for
  ``--seconds``, first on ``/`` (the HTML search page), then on ``/api/search``. A Lua script
  cycles each thread through the same fixed list of queries and prints the figures (p50 and
  p95 from wrk's own latency histogram, errors by kind) when wrk is done.
- The baseline is the search core alone: ``Archive.search`` on the same queries with the very
  arguments the page (six facets of up to 1,000 values) or the API (four facets of 10) passes,
  in ONE process (like the server) with ``--clients`` threads, each with its own opened index
  (as the server's pool gives each request its own), for the same time.
- ratio = requests/s through the web ÷ requests/s of the core alone with the same parameters;
  the issue's target is ≥ 0.70 with no error. Any error (a status ≥ 400, a socket error, a
  timeout, an exception in the core, a server that does not answer) is reported and makes the
  command exit 1.

The queries are drawn from the index itself and are the same on every run over the same index:
a word in about 10% of the documents, a rarer one (about 1%), a phrase, author and domain
filters in the query, facet selections in the URL, newest first, an exclusion with a date, and
the landing page (no query: everything, newest first).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from indexer.search import DEFAULT_FACETS, Archive
from indexer.store import IndexStore
from webui.state import SearchState
from webui.views import FETCHED_VALUES

HOST = "127.0.0.1"  # loopback only: the server listens here and every request goes here
PAGE_SIZE = 20  # create_app's PAGE_SIZE, which `agora serve` keeps
PAGE_FACETS = ("author", "domain", "site", "kind", "year", "month")  # what webui.views.search counts
API_FACET_SIZE = 10  # /api/search's facet_size when the URL gives none
MAX_CORE_CALLS = 10_000_000  # per thread: the core's loops end on time, and at the latest here
WRK_TIMEOUT = 10  # seconds one request may take before wrk counts it as a timeout
START_SECONDS = 120  # longest the server may take to answer its first request
SECTION = "## Web load test"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


# -- the queries --------------------------------------------------------------------------------


@dataclass
class Query:
    name: str
    params: dict  # the URL's query-string values (lists repeat), for the page and the API alike
    matches: int = 0

    def path(self, route: str) -> str:
        query = urlencode(self.params, doseq=True)
        return f"{route}?{query}" if query else route

    def state(self) -> SearchState:
        return SearchState.from_args(MultiDict(self.params)).with_page_size(PAGE_SIZE)

    def page_call(self, archive: Archive) -> dict:
        """What webui.views.search asks the core for this URL."""
        state = self.state()
        return archive.search(state.q, **state.search_kwargs(), page=state.page, per_page=state.per_page,
                              cursor=state.cursor, facets=PAGE_FACETS, facet_size=FETCHED_VALUES)

    def api_call(self, archive: Archive) -> dict:
        """What webui.api.search asks the core for this URL."""
        state = self.state()
        return archive.search(state.q, **state.search_kwargs(), page=state.page, per_page=state.per_page,
                              cursor=state.cursor, facets=DEFAULT_FACETS, facet_size=API_FACET_SIZE)


def _word_near(engine, candidates: list[str], target: float) -> str:
    """The candidate word whose document count is closest to ``target`` (ties: the first in order)."""
    best, best_gap = candidates[0], None
    for word in candidates:
        freq = engine.doc_frequency(word)
        if freq <= 0:
            continue  # a stop word, or a word the text field does not hold
        gap = abs(freq - target)
        if best_gap is None or gap < best_gap:
            best, best_gap = word, gap
    return best


def pick_queries(index: Path) -> list[Query]:
    """A fixed list of realistic queries drawn from the index: the same index gives the same list."""
    with Archive(index) as archive:
        engine = archive.engine
        overview = archive.search("", sort="oldest", per_page=200, facets=("author", "domain", "year"),
                                  facet_size=2, suggest=False)
        documents = overview["total"]
        if not documents:
            raise SystemExit(f"the index {index} holds no documents")
        words = sorted({w for hit in overview["hits"] for w in re.findall(r"[a-z]{3,}", hit["text"].lower())})
        common = _word_near(engine, words, documents * 0.10)
        rare = _word_near(engine, [w for w in words if w != common], documents * 0.01)
        phrase = _phrase(archive, common)
        top = {name: [v["value"] for v in values] for name, values in overview["facets"].items()}
        author = top["author"][0] if top["author"] else "nobody"
        domain = top["domain"][0] if top["domain"] else "example.org"
        year = top["year"][0] if top["year"] else "2020"
        queries = [
            Query("landing page: everything, newest first", {}),
            Query("frequent word (~10% of documents)", {"q": common}),
            Query("two words", {"q": f"{common} {rare}"}),
            Query("phrase", {"q": f'"{phrase}"'}),
            Query("author filter in the query", {"q": f'{common} author:"{author}"'}),
            Query("domain filter in the query", {"q": f"{common} domain:{domain}"}),
            Query("facet selections (domain, year)", {"q": common, "domain": [domain], "year": [year]}),
            Query("newest first", {"q": common, "sort": "newest"}),
            Query("exclusion, date and has:link", {"q": f"{common} -{rare} after:{year} has:link"}),
        ]
        for query in queries:
            query.matches = query.api_call(archive)["total"]
    return queries


def _phrase(archive: Archive, word: str) -> str:
    """Two words side by side in a document that holds ``word``, starting at it where possible."""
    hits = archive.search(word, sort="oldest", per_page=5, facets=(), suggest=False)["hits"]
    for hit in hits:
        tokens = re.findall(r"[A-Za-z]{3,}", hit["text"])
        for first, second in zip(tokens, tokens[1:], strict=False):
            if first.lower() == word and archive.engine.doc_frequency(second) > 0:
                return f"{first.lower()} {second.lower()}"
    tokens = re.findall(r"[A-Za-z]{3,}", hits[0]["text"]) if hits else [word, word]
    return " ".join(t.lower() for t in tokens[:2])


# -- figures ------------------------------------------------------------------------------------


@dataclass
class Figures:
    label: str
    clients: int
    seconds: float
    requests: int
    p50_ms: float
    p95_ms: float
    errors: int
    error_detail: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of sorted samples."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(pct / 100 * len(ordered)) - 1))]


# -- the core alone -----------------------------------------------------------------------------


def run_core(index: Path, queries: list[Query], how: str, clients: int, seconds: float, label: str) -> Figures:
    """``clients`` threads of this one process, each with its own Archive, calling the core in a loop."""
    archives = [Archive(index) for _ in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[list[str]] = [[] for _ in range(clients)]
    ready = threading.Barrier(clients + 1)
    go = threading.Event()
    clock = {"deadline": 0.0}

    def worker(i: int) -> None:
        archive = archives[i]
        calls = [getattr(q, how) for q in queries]
        try:
            for call in calls:  # warm this archive once, as the server's first requests do
                call(archive)
        except Exception as exc:
            failures[i].append(f"warm-up: {type(exc).__name__}: {exc}")
        ready.wait()
        go.wait()
        n = i  # each thread starts at another query, as wrk's threads do
        mine = latencies[i]
        while time.perf_counter() < clock["deadline"] and len(mine) + len(failures[i]) < MAX_CORE_CALLS:
            call = calls[n % len(calls)]
            n += 1
            started = time.perf_counter()
            try:
                call(archive)
            except Exception as exc:
                failures[i].append(f"{type(exc).__name__}: {exc}")
                continue
            mine.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    try:
        for thread in threads:
            thread.start()
        ready.wait()
        start = time.perf_counter()
        clock["deadline"] = start + seconds
        go.set()
        for thread in threads:
            thread.join(seconds + 600)
        elapsed = time.perf_counter() - start
    finally:
        for archive in archives:
            archive.close()
    if any(thread.is_alive() for thread in threads):
        failures[0].append("a core thread did not finish within 10 minutes of the deadline")
    samples = sorted(s for mine in latencies for s in mine)
    errors = [f for mine in failures for f in mine]
    return Figures(label, clients, elapsed, len(samples), percentile(samples, 50), percentile(samples, 95),
                   len(errors), [f"{n}× {text}" for text, n in Counter(errors).most_common(5)])


# -- the server and wrk -------------------------------------------------------------------------


def agora_command() -> list[str]:
    script = Path(sys.executable).with_name("agora")
    return [str(script)] if script.exists() else [sys.executable, "-m", "indexer.cli"]


class Server:
    """``agora serve`` on the loopback address and a free port, in a subprocess."""

    def __init__(self, index: Path, threads: int):
        self.index = index
        self.threads = threads
        self.log = tempfile.NamedTemporaryFile("w+b", prefix="agora-serve-", suffix=".log", delete=False)
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    def start(self) -> None:
        command = [*agora_command(), "serve", "--index", str(self.index), "--host", HOST, "--port", "0",
                   "--threads", str(self.threads)]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_SECONDS
        while self.port is None:
            found = re.search(rb"serving .* on http://127\.0\.0\.1:(\d+)/", Path(self.log.name).read_bytes())
            if found:
                self.port = int(found.group(1))
            elif self.process.poll() is not None:
                raise RuntimeError(f"agora serve exited with status {self.process.returncode}: {self.log_tail()}")
            elif time.monotonic() > deadline:
                raise RuntimeError(f"agora serve did not start within {START_SECONDS} s: {self.log_tail()}")
            else:
                time.sleep(0.1)
        while True:  # listening is not answering: wait for the first answer (the index opened)
            try:
                status, _body = self.get("/api/stats")
                if status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"agora serve exited with status {self.process.returncode}: {self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"agora serve did not answer within {START_SECONDS} s: {self.log_tail()}")
            time.sleep(0.2)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=WRK_TIMEOUT) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def log_tail(self, chars: int = 2000) -> str:
        text = Path(self.log.name).read_bytes().decode("utf-8", "replace").strip()
        return text[-chars:] or "(no output)"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


WRK_SCRIPT = """\
-- written by bench/load.py: each thread cycles through the same paths, starting at its own
local paths = {%(paths)s}
local counter = 0
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  counter = id or 0
end

function request()
  local path = paths[(counter %% #paths) + 1]
  counter = counter + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "AGORA-LOAD requests=%%d duration_us=%%d connect=%%d read=%%d write=%%d status=%%d timeout=%%d p50_us=%%d p95_us=%%d\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def run_wrk(server: Server, paths: list[str], clients: int, threads: int, seconds: int, label: str) -> Figures:
    for path in paths:
        if not re.fullmatch(r"/[A-Za-z0-9/_.~%+=&?-]*", path):
            raise ValueError(f"unexpected characters in {path!r}")
    script_text = WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)}
    with tempfile.NamedTemporaryFile("w", prefix="agora-load-", suffix=".lua", delete=False) as script:
        script.write(script_text)
    url = server.url + "/"
    assert url.startswith(f"http://{HOST}:")
    command = ["wrk", "--threads", str(threads), "--connections", str(clients), "--duration", f"{seconds}s",
               "--timeout", f"{WRK_TIMEOUT}s", "--latency", "--script", script.name, url]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    except subprocess.TimeoutExpired:
        return Figures(label, clients, seconds, 0, 0.0, 0.0, 1, [f"wrk did not end within {seconds + 60} s"])
    finally:
        Path(script.name).unlink(missing_ok=True)
    output = done.stdout + done.stderr
    found = re.search(r"AGORA-LOAD (.*)", output)
    if done.returncode != 0 or not found:
        return Figures(label, clients, seconds, 0, 0.0, 0.0, 1, [f"wrk failed (status {done.returncode}): {output.strip()[-1000:]}"])
    values = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", found.group(1))}
    kinds = {k: values[k] for k in ("connect", "read", "write", "status", "timeout") if values[k]}
    # wrk's own summary line agrees with the Lua one; read it too, in case a version counts otherwise
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx and int(non_2xx.group(1)) > kinds.get("status", 0):
        kinds["status"] = int(non_2xx.group(1))
    detail = [", ".join(f"{k} {v}" for k, v in kinds.items())] if kinds else []
    if values["requests"] == 0:
        detail.append("no request was answered")
    return Figures(label, clients, values["duration_us"] / 1e6, values["requests"], values["p50_us"] / 1000,
                   values["p95_us"] / 1000, sum(kinds.values()) + (values["requests"] == 0), detail)


def check_answers(server: Server, queries: list[Query]) -> list[str]:
    """Every query once through the server: a 200, and the API's total equal to the core's."""
    problems = []
    for query in queries:
        for route in ("/", "/api/search"):
            status, body = server.get(query.path(route))
            if status != 200:
                problems.append(f"GET {query.path(route)} answered {status}")
            elif route == "/api/search" and json.loads(body)["total"] != query.matches:
                problems.append(f"GET {query.path(route)} found {json.loads(body)['total']}, the core {query.matches}")
    return problems


# -- the report ---------------------------------------------------------------------------------


def report(args, documents: int, queries: list[Query], pairs: list[tuple[Figures, Figures]], wrk_threads: int) -> str:
    lines = [
        SECTION,
        "",
        f"Produced by `python -m bench.load --index {args.index} --seconds {args.seconds} --clients {args.clients}`"
        f" on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, over"
        f" {documents:,} documents. The web: `agora serve` (waitress, one process, {args.clients} threads) on"
        f" 127.0.0.1 under wrk ({args.clients} connections, {wrk_threads} thread{'s' if wrk_threads > 1 else ''},"
        f" `--latency`). The core alone: `Archive.search` with the arguments the page or the API passes, in one"
        f" process with {args.clients} threads, each with its own opened index like the server's pool. Both run"
        " the same queries for the same time in this run, after a warm-up; ratio = web requests/s ÷ core requests/s"
        " with the same parameters.",
        "",
        "| measured | clients | seconds | requests | requests/s | p50 ms | p95 ms | errors | ratio to the core alone |"
        " target (≥ 0.70, 0 errors) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for web, core in pairs:
        ratio = web.rate / core.rate if core.rate else 0.0
        met = ratio >= 0.70 and web.errors == 0 and core.errors == 0
        for figures, cells in ((web, (f"{ratio:.2f}", "met" if met else "**missed**")), (core, ("1.00", ""))):
            lines.append(f"| {figures.label} | {figures.clients} | {figures.seconds:.1f} | {figures.requests:,} |"
                         f" {figures.rate:,.1f} | {figures.p50_ms:.1f} | {figures.p95_ms:.1f} | {figures.errors:,} |"
                         f" {cells[0]} | {cells[1]} |")
    errors = [f"{f.label}: {d}" for pair in pairs for f in pair for d in f.error_detail]
    if errors:
        lines += ["", "Errors:", ""] + [f"- {e}" for e in errors]
    lines += [
        "",
        "Queries, cycled in this order by every client (each starts at another), the same on the page and the API:",
        "",
        "| query | URL parameters | matches |",
        "|---|---|---|",
    ]
    for query in queries:
        shown = query.path("").lstrip("?") or "(none)"
        lines.append(f"| {query.name} | `{shown}` | {query.matches:,} |")
    lines.append("")
    return "\n".join(lines)


def write_section(out: Path, section: str) -> None:
    """Put ``section`` in place of the file's web load test section (or at its end), keeping the rest."""
    text = out.read_text() if out.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + ("\n" if not section.endswith("\n\n") else ""), text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text.rstrip("\n") + "\n")


# -- main ---------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Load test of the web UI against the search core alone")
    parser.add_argument("--index", type=Path, required=True, help="index folder (e.g. bench/out/index-100000)")
    parser.add_argument("--seconds", type=int, default=30, help="length of each measured run (default 30)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load per target first")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the results file (default bench/RESULTS.md)")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 64:
        parser.error("--clients must be from 1 to 64 (the server's thread limit)")
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds must be from 1 to 600")
    if not 0 <= args.warmup <= 60:
        parser.error("--warmup must be from 0 to 60")
    if shutil.which("wrk") is None:
        print("bench.load needs wrk: apt-get update && apt-get install -y wrk (make bench does it)", file=sys.stderr)
        return 2
    if not IndexStore(args.index).exists():
        print(f"no index in {args.index}; build it with `agora reindex` or `python -m bench.run`", file=sys.stderr)
        return 2
    wrk_threads = min(2, args.clients)
    # a plain `kill` of this command still stops the server (the finally below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    queries = pick_queries(args.index)
    with Archive(args.index) as archive:
        documents = archive.search("", per_page=1, facets=(), suggest=False)["total"]
    print(f"{len(queries)} queries over {documents:,} documents:", flush=True)
    for query in queries:
        print(f"  {query.matches:>8,}  {query.path('/')}", flush=True)

    server = Server(args.index, threads=args.clients)
    pairs: list[tuple[Figures, Figures]] = []
    problems: list[str] = []
    try:
        print(f"Starting agora serve on {HOST}…", flush=True)
        server.start()
        problems = check_answers(server, queries)
        if not problems:
            targets = (
                ("/", "page_call", "`GET /` (search page)", "core alone, the page's arguments"),
                ("/api/search", "api_call", "`GET /api/search`", "core alone, the API's arguments"),
            )
            for route, how, web_label, core_label in targets:
                paths = [q.path(route) for q in queries]
                print(f"Core alone with the arguments of {route}: {args.clients} threads, {args.seconds} s…",
                      flush=True)
                core = run_core(args.index, queries, how, args.clients, args.seconds, core_label)
                print(f"wrk on {route}: warm-up {args.warmup} s, then {args.clients} connections, {args.seconds} s…",
                      flush=True)
                if args.warmup > 0:
                    warm = run_wrk(server, paths, args.clients, wrk_threads, args.warmup, "warm-up")
                    if warm.errors:
                        problems.append(f"warm-up on {route}: " + "; ".join(warm.error_detail))
                web = run_wrk(server, paths, args.clients, wrk_threads, args.seconds, web_label)
                pairs.append((web, core))
                if server.process.poll() is not None:
                    problems.append(f"agora serve stopped during the run: {server.log_tail()}")
                    break
    except (RuntimeError, OSError) as exc:
        problems.append(str(exc))
    finally:
        server.stop()

    if pairs:
        section = report(args, documents, queries, pairs, wrk_threads)
        write_section(args.out, section)
        print()
        print(section)
    errors = sum(f.errors for pair in pairs for f in pair)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if errors:
        print(f"error: {errors:,} requests failed (see the table)", file=sys.stderr)
    for web, core in pairs:
        if core.rate and web.rate / core.rate < 0.70:
            print(f"note: {web.label} sustains {web.rate / core.rate:.2f} of the core alone (target ≥ 0.70)",
                  file=sys.stderr)
    return 1 if problems or errors or not pairs else 0


if __name__ == "__main__":
    sys.exit(main())
