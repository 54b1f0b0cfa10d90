"""The contract every platform parser keeps, and the helpers they share.

A parser is a class with ``PLATFORM`` (a unique short name), ``DESCRIPTION`` (one line on
what it reads), ``suitable(source)`` (does this file carry our platform's markup?) and
``parse(source)`` (the file's threads). The registry in ``indexer.parsers`` tries them in
order; the first suitable one wins, the generic one is last.
"""

from __future__ import annotations

import json
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from charset_normalizer import from_bytes

from indexer.dates import iso_date
from indexer.links import collect_links, normalize_domain, urls_in_text
from indexer.records import Post, Thread, stable_id

HOST_NAME = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?\s*([A-Za-z0-9_:.-]+)""", re.I)


class ShapeError(ValueError):
    """A file in the right format (JSON, XML) but not shaped as the parser expects; becomes a ParseError."""


class ParseError(Exception):
    """A file we could not turn into threads; the message says why, the path says which."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class SourceFile:
    """One saved file as the parsers see it: raw bytes, decoded text and, for HTML, a soup."""

    path: Path
    relpath: str
    data: bytes
    _soup: BeautifulSoup | None = field(default=None, repr=False)

    @classmethod
    def read(cls, path: Path, corpus_root: Path | None = None) -> SourceFile:
        path = Path(path)
        try:
            relpath = str(PurePosixPath(path.resolve().relative_to(corpus_root.resolve()))) if corpus_root else path.name
        except ValueError:
            relpath = path.name
        return cls(path=path, relpath=relpath, data=path.read_bytes())

    @cached_property
    def text(self) -> str:
        """The file decoded: BOM, then declared charset, then UTF-8, then detection."""
        data = self.data
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8", errors="replace")
        declared = META_CHARSET.search(data[:4096])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii").lower(), errors="strict")
            except (LookupError, UnicodeDecodeError):
                pass
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            best = from_bytes(data[:200_000]).best()
            encoding = best.encoding if best else "cp1252"
            return data.decode(encoding, errors="replace")

    @property
    def head(self) -> str:
        """The first few kilobytes, enough to recognise most formats cheaply."""
        return self.text[:8192]

    @property
    def looks_like_html(self) -> bool:
        head = self.head.lstrip().lower()
        return head.startswith(("<!doctype html", "<html")) or "<body" in self.text[:65536].lower()

    @property
    def soup(self) -> BeautifulSoup:
        if self._soup is None:
            with warnings.catch_warnings():
                # XHTML pages start with <?xml; reading them as HTML is what we want
                warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
                self._soup = BeautifulSoup(self.text, "lxml")
        return self._soup

    @property
    def folder_site(self) -> str | None:
        """The site named by the folder the file sits in (``corpus/ianwelsh.net/x.txt``), if any."""
        for part in reversed(PurePosixPath(self.relpath).parts[:-1]):
            host = part.lower()
            if HOST_NAME.match(host):
                return normalize_domain(host)
        return None


class Parser:
    """Base class of platform parsers. Subclasses set PLATFORM and DESCRIPTION and implement both methods."""

    PLATFORM = ""
    DESCRIPTION = ""

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        raise NotImplementedError

    def parse(self, source: SourceFile) -> list[Thread]:
        raise NotImplementedError


class ThreadBuilder:
    """Collects a thread's posts in page order and gives them stable ids, positions and links.

    ``native_id`` is the platform's own id of a post where the page shows one; ids derived
    from it survive re-saving the page with more comments. ``parent`` is a native id too.
    """

    def __init__(self, source: SourceFile, platform: str, *, url: str | None = None,
                 title: str | None = None, site: str | None = None, author: str | None = None,
                 date: str | None = None, thread_key: str | None = None):
        self.source = source
        key = thread_key or url or f"file:{source.relpath}"
        self.thread = Thread(
            id=stable_id(key),
            platform=platform,
            source=source.relpath,
            url=url,
            site=site or _site_from_url(url) or source.folder_site,
            title=clean_text(title) or None,
            author=clean_text(author) or None,
            date=date,
        )
        self._ids: dict[str, str] = {}
        self._used: set[str] = set()

    def add(self, *, author: str | None, text: str, kind: str = "comment", native_id: str | None = None,
            parent: str | None = None, date: str | None = None, author_url: str | None = None,
            hrefs: list[str] = (), permalink: str | None = None) -> Post:
        position = len(self.thread.posts)
        local = f"c{native_id}" if native_id else f"p{position}"
        post_id = f"{self.thread.id}-{local}"
        if post_id in self._used:
            post_id = f"{post_id}-{position}"
        self._used.add(post_id)
        links, domains = collect_links([*hrefs, *urls_in_text(text)])
        post = Post(
            id=post_id,
            thread_id=self.thread.id,
            kind=kind,
            author=clean_text(author) or None,
            text=text.strip(),
            position=position,
            author_url=author_url or None,
            date=date,
            links=links,
            domains=domains,
            parent_id=self._ids.get(parent) if parent else None,
            permalink=permalink,
        )
        if native_id:
            self._ids[native_id] = post_id
        self.thread.posts.append(post)
        return post

    def build(self) -> Thread:
        root = next((p for p in self.thread.posts if p.kind == "post"), None)
        if root is not None:
            self.thread.author = self.thread.author or root.author
            self.thread.date = self.thread.date or root.date
        return self.thread


@contextmanager
def parse_errors(platform: str, source: SourceFile, nested: str = "data"):
    """Whatever goes wrong inside becomes a ParseError naming the file and the reason, so a parser
    called directly keeps the registry's promise: threads, or our ParseError and nothing else."""
    try:
        yield
    except ParseError:
        raise
    except ShapeError as exc:
        raise ParseError(source.relpath, f"{platform}: {exc}") from None
    except RecursionError:
        raise ParseError(source.relpath, f"{platform}: {nested} nested too deeply to read") from None
    except Exception as exc:  # noqa: BLE001 - a parser bug must not escape as anything but ParseError
        raise ParseError(source.relpath, f"{platform} parser failed: {type(exc).__name__}: {exc}") from exc


def load_json(source: SourceFile, platform: str):
    """The file's JSON, or a ParseError saying where it stops being JSON."""
    try:
        return json.loads(source.text)
    except json.JSONDecodeError as exc:
        raise ParseError(source.relpath,
                         f"{platform}: not valid JSON (truncated file?): {exc.msg} at line {exc.lineno}") from None


def clean_text(value: str | None) -> str:
    return " ".join(value.split()) if value else ""


def _site_from_url(url: str | None) -> str | None:
    if not url:
        return None
    from indexer.links import url_domain

    return url_domain(url)


__all__ = ["ParseError", "Parser", "ShapeError", "SourceFile", "ThreadBuilder", "clean_text", "iso_date", "load_json",
           "parse_errors"]
