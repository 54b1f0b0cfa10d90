"""Reindexing a corpus folder: find what changed, parse it on every core, write it in one commit.

A manifest of size, mtime and content hash per file decides what to parse. A file that fails
to parse is reported and keeps its previous documents; the run goes on. Nothing is visible
until the engine commits, so an interrupted run leaves the previous index as it was.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from indexer.engine import DEFAULT_ENGINE, index_document
from indexer.engine.base import document_from_payload
from indexer.parsers import parse_source
from indexer.parsers.base import ParseError, SourceFile
from indexer.settings import setting
from indexer.store import IndexStore, write_json_atomically

SYNTHETIC_ROOT = "root"  # id suffix of a root made for a file that holds only comments
IGNORED_NAMES = frozenset({"README", "README.md", "LICENSE", ".DS_Store", "Thumbs.db", "PROVENANCE.tsv"})


@dataclass
class Skipped:
    source: str
    reason: str


@dataclass
class ReindexReport:
    files_seen: int = 0
    files_parsed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    threads: int = 0
    posts: int = 0
    documents: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    full: bool = False
    engine: str = DEFAULT_ENGINE
    total_documents: int = 0

    def as_dict(self) -> dict:
        data = dict(self.__dict__)
        data["skipped"] = [s.__dict__ for s in self.skipped]
        return data


def corpus_files(corpus: Path) -> list[Path]:
    """Every file of the corpus that could be a saved discussion, in a stable order."""
    found = []
    for folder, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name in IGNORED_NAMES or name.endswith(("~", ".tmp", ".part")):
                continue
            found.append(Path(folder) / name)
    return found


def _sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _relpath(path: Path, corpus: Path) -> str:
    return path.relative_to(corpus).as_posix()


def _parse_for_index(job: tuple[str, str]) -> tuple[str, str, list[dict] | None, str | None, list]:
    """In a worker: (relpath, sha1, documents or None, error or None, [[thread id, continues, continued_at,
    title, url]])."""
    path, corpus = job
    path_obj, corpus_obj = Path(path), Path(corpus)
    rel = _relpath(path_obj, corpus_obj)
    try:
        source = SourceFile(path=path_obj, relpath=rel, data=path_obj.read_bytes())
    except OSError as exc:
        return rel, "", None, f"cannot read file: {exc.strerror or exc}", []
    digest = hashlib.sha1(source.data).hexdigest()
    try:
        threads = parse_source(source)
    except ParseError as exc:
        return rel, digest, None, exc.reason, []
    documents = []
    saved = int(path_obj.stat().st_mtime)
    for thread in threads:
        if not any(p.kind == "post" for p in thread.posts):
            _add_root(thread)
        documents.extend(index_document(thread, post, saved) for post in thread.posts)
    return rel, digest, documents, None, [[t.id, t.continues, t.continued_at, t.title, t.url] for t in threads]


def _add_root(thread) -> None:
    """Threads saved without their opening post (comment exports) still get a root to show and count."""
    from indexer.records import Post

    root = Post(id=f"{thread.id}-{SYNTHETIC_ROOT}", thread_id=thread.id, kind="post", author=thread.author,
                text="", position=-1, date=thread.date, permalink=thread.url)
    thread.posts.insert(0, root)


def reindex(corpus: Path, index_root: Path, *, full: bool = False, engine: str | None = None,
            workers: int | None = None, progress: Callable[[int, int], None] | None = None) -> ReindexReport:
    """Bring the index at ``index_root`` up to date with the files under ``corpus``."""
    started = time.perf_counter()
    corpus = Path(corpus).resolve()
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus} does not exist; create it or pass --corpus DIR")
    store = IndexStore(index_root)
    engine_name = engine or store.engine_name
    rebuild = full or not store.exists() or engine_name != store.engine_name
    previous_manifest = store.manifest() if store.exists() else {}
    report = ReindexReport(full=rebuild, engine=engine_name)

    files = corpus_files(corpus)
    report.files_seen = len(files)
    current = {_relpath(p, corpus): p for p in files}
    manifest: dict[str, dict] = {} if rebuild else dict(previous_manifest)
    to_parse = []
    for rel, path in current.items():
        stat = path.stat()
        known = None if rebuild else previous_manifest.get(rel)
        if known and known["size"] == stat.st_size and known["mtime_ns"] == stat.st_mtime_ns:
            report.files_unchanged += 1
            if known.get("failed"):
                report.skipped.append(Skipped(rel, known["failed"]))
        elif known and not known.get("failed") and known.get("sha1") == _sha1(path):
            manifest[rel] = {**known, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
            report.files_unchanged += 1
        else:
            to_parse.append(path)
    removed = [rel for rel in previous_manifest if rel not in current] if not rebuild else []

    if rebuild:
        folder, target = store.begin_generation(engine_name)
        old_engine = store.open_engine() if store.exists() else None
    else:
        folder, target, old_engine = None, store.open_engine(), None
    writer = target.writer()
    try:
        for rel in removed:
            writer.delete_source(rel)
            manifest.pop(rel, None)
        report.files_removed = len(removed)
        jobs = [(str(p), str(corpus)) for p in to_parse]
        waiting = []  # pages that continue another page: written once every page's place is known
        for done, (rel, digest, documents, error, chain) in enumerate(_parse_all(jobs, workers), start=1):
            stat = current[rel].stat()
            seen = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
            known = previous_manifest.get(rel)
            if documents is None:
                report.skipped.append(Skipped(rel, error))
                good = {k: v for k, v in (known or {}).items() if k in ("sha1", "threads", "posts")}
                if rebuild and old_engine is not None and good:
                    # carry the last good version of this file into the new generation
                    for payload in old_engine.source_payloads(rel):
                        writer.add(document_from_payload(payload))
                manifest[rel] = {**good, **seen, "failed": error}
            else:
                if any(link[1] for link in chain):
                    waiting.append((rel, documents))
                else:
                    if not rebuild and known:
                        writer.delete_source(rel)
                    for document in documents:
                        writer.add(document)
                report.files_parsed += 1
                report.threads += len(chain)
                report.posts += len(documents)
                manifest[rel] = {**seen, "sha1": digest, "threads": len(chain), "posts": len(documents)}
                if any(link[1] or link[2] for link in chain):
                    manifest[rel]["chain"] = chain
            if progress:
                progress(done, len(jobs))
        _join_continued_pages(writer, manifest, waiting, corpus, rebuild, previous_manifest)
        writer.commit()
    except BaseException:
        writer.cancel()
        if folder is not None:
            store.discard(folder)
        raise
    finally:
        if old_engine is not None:
            old_engine.close()

    generation = folder if rebuild else store.current
    write_json_atomically(generation / "manifest.json", manifest)
    report.seconds = time.perf_counter() - started
    counted = target.stats()
    report.total_documents = counted["documents"]
    target.close()
    status = {"last_reindex": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "corpus": str(corpus),
              "report": report.as_dict(),
              "failing_files": {rel: entry["failed"] for rel, entry in manifest.items() if entry.get("failed")}}
    write_json_atomically(generation / "status.json", status)
    if rebuild:
        store.publish(folder, engine_name)
    return report


def _join_continued_pages(writer, manifest: dict, waiting: list, corpus: Path, rebuild: bool,
                          previous: dict) -> None:
    """Write pages that continue another page ("more comments" pages) into the thread they continue.

    Pages are joined through the manifest, so a first page indexed after its continuations
    still gathers them: a continuation whose thread changed is read again.
    """
    joined_to: dict[str, str] = {}  # a page's continued_at key → that page's thread id
    continues_of: dict[str, str] = {}  # thread id → the key of the page it continues
    named: dict[str, tuple] = {}  # thread id → (title, url) of a page that names its thread
    for entry in manifest.values():
        for thread_id, continues, continued_at, *about in entry.get("chain", ()):
            if continued_at:
                joined_to[continued_at] = thread_id
            if continues:
                continues_of[thread_id] = continues
            if about and about[0]:
                named[thread_id] = tuple(about)

    def resolve(thread_id: str) -> str:
        seen = set()
        while thread_id in continues_of and continues_of[thread_id] in joined_to and thread_id not in seen:
            seen.add(thread_id)
            thread_id = joined_to[continues_of[thread_id]]
        return thread_id

    pending = {rel: documents for rel, documents in waiting}
    for rel, entry in manifest.items():
        chain = entry.get("chain", ())
        wanted = {link[0]: resolve(link[0]) for link in chain if link[1]}
        if rel not in pending and wanted and wanted != entry.get("joined", {tid: tid for tid in wanted}):
            _rel, _digest, documents, error, _chain = _parse_for_index((str(corpus / rel), str(corpus)))
            if documents is not None:
                pending[rel] = documents
        if rel in pending:
            entry["joined"] = wanted
    for rel, documents in pending.items():
        mapping = manifest[rel].get("joined", {})
        if not rebuild and rel in previous:
            writer.delete_source(rel)
        for document in documents:
            writer.add(_rethread(document, mapping, named))


def _rethread(document: dict, mapping: dict[str, str], named: dict[str, tuple]) -> dict:
    """The document moved into another thread: its thread id, the ids derived from it and,
    where the page did not name it, the thread's title and URL change."""
    old = document["thread_id"]
    new = mapping.get(old, old)
    if new == old:
        return document
    moved = dict(document, thread_id=new)
    if new in named and not moved.get("thread_title"):
        moved["thread_title"], moved["thread_url"] = named[new][0], moved.get("thread_url") or named[new][1]
    for key in ("id", "parent_id"):
        if moved[key] and moved[key].startswith(old):
            moved[key] = new + moved[key][len(old):]
    return moved


def _parse_all(jobs: list, workers: int | None):
    """Parse results in completion order, on every core when there is enough to share.

    At most a few files per worker are in flight: parsed documents wait in memory only until
    the writer takes them, so memory stays bounded whatever the size of the corpus.
    """
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < 4:
        yield from map(_parse_for_index, jobs)
        return
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    window = workers * setting("parse_files_in_flight")
    pending = iter(jobs)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_limit_worker_memory) as pool:
        running = {pool.submit(_parse_for_index, job) for job in islice(pending, window)}
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
            running |= {pool.submit(_parse_for_index, job) for job in islice(pending, len(done))}


def _limit_worker_memory() -> None:
    """Bound what one parser process may allocate: a hostile file then fails alone, as a MemoryError."""
    try:
        import resource

        limit = setting("parse_memory_mb") * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform, or already lower


def suggest_engine(total_documents: int) -> str | None:
    if total_documents > setting("suggest_engine_docs"):
        return (f"this index holds {total_documents:,} documents; Tantivy answers archives this large much "
                "faster: `agora reindex --full --engine tantivy`")
    return None
