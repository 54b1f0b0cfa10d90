"""Snippets: the passage of a hit that best shows why it matched, matched words marked.

The result is HTML-escaped text in which only ``<mark>`` tags are markup, safe to render.
Passages in quoted lines (``> …``, someone else's words) are chosen only when nothing else matches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

Token = tuple[str, int, int]  # (normalised term, start char, end char)


def matched_spans(tokens: Iterable[Token], terms: set[str], prefixes: tuple[str, ...]) -> list[tuple[int, int, str]]:
    return [(start, end, term) for term, start, end in tokens if term in terms or (prefixes and term.startswith(prefixes))]


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    ranges, offset = [], 0
    for line in text.split("\n"):
        if line.lstrip().startswith(">"):
            ranges.append((offset, offset + len(line)))
        offset += len(line) + 1
    return ranges


def best_snippet(text: str, analyze: Callable[[str], Iterable[Token]], terms: set[str],
                 prefixes: tuple[str, ...] = (), width: int = 220) -> str:
    """The best window of about ``width`` characters around the matches, escaped and marked."""
    if not text:
        return ""
    spans = matched_spans(analyze(text), terms, prefixes) if (terms or prefixes) else []
    if not spans:
        return _cut(text, 0, width)
    quoted = _quoted_ranges(text)

    def in_quote(pos: int) -> bool:
        return any(a <= pos < b for a, b in quoted)

    best, best_key = 0, None
    for i, (start, _end, _term) in enumerate(spans):
        window = [s for s in spans[i:] if s[0] < start + width]
        distinct = len({s[2] for s in window})
        own = sum(1 for s in window if not in_quote(s[0]))
        key = (own > 0, distinct, own, len(window), -start)
        if best_key is None or key > best_key:
            best, best_key = i, key
    start = spans[best][0]
    # open a little before the first match, at a word boundary
    lead = max(0, start - width // 5)
    if lead:
        space = text.rfind(" ", 0, lead + 1)
        lead = space + 1 if space > start - width // 2 else lead
    return _cut(text, lead, width, [s for s in spans if lead <= s[0] and s[1] <= lead + width])


def _cut(text: str, start: int, width: int, marks: list[tuple[int, int, str]] = ()) -> str:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    pieces, pos = [], start
    for s, e, _term in marks:
        if s < pos or e > end:
            continue
        pieces.append(escape(text[pos:s]))
        pieces.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    pieces.append(escape(text[pos:end]))
    snippet = " ".join("".join(pieces).split())
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")
