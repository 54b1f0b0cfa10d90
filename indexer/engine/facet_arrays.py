"""Facet counts in NumPy: per-document value ordinals aligned with the engine's document numbers.

Counting a facet over N matches is one ``bincount`` instead of a Python loop per document,
which is what makes faceted search cost about the same as a plain one. Built once per index
version by the engine and cached beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.links import normalize_domain

NO_DATE = np.iinfo(np.int64).min
DATE_ORDERED = ("year", "month")
HOST_LIKE = ("domain", "site")


@dataclass
class Column:
    """One facet's values and, per document, which value it holds (-1 for none).

    A multi-valued column (link domains) keeps (document, value) pairs instead.
    """

    values: list[str]
    ords: np.ndarray | None = None
    pair_docs: np.ndarray | None = None
    pair_ords: np.ndarray | None = None

    @property
    def multi(self) -> bool:
        return self.ords is None

    def value_mask(self, wanted: list[str], field: str) -> np.ndarray:
        """Which of this column's values a selection of ``wanted`` values picks."""
        keys = [w.strip() for w in wanted if w and w.strip()]
        if field == "author":
            folded = {k.casefold() for k in keys}
            return np.fromiter((v.casefold() in folded for v in self.values), bool, len(self.values))
        if field in HOST_LIKE:
            hosts = {normalize_domain(k) or k.lower() for k in keys}
            return np.fromiter(
                (v in hosts or any(v.endswith("." + h) for h in hosts) for v in self.values), bool, len(self.values)
            )
        wanted_set = set(keys) | {k.lower() for k in keys}
        return np.fromiter((v in wanted_set for v in self.values), bool, len(self.values))


class FacetArrays:
    def __init__(self, size: int, columns: dict[str, Column], dates: np.ndarray, live: np.ndarray):
        self.size = size
        self.columns = columns
        self.dates = dates
        self.live = live

    # -- selections -------------------------------------------------------------------------

    def selection_mask(self, field: str, wanted: list[str]) -> np.ndarray:
        """A boolean mask over all documents: those holding any of the ``wanted`` values."""
        column = self.columns[field]
        picked = column.value_mask(wanted, field)
        if column.multi:
            mask = np.zeros(self.size, bool)
            hits = picked[column.pair_ords]
            mask[column.pair_docs[hits]] = True
            return mask & self.live
        ords = column.ords
        return (ords >= 0) & np.append(picked, False)[ords] & self.live

    # -- counting ---------------------------------------------------------------------------

    def counts(self, field: str, docs: np.ndarray) -> np.ndarray:
        """How many of ``docs`` (document numbers) hold each value of the facet."""
        column = self.columns[field]
        if column.multi:
            mask = np.zeros(self.size, bool)
            mask[docs] = True
            return np.bincount(column.pair_ords[mask[column.pair_docs]], minlength=len(column.values))
        ords = column.ords[docs]
        return np.bincount(ords[ords >= 0], minlength=len(column.values))

    def top(self, field: str, docs: np.ndarray, size: int, prefix: str | None = None,
            include: list[str] | None = None) -> dict:
        """The facet's most frequent values among ``docs`` (years and months in date order).

        With ``prefix``, only values whose name or one of its words starts so ("kt" → "KT Chong").
        Values named in ``include`` (a user's selections) are always listed, after the top ones.
        """
        column = self.columns[field]
        counts = self.counts(field, docs)
        if prefix:
            counts = counts * self.prefix_mask(field, prefix)
        nonzero = np.flatnonzero(counts)
        truncated = len(nonzero) > size
        values = column.values
        if size <= 0:
            chosen = []
        elif field in DATE_ORDERED:
            chosen = sorted(nonzero, key=lambda i: values[i])[-size:]
        else:
            if truncated:
                # argpartition finds the top candidates; ties at the edge are settled by value below
                cut = np.partition(counts[nonzero], len(nonzero) - size)[len(nonzero) - size]
                nonzero = nonzero[counts[nonzero] >= cut]
            chosen = sorted(nonzero, key=lambda i: (-counts[i], values[i].casefold()))[:size]
        if include:
            listed = set(int(i) for i in chosen)
            extra = [int(i) for i in np.flatnonzero(column.value_mask(include, field)) if int(i) not in listed]
            chosen = list(chosen) + sorted(extra, key=lambda i: (-counts[i], values[i].casefold()))
        return {"values": [(values[i], int(counts[i])) for i in chosen], "truncated": bool(truncated)}

    def prefix_mask(self, field: str, prefix: str) -> np.ndarray:
        wanted = prefix.casefold().strip()
        values = self.columns[field].values
        return np.fromiter(
            (v.casefold().startswith(wanted) or any(w.startswith(wanted) for w in v.casefold().split())
             for v in values), bool, len(values))

    def thread_comment_counts(self) -> np.ndarray:
        """Per thread value, how many comments it holds."""
        thread = self.columns["thread"]
        comments = self.selection_mask("kind", ["comment"])
        ords = thread.ords[comments & (thread.ords >= 0)]
        return np.bincount(ords, minlength=len(thread.values))

    def comment_count_mask(self, op: str, number: int) -> np.ndarray:
        """Documents of threads whose comment count compares so with ``number``."""
        counts = self.thread_comment_counts()
        passing = {">": counts > number, ">=": counts >= number, "<": counts < number,
                   "<=": counts <= number, "=": counts == number}[op]
        ords = self.columns["thread"].ords
        return (ords >= 0) & np.append(passing, False)[ords]

    def distinct(self, field: str, docs: np.ndarray | None = None) -> int:
        docs = np.flatnonzero(self.live) if docs is None else docs
        return int(np.count_nonzero(self.counts(field, docs)))

    # -- persistence ------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        arrays = {"dates": self.dates, "live": self.live}
        values = {}
        for name, column in self.columns.items():
            values[name] = column.values
            if column.multi:
                arrays[f"{name}.pair_docs"] = column.pair_docs
                arrays[f"{name}.pair_ords"] = column.pair_ords
            else:
                arrays[f"{name}.ords"] = column.ords
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as handle:
            np.savez(handle, **arrays)
        tmp.with_suffix(".json.tmp").write_text(json.dumps({"size": self.size, "values": values}))
        tmp.with_suffix(".json.tmp").replace(path.with_suffix(".json"))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> FacetArrays:
        meta = json.loads(path.with_suffix(".json").read_text())
        with np.load(path, allow_pickle=False) as data:
            columns = {}
            for name, values in meta["values"].items():
                if f"{name}.ords" in data:
                    columns[name] = Column(values, ords=data[f"{name}.ords"])
                else:
                    columns[name] = Column(values, pair_docs=data[f"{name}.pair_docs"], pair_ords=data[f"{name}.pair_ords"])
            return cls(meta["size"], columns, data["dates"], data["live"])
