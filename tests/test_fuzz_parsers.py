"""Every parser, fed truncated, mis-encoded, corrupted and random input, returns threads or raises
our ParseError naming the file: never another exception, never a hang."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.parsers import PARSERS, parse_source
from indexer.parsers.base import ParseError, SourceFile
from indexer.records import Thread
from indexer.settings import setting
from tests.conftest import FIXTURES, REALDATA

FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def samples() -> dict[str, Path]:
    """One small example file per platform: a fixture where there is one, else a real page."""
    chosen: dict[str, Path] = {}
    for folder in sorted(FIXTURES.iterdir()):
        files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
        if files:
            chosen.setdefault(folder.name, files[0])
    return chosen


SAMPLES = samples()


def check(data: bytes, name: str = "fuzz.html") -> None:
    source = SourceFile(path=Path(name), relpath=name, data=data)
    try:
        threads = parse_source(source)
    except ParseError as error:
        assert error.path == name and error.reason
        return
    assert threads and all(isinstance(t, Thread) for t in threads)


def every_parser_directly(data: bytes, name: str = "fuzz.html") -> None:
    """Each parser that claims the bytes, called directly, keeps the same promise."""
    source = SourceFile(path=Path(name), relpath=name, data=data)
    for parser in PARSERS:
        try:
            if not parser.suitable(source):
                continue
            parser().parse(source)
        except ParseError:
            pass


@pytest.mark.parametrize("platform", sorted(SAMPLES))
@FUZZ
@given(cut=st.floats(0, 1), seed=st.binary(min_size=0, max_size=64))
def test_truncated_and_corrupted_samples(platform, cut, seed):
    data = SAMPLES[platform].read_bytes()
    truncated = data[: int(len(data) * cut)]
    check(truncated, SAMPLES[platform].name)
    corrupted = bytearray(data)
    for i, byte in enumerate(seed):
        corrupted[(i * 7919 + byte * 104729) % max(1, len(corrupted))] = byte
    check(bytes(corrupted), SAMPLES[platform].name)
    every_parser_directly(truncated[: 200_000], SAMPLES[platform].name)


@pytest.mark.parametrize("platform", sorted(SAMPLES))
@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "cp1251", "shift_jis"])
def test_mis_encoded_samples(platform, encoding):
    text = SAMPLES[platform].read_bytes().decode("utf-8", errors="replace")
    check(text.encode(encoding, errors="replace"), SAMPLES[platform].name)


@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(data):
    check(data)
    every_parser_directly(data)


@FUZZ
@given(text=st.text(max_size=2000))
def test_random_text(text):
    check(text.encode("utf-8"), "fuzz.txt")


def test_absurdly_nested_markup_is_refused_with_a_clear_message():
    for depth in (5_000, 50_000):
        for page in (b"<html><body>" + b"<div>" * depth + b"x" + b"</div>" * depth + b"</body></html>",
                     b"<html><body><ol class='commentlist'>" + b"<li class='comment'><ul class='children'>" * depth
                     + b"</body></html>"):
            with pytest.raises(ParseError, match="levels deep, over the limit of 512"):
                parse_source(SourceFile(path=Path("nested.html"), relpath="nested.html", data=page))


def test_real_pages_nest_far_less_than_the_limit():
    from indexer.parsers import markup_depth

    for path in sorted(REALDATA.glob("*/*.html"))[:40]:
        source = SourceFile.read(path)
        assert markup_depth(source.soup) < setting("max_markup_depth") // 2, path.name


def test_gzip_bomb_is_refused_with_a_clear_message():
    limit = setting("max_file_bytes")
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(limit // len(chunk) + 2)]
    bomb = b"".join(parts) + compressor.flush()
    assert len(bomb) < limit
    with pytest.raises(ParseError) as caught:
        parse_source(SourceFile(path=Path("bomb.mbox.gz"), relpath="bomb.mbox.gz", data=bomb))
    assert "limit" in caught.value.reason or "too large" in caught.value.reason
    assert gzip.decompress(gzip.compress(b"ok")) == b"ok"


def test_oversized_files_are_refused_before_parsing():
    big = b"<html><body>" + b"a" * (setting("max_file_bytes") + 1)
    with pytest.raises(ParseError, match="over the .*-byte limit"):
        parse_source(SourceFile(path=Path("big.html"), relpath="big.html", data=big))


def test_a_parser_that_runs_too_long_is_stopped(monkeypatch):
    import indexer.parsers as registry
    from indexer.parsers.plaintext import PlainTextParser

    def forever(self, source):
        while True:
            pass

    monkeypatch.setattr(PlainTextParser, "parse", forever)
    monkeypatch.setattr(registry, "setting", lambda name: 0.5 if name == "parse_seconds_per_file" else setting(name))
    with pytest.raises(ParseError, match="reading took over 0.5 s"):
        parse_source(SourceFile(path=Path("slow.txt"), relpath="slow.txt", data=b"A post.\nAnn\nA reply.\n"))


def test_real_pages_with_non_english_names_keep_them_without_mojibake():
    """Declared charset, then detection: no mojibake in authors or text."""
    from indexer.parsers import parse_file

    cases = {
        "forums/discuz-x34-talkop-thread-vivre-card-13.html": "\u6d77",  # CJK in the text
        "comment_exports/disqus-export-tanglei-name-2693-posts.xml": None,
        "wordpress/netzpolitik-org-cc-abmahnungen-2016.html": None,
    }
    for relpath in cases:
        path = REALDATA / relpath
        if not path.exists():
            pytest.skip("../shared/realdata is absent")
        threads = parse_file(path, REALDATA)
        text = " ".join(f"{p.author} {p.text}" for t in threads for p in t.posts)
        for marker in ("Ã¤", "Ã¶", "Ã¼", "â€", "\ufffd"):
            assert marker not in text, (relpath, marker)
