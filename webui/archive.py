"""The opened index for a request: borrowed from a small pool kept per index generation.

A full ``agora reindex`` publishes a new generation (``INDEX/agora.json`` names it) and an
incremental one rewrites the generation's ``status.json``; the next request sees either change,
gets a freshly opened archive and the old ones are closed.
Each request has an archive of its own, so the server's threads never share one.
"""

from __future__ import annotations

import threading

from flask import current_app, g

from indexer.search import Archive, IndexStore

MAX_IDLE = 8


class IndexUnavailable(Exception):
    """There is no index to search (yet)."""


class ArchivePool:
    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self.lock = threading.Lock()
        self.generation: str | None = None
        self.idle: list[Archive] = []

    def current_generation(self) -> str:
        """The live generation's name, and when a reindex last committed into it (its status file)."""
        store = IndexStore(self.index_dir)
        pointer = store.pointer
        if not pointer or not store.exists():
            raise IndexUnavailable(f"there is no index in {self.index_dir} yet; run `agora reindex` to build it")
        try:
            stamp = (store.root / pointer["current"] / "status.json").stat().st_mtime_ns
        except OSError:
            stamp = 0
        return f"{pointer['current']}@{stamp}"

    def acquire(self) -> tuple[str, Archive]:
        generation = self.current_generation()
        stale = []
        with self.lock:
            if generation != self.generation:
                stale, self.idle, self.generation = self.idle, [], generation
            archive = self.idle.pop() if self.idle else None
        for old in stale:
            old.close()
        if archive is None:
            archive = Archive(self.index_dir)
        return generation, archive

    def release(self, generation: str, archive: Archive) -> None:
        with self.lock:
            if generation == self.generation and len(self.idle) < MAX_IDLE:
                self.idle.append(archive)
                return
        archive.close()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for archive in idle:
            archive.close()


def get_archive() -> Archive:
    """The request's archive, borrowed on first use and given back when the request ends."""
    if "archive" not in g:
        g.archive_generation, g.archive = current_app.extensions["agora_pool"].acquire()
    return g.archive


def index_generation() -> str:
    get_archive()
    return g.archive_generation


def release_archive(exc=None) -> None:
    archive = g.pop("archive", None)
    if archive is not None:
        current_app.extensions["agora_pool"].release(g.pop("archive_generation"), archive)


def init_app(app) -> None:
    app.extensions["agora_pool"] = ArchivePool(app.config["INDEX_DIR"])
    app.teardown_appcontext(release_archive)
