"""The query language, parsed once into a small tree that every engine compiles.

    words "a phrase" prefix* fuzzy~ (a OR b) NOT x -x
    author:"KT Chong" domain:youtube.com site:ianwelsh.net thread:ID title:word kind:comment
    after:2024-06 before:2025-02-01 on:2024 has:link -author:Z comments>10

Repeated positive filters of one kind in the same AND-group are OR-ed (``author:a author:b``
finds either); different kinds are AND-ed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

FILTER_FIELDS = ("author", "domain", "site", "thread", "title", "kind")
DATE_FIELDS = ("after", "before", "on")
HAS_VALUES = ("link",)
KINDS = ("post", "comment", "pingback", "deleted")
TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\() | (?P<rparen>\)) |
        (?P<compare>-?comments(?:>=|<=|>|<|=)\S*) |
        (?P<field>-?[A-Za-z_]+):(?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s()"]*)) |
        (?P<phrase>-?"[^"]*"?) |
        (?P<word>[^\s()"]+)
    )""",
    re.X,
)


class QueryError(ValueError):
    """A query we cannot read; the message says what is wrong in one line."""


@dataclass(frozen=True)
class Term:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str


@dataclass(frozen=True)
class Fuzzy:
    text: str


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Filter:
    """An exact-match filter on a facet field (author, domain, site, thread, kind) or a title word."""

    field: str
    value: str


