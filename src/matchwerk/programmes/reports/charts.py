"""Charts of the reports, drawn on the server with matplotlib as SVG: the same picture in
the page and in the PDF. Each chart is drawn from a :class:`figures.Table`, which is also
its text alternative (BITV): the page shows the table beside the chart.

Drawing costs tens of milliseconds per chart, so an SVG is kept in the cache under a hash
of its data: the dashboard draws again only what changed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import threading
from typing import TYPE_CHECKING

from django.core.cache import cache

from matchwerk.programmes.reports.figures import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLOURS = ["#1f5f8b", "#e07b39", "#3a8f5c", "#8b3a62", "#6b6b6b", "#b59a1f"]
CACHE_SECONDS = 24 * 3600
# Part of every cache key: raise it when the drawing changes, so no chart of the old look
# is served from the cache.
DRAWING_VERSION = 3
# matplotlib's global state (rcParams, font cache) is shared; one drawing at a time.
_LOCK = threading.Lock()
_RC = {"svg.fonttype": "none", "svg.hashsalt": "matchwerk", "font.family": "DejaVu Sans", "font.size": 9}


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # without the XML declaration and DOCTYPE (inline in HTML)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)  # RDF the PDF never shows
    # Scale with the page: the drawn size becomes the viewBox only.
    return re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1 aria-hidden="true" focusable="false"',
                  svg, count=1)


def _draw_bars(table: Table, *, horizontal: bool, value_column: int = 1) -> str:
    labels = [str(row[0]) for row in table.rows]
    values = [float(row[value_column]) for row in table.rows]
    height = max(2.2, 0.32 * len(labels) + 0.8) if horizontal else 3.0
    from matplotlib.figure import Figure  # imported when a chart is drawn, not at start-up

    figure = Figure(figsize=(6.4, height))
    figure.patch.set_visible(False)  # no background rectangles: the page's white shows
    axes = figure.add_subplot()
    axes.patch.set_visible(False)
    if horizontal:
        positions = list(range(len(labels)))[::-1]
        bars = axes.barh(positions, values, color=COLOURS[0])
        axes.set_yticks(positions, labels)
    else:
        bars = axes.bar(range(len(labels)), values, color=COLOURS[: len(labels)] or COLOURS[0])
        axes.set_xticks(range(len(labels)), labels)
    axes.bar_label(bars, labels=[_number(v) for v in values], padding=2, fontsize=8)
    # Every bar carries its value, so the value axis (ticks, tick labels, spine) would only
    # repeat it: left out, as are the category axis's tick marks. Fewer SVG nodes make the
    # chart cheaper to draw here and to render in the PDF (WeasyPrint draws SVG in Python).
    value_axis = axes.xaxis if horizontal else axes.yaxis
    value_axis.set_visible(False)
    axes.tick_params(length=0)
    for side in ("top", "right", "bottom" if horizontal else "left"):
        axes.spines[side].set_visible(False)
    axes.set_title(table.title, loc="left", fontsize=10)
    if horizontal:
        axes.margins(x=0.15)
    return _svg(figure)


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:,.2f}".replace(
        ",", "X").replace(".", ",").replace("X", ".")


def _chart_key(table: Table, horizontal: bool, value_column: int) -> str:
    payload = json.dumps([DRAWING_VERSION, table.title, [[str(c) for c in row] for row in table.rows], horizontal, value_column])
    return "programme-chart:" + hashlib.sha256(payload.encode()).hexdigest()


def _draw(table: Table, horizontal: bool, value_column: int) -> str:
    import matplotlib  # only the charts need it; a Figure draws without pyplot or a GUI backend

    with _LOCK, matplotlib.rc_context(_RC):
        return _draw_bars(table, horizontal=horizontal, value_column=value_column) if table.rows else ""


def charts_svg(specs: dict[str, tuple[Table, bool, int]]) -> dict[str, str]:
    """The SVGs of bar charts by name, from ``(table, horizontal, value column)``: read from
    the cache in one round trip, only the charts whose data changed are drawn (and stored)."""
    keys = {name: _chart_key(*spec) for name, spec in specs.items()}
    cached = cache.get_many(list(keys.values()))
    drawn = {keys[name]: _draw(*spec) for name, spec in specs.items() if keys[name] not in cached}
    if drawn:
        cache.set_many(drawn, CACHE_SECONDS)
    return {name: cached.get(key, drawn.get(key, "")) for name, key in keys.items()}


def chart_data_uri(svg: str) -> str:
    """A chart as a ``data:`` image: the same picture in the page and in the PDF. As an
    ``<img>`` its own styles stay inside the picture, so the page's Content-Security-Policy
    (``style-src 'self'``, ``img-src 'self' data:``) holds."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode() if svg else ""


def report_chart_images(figures) -> dict[str, str]:
    """The charts of a programme's report as ``data:`` images, by table key."""
    return {key: chart_data_uri(svg) for key, svg in report_charts(figures).items()}


def report_charts(figures) -> dict[str, str]:
    """The charts of a programme's report, by table key."""
    return charts_svg({
        "funnel": (figures.funnel, True, 1),
        "regions": (figures.by_region, True, 1),
        "kind_pairs": (figures.by_kind_pair, True, 1),
        "budget": (figures.budget, False, 1),
        "events": (figures.events, True, 2),
        "meetings": (figures.meetings, True, 1),
        "satisfaction": (figures.satisfaction, False, 1),
        "meeting_satisfaction": (figures.meeting_satisfaction, False, 1),
        "followups": (figures.followups, True, 3),  # answers "still working together"
    })
