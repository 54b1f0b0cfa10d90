"""Bar charts as geometry for ``_chart.html`` to draw as SVG: no script, no inline style."""

from __future__ import annotations

import math

WIDTH = 640
HEIGHT = 150
TOP = 8
AXIS = 22  # room under the bars for the labels
MAX_TICKS = 12
MAX_SLOT = 56  # a bar and its gap, at most


def month_series(values: list[dict]) -> list[dict]:
    """Month facet values (``2024-06``) with the missing months between them filled in at 0,
    or whole years when they span more than 20 years."""
    months = sorted(v["value"] for v in values if v["value"])
    if not months:
        return []
    counts = {v["value"]: v["count"] for v in values}
    first, last = _month_number(months[0]), _month_number(months[-1])
    if last - first > 240:
        years: dict[str, int] = {}
        for v in values:
            years[v["value"][:4]] = years.get(v["value"][:4], 0) + v["count"]
        return [{"value": str(y), "count": years.get(str(y), 0)}
                for y in range(int(months[0][:4]), int(months[-1][:4]) + 1)]
    return [{"value": f"{n // 12:04d}-{n % 12 + 1:02d}", "count": counts.get(f"{n // 12:04d}-{n % 12 + 1:02d}", 0)}
            for n in range(first, last + 1)]


def year_series(values: list[dict]) -> list[dict]:
    """Year facet values in order, missing years between them at 0."""
    years = sorted(int(v["value"]) for v in values if v["value"] and v["value"].isdigit())
    if not years:
        return []
    counts = {v["value"]: v["count"] for v in values}
    return [{"value": str(y), "count": counts.get(str(y), 0)} for y in range(years[0], years[-1] + 1)]


def bar_chart(points: list[dict], *, title: str, unit: str = "post", width: int = WIDTH,
              height: int = HEIGHT) -> dict | None:
    """Geometry of a bar chart.

    :param points: ``[{"value", "count", "href" (or None), "selected" (optional)}]`` in display order.
    :return: ``{"title", "width", "height", "bars": [{"x", "y", "w", "h", "value", "count", "href",
        "selected", "label", "tip"}], "max", "baseline"}``, or None when there is nothing to draw.
    """
    if not points:
        return None
    top = max(p["count"] for p in points) or 1
    n = len(points)
    slot = min(width / n, MAX_SLOT)
    gap = min(4.0, slot * 0.2)
    plot = height - AXIS - TOP
    labels = _labels([p["value"] for p in points])
    bars = []
    for i, point in enumerate(points):
        h = 0 if not point["count"] else max(2.0, plot * point["count"] / top)
        count = point["count"]
        bars.append({
            "x": round(i * slot + gap / 2, 2),
            "y": round(TOP + plot - h, 2),
            "w": round(max(1.0, slot - gap), 2),
            "h": round(h, 2),
            "hit_y": TOP,
            "hit_h": plot,
            "cx": round(i * slot + slot / 2, 2),
            "value": point["value"],
            "count": count,
            "href": point.get("href"),
            "selected": bool(point.get("selected")),
            "label": labels[i],
            "tip": f"{point['value']}: {count:,} {unit if count == 1 else unit + 's'}",
        })
    return {"title": title, "width": width, "height": height, "bars": bars, "max": top,
            "baseline": TOP + plot, "label_y": height - 6}


def _labels(values: list[str]) -> list[str]:
    """Axis labels: every value when few, else some (for many months, the years at January)."""
    n = len(values)
    months = all(len(v) == 7 for v in values)
    if months and n <= MAX_TICKS:
        return [f"{MONTHS[int(v[5:]) - 1]} \u2019{v[2:4]}" for v in values]
    if months:
        starts = [i for i, v in enumerate(values) if v.endswith("-01") or i == 0]
        if len(starts) > 1 and starts[1] < 4:
            starts.pop(0)  # the first month's year would overlap the next January's
        every = max(1, math.ceil(len(starts) / MAX_TICKS))
        keep = set(starts[::every])
        return [v[:4] if i in keep else "" for i, v in enumerate(values)]
    every = max(1, math.ceil(n / MAX_TICKS))
    return [v if i % every == 0 else "" for i, v in enumerate(values)]


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _month_number(value: str) -> int:
    return int(value[:4]) * 12 + int(value[5:7]) - 1