@dataclass(frozen=True)
class DateRange:
    """Dates from ``start`` (inclusive) to ``end`` (exclusive); either may be None."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class HasLink:
    pass


@dataclass(frozen=True)
class CommentCount:
    """Posts of threads whose number of comments compares with ``number`` (``comments>10``)."""

    op: str
    number: int


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class And:
    children: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class Or:
    children: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class MatchAll:
    pass


Node = Term | Prefix | Fuzzy | Phrase | Filter | DateRange | HasLink | CommentCount | Not | And | Or | MatchAll
COMPARE = re.compile(r"comments(>=|<=|>|<|=)(\d+)$")


def date_bounds(value: str, name: str) -> tuple[datetime, datetime]:
    """The span a partial date names: ``2024`` is the year, ``2024-06`` the month, ``2024-06-03`` the day."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    if not match:
        raise QueryError(f"{name}:{value} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            start = datetime(year, month, day)
            end = datetime.fromordinal(start.toordinal() + 1)
        elif month:
            start = datetime(year, month, 1)
            end = datetime(year + (month == 12), month % 12 + 1, 1)
        else:
            start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    except ValueError:
        raise QueryError(f"{name}:{value} is not a real date") from None
    return start, end


def date_filter(name: str, value: str) -> DateRange:
    start, end = date_bounds(value, name)
    if name == "after":
        return DateRange(start, None)
    if name == "before":
        return DateRange(None, start)
    return DateRange(start, end)


def parse_query(text: str | None) -> Node:
    """The tree of a query string; an empty query matches everything."""
    tokens = _tokenize(text or "")
    if not tokens:
        return MatchAll()
    parser = _Parser(tokens)
    node = parser.parse_or()
    if parser.pos < len(tokens):
        raise QueryError("unbalanced ')' in the query; remove it or add the matching '('")
    node = simplify(node)
    split_thread_filters(node)  # raises when comments>N stands where it cannot be applied
    return node


def split_thread_filters(node) -> tuple[object, list[tuple[str, int, bool]]]:
    """The query without its ``comments>N`` filters, and those filters as (op, number, negated).

    Thread filters apply to whole threads, so they can only be AND-ed with the rest.
    """
    children = node.children if isinstance(node, And) else (node,)
    rest, filters = [], []
    for child in children:
        if isinstance(child, CommentCount):
            filters.append((child.op, child.number, False))
        elif isinstance(child, Not) and isinstance(child.child, CommentCount):
            filters.append((child.child.op, child.child.number, True))
        else:
            if _contains_comment_count(child):
                raise QueryError("comments>N can only be joined to the rest of the query by AND, not OR or NOT")
            rest.append(child)
    if not filters:
        return node, []
    remaining = MatchAll() if not rest else rest[0] if len(rest) == 1 else And(tuple(rest))
    return remaining, filters


def _contains_comment_count(node) -> bool:
    if isinstance(node, CommentCount):
        return True
    if isinstance(node, Not):
        return _contains_comment_count(node.child)
    if isinstance(node, (And, Or)):
        return any(_contains_comment_count(c) for c in node.children)
    return False


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise QueryError(f"cannot read the query near {text[pos:pos + 20]!r}")
        pos = match.end()
        kind = match.lastgroup
        if kind == "fquoted" or kind == "fvalue":
            name = match.group("field")
            value = match.group("fquoted") if match.group("fquoted") is not None else match.group("fvalue")
            if match.group("fquoted") is not None and not match.group(0).rstrip().endswith('"'):
                raise QueryError(f"the quote after {name}: is never closed; add a closing \"")
            tokens.append(("field", f"{name}\x00{value}"))
        elif kind == "compare":
            tokens.append(("compare", match.group("compare")))
        elif kind == "phrase":
            raw = match.group("phrase")
            if len(raw.lstrip("-")) < 2 or not raw.endswith('"'):
                raise QueryError('a quote in the query is never closed; add a closing "')
            tokens.append(("phrase", raw))
        else:
            tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def parse_or(self):
        children = [self.parse_and()]
        while self.peek() == ("word", "OR"):
            self.pos += 1
            if self.peek()[0] in (None, "rparen"):
                raise QueryError("OR needs a word or filter after it")
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self):
        children = []
        while True:
            kind, value = self.peek()
            if kind is None or kind == "rparen" or (kind, value) == ("word", "OR"):
                break
            if (kind, value) == ("word", "AND"):
                self.pos += 1
                if self.peek()[0] in (None, "rparen") or self.peek() == ("word", "OR"):
                    raise QueryError("AND needs a word or filter after it")
                continue
            children.append(self.parse_unary())
        if not children:
            kind, value = self.peek()
            if kind == "rparen":
                raise QueryError("empty parentheses '()' in the query")
            raise QueryError("OR needs a word or filter before it")
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self):
        kind, value = self.peek()
        if (kind, value) == ("word", "NOT"):
            self.pos += 1
            if self.peek()[0] in (None, "rparen"):
                raise QueryError("NOT needs a word or filter after it")
            return Not(self.parse_unary())
        if kind == "word" and value.startswith("-") and len(value) > 1:
            self.tokens[self.pos] = ("word", value[1:])
            return Not(self.parse_unary())
        if kind == "phrase" and value.startswith("-"):
            self.tokens[self.pos] = ("phrase", value[1:])
            return Not(self.parse_unary())
        if kind in ("field", "compare") and value.startswith("-"):
            self.tokens[self.pos] = (kind, value[1:])
            return Not(self.parse_unary())
        return self.parse_primary()

    def parse_primary(self):
        kind, value = self.peek()
        self.pos += 1
        if kind == "lparen":
            node = self.parse_or()
            if self.peek()[0] != "rparen":
                raise QueryError("a '(' in the query is never closed; add the matching ')'")
            self.pos += 1
            return node
        if kind == "phrase":
            return _phrase(value.strip('"'))
        if kind == "field":
            name, raw = value.split("\x00", 1)
            return _field(name.lower(), raw)
        if kind == "compare":
            found = COMPARE.match(value)
            if not found:
                raise QueryError(f"{value} needs a whole number, e.g. comments>10")
            return CommentCount(found.group(1), int(found.group(2)))
        return _word(value)


def _word(value: str):
    if value.endswith("*"):
        stem = value.rstrip("*")
        if len(stem) < 2:
            raise QueryError(f"{value!r}: a prefix search needs at least two letters before '*'")
        return Prefix(stem.lower())
    if value.endswith("~") and len(value) > 1:
        return Fuzzy(value.rstrip("~").lower())
    return Term(value)


def _phrase(text: str):
    words = tuple(text.split())
    if not words:
        return MatchAll()
    return Term(words[0]) if len(words) == 1 else Phrase(words)


def _field(name: str, value: str):
    value = value.strip()
    if name in DATE_FIELDS:
        if not value:
            raise QueryError(f"{name}: needs a date, e.g. {name}:2024-06")
        return date_filter(name, value)
    if name == "has":
        if value.lower() not in HAS_VALUES:
            raise QueryError(f"has:{value} is not known; use has:link")
        return HasLink()
    if name in FILTER_FIELDS:
        if not value:
            raise QueryError(f'{name}: needs a value, e.g. {name}:"some value"')
        if name == "kind" and value.lower() not in KINDS:
            raise QueryError(f"kind:{value} is not known; use kind:post or kind:comment")
        return Filter(name, value)
    if name in ("http", "https") and value.startswith("//"):
        return _phrase(f"{name}:{value}")  # a pasted URL, searched as its words
    known = ", ".join(f"{f}:" for f in (*FILTER_FIELDS, *DATE_FIELDS, "has")) + ", comments>N"
    raise QueryError(f"unknown field {name}:; the fields are {known}")


def simplify(node):
    """Flatten nested And/Or and OR together repeated positive filters of one kind inside an AND."""
    if isinstance(node, (And, Or)):
        children = []
        for child in (simplify(c) for c in node.children):
            if type(child) is type(node):
                children.extend(child.children)
            elif not isinstance(child, MatchAll) or isinstance(node, Or):
                children.append(child)
        if isinstance(node, And):
            children = _merge_same_kind_filters(children)
        if not children:
            return MatchAll()
        return children[0] if len(children) == 1 else type(node)(tuple(children))
    if isinstance(node, Not):
        return Not(simplify(node.child))
    return node


def _merge_same_kind_filters(children):
    groups: dict[str, list] = {}
    result = []
    for child in children:
        if isinstance(child, Filter) and child.field != "title":
            if child.field not in groups:
                groups[child.field] = []
                result.append(child.field)
            groups[child.field].append(child)
        else:
            result.append(child)
    return [
        (groups[item][0] if len(groups[item]) == 1 else Or(tuple(groups[item]))) if isinstance(item, str) else item
        for item in result
    ]


def combine(query: Node, filters: dict[str, list[str]] | None = None, *, after: str | None = None,
            before: str | None = None) -> Node:
    """The query AND the command-line filters (values of one kind OR-ed together)."""
    parts = [query]
    for name, values in (filters or {}).items():
        nodes = [_field(name, v) for v in values if v]
        if nodes:
            parts.append(nodes[0] if len(nodes) == 1 else Or(tuple(nodes)))
    if after:
        parts.append(date_filter("after", after))
    if before:
        parts.append(date_filter("before", before))
    return simplify(And(tuple(parts)))


def positive_terms(node) -> list[str]:
    """The words and phrases a hit is expected to contain (for highlighting), not those excluded."""
    if isinstance(node, Term):
        return [node.text]
    if isinstance(node, (Prefix, Fuzzy)):
        return [node.text + ("*" if isinstance(node, Prefix) else "")]
    if isinstance(node, Phrase):
        return list(node.words)
    if isinstance(node, (And, Or)):
        return [t for c in node.children for t in positive_terms(c)]
    return []


def without_stop_words(node, is_stop_word):
    """The tree without bare words the index never holds ("the", "of"), so that
    ``the billionaires`` finds what ``billionaires`` finds. A query of stop words alone is kept
    as it is (and finds nothing)."""

    def prune(current):
        if isinstance(current, Term) and is_stop_word(current.text):
            return None
        if isinstance(current, (And, Or)):
            kept = [c for c in (prune(c) for c in current.children) if c is not None]
            if not kept:
                return None
            return kept[0] if len(kept) == 1 else type(current)(tuple(kept))
        if isinstance(current, Not):
            child = prune(current.child)
            return Not(child) if child is not None else None
        return current

    pruned = prune(node)
    return node if pruned is None else pruned
