"""The risk of each contest per round of a risk-limiting audit, as a picture: geometry computed in
Python, drawn as SVG by the audit page (Jinja, classes styled by ``style.css``; the Content
Security Policy forbids inline styles and scripts) and by the final report (``risk_plot_svg``, a
standalone SVG with presentation attributes, which fpdf2 embeds as vector graphics).

x is the round (0 is the start, where every contest's risk is 1); y is the measured risk on a
log scale, one decade per gridline, down to a decade below the smallest risk shown (never above
a tenth of the risk limit, never below 1e-9; a risk of 0 is drawn on the floor). The dashed line is
the risk limit: a contest whose line ends below it is confirmed. Only numbers and the names the
caller passes come out of here; ``risk_plot_svg`` escapes the names.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 640
PLOT_HEIGHT = 300
LEFT = 64
RIGHT = 40
TOP = 16
AXIS_SPACE = 40
LEGEND_ROW = 20
FLOOR_EXPONENT = -9
PALETTE = ("#1f5fa8", "#c4462b", "#2b8a3e", "#8a4fbf", "#b8860b", "#127a7a", "#a83270",
           "#555555")
"""Colour-blind-distinguishable enough for a handful of contests; the dots' shapes and the
legend's names carry the meaning too."""


@dataclass(frozen=True, slots=True)
class PlotPoint:
    round: int
    risk: float
    x: float
    y: float
    below_limit: bool


@dataclass(frozen=True, slots=True)
class PlotSeries:
    name: str
    index: int
    colour: str
    points: tuple[PlotPoint, ...]
    polyline: str
    legend_y: float
    confirmed: bool


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True, slots=True)
class RiskPlot:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    risk_limit: float
    limit_y: float
    limit_label: str
    series: tuple[PlotSeries, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    rounds: int

    @property
    def description(self) -> str:
        """A sentence for screen readers and the SVG's title."""
        if not self.series:
            return "No contest has been measured yet."
        parts = []
        for s in self.series:
            last = s.points[-1]
            state = "below" if last.below_limit else "above"
            parts.append(f"{s.name}: {format_risk(last.risk)} after round {last.round} "
                         f"({state} the risk limit)")
        return f"Risk per round against the risk limit {self.limit_label}. " + "; ".join(parts)


def format_risk(risk: float) -> str:
    """A risk as a percentage with three significant digits at most: 0.0123 -> "1.23%",
    4.12e-05 -> "0.00412%", 0.05 -> "5%"; 0 and 1 (or more) as "0%" and "100%"."""
    if risk <= 0:
        return "0%"
    if risk >= 1:
        return "100%"
    percent = risk * 100
    digits = min(10, max(0, 2 - math.floor(math.log10(percent))))
    text = f"{percent:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def _floor_exponent(risks: Sequence[float], risk_limit: float) -> int:
    smallest = min([r for r in risks if r > 0] + [risk_limit / 10])
    return max(FLOOR_EXPONENT, math.floor(math.log10(smallest)))


def risk_plot(
    series: Mapping[str, Sequence[float | None]], risk_limit: float, width: int = WIDTH
) -> RiskPlot:
    """The plot of ``series`` (contest name -> risk after round 1, 2, ...; ``None`` where a
    contest was not measured in that round) against ``risk_limit``."""
    risks = [min(1.0, max(0.0, r)) for values in series.values() for r in values if r is not None]
    rounds = max((len(values) for values in series.values()), default=0)
    floor = _floor_exponent(risks, risk_limit)
    left, right = float(LEFT), float(width - RIGHT)
    top, bottom = float(TOP), float(TOP + PLOT_HEIGHT)
    span = max(rounds, 1)

    def x_of(round_number: int) -> float:
        return round(left + (right - left) * round_number / span, 1)

    def y_of(risk: float) -> float:
        exponent = math.log10(risk) if risk > 0 else floor
        exponent = min(0.0, max(float(floor), exponent))
        return round(top + (bottom - top) * exponent / floor, 1) if floor else top

    drawn: list[PlotSeries] = []
    legend_top = bottom + AXIS_SPACE
    for index, (name, values) in enumerate(series.items()):
        points = [PlotPoint(0, 1.0, x_of(0), y_of(1.0), False)]
        for number, risk in enumerate(values, start=1):
            if risk is not None:
                clamped = min(1.0, max(0.0, risk))
                points.append(PlotPoint(number, clamped, x_of(number), y_of(clamped),
                                        clamped <= risk_limit))
        drawn.append(PlotSeries(
            name, index, PALETTE[index % len(PALETTE)], tuple(points),
            " ".join(f"{p.x},{p.y}" for p in points),
            legend_top + LEGEND_ROW * index + LEGEND_ROW / 2, points[-1].below_limit,
        ))
    step = max(1, math.ceil(-floor / 8))
    y_ticks = tuple(Tick(y_of(10.0**e), format_risk(10.0**e)) for e in range(0, floor - 1, -step))
    x_ticks = tuple(Tick(x_of(n), "start" if n == 0 else f"round {n}") for n in range(rounds + 1))
    height = int(legend_top + LEGEND_ROW * max(len(drawn), 1) + 8)
    return RiskPlot(width, height, left, right, top, bottom, risk_limit, y_of(risk_limit),
                    format_risk(risk_limit), tuple(drawn), x_ticks, y_ticks, rounds)


def risk_plot_svg(
    plot: RiskPlot, title: bool = True, text: Callable[[str], str] = str
) -> str:
    """A standalone SVG of ``plot`` with presentation attributes (for the PDF, which passes
    ``title=False`` (fpdf2 ignores it, noisily) and ``text=latin1`` for its core fonts)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{plot.width}" height="{plot.height}" '
        f'viewBox="0 0 {plot.width} {plot.height}" font-family="Helvetica" font-size="12">',
    ]
    if title:
        out.append(f"<title>{escape(plot.description)}</title>")
    for tick in plot.y_ticks:
        out.append(f'<line x1="{plot.left}" y1="{tick.at}" x2="{plot.right}" y2="{tick.at}" '
                   'stroke="#dddddd" stroke-width="1"/>')
        out.append(f'<text x="{plot.left - 6}" y="{tick.at + 4}" text-anchor="end" '
                   f'fill="#444444">{escape(tick.label)}</text>')
    for tick in plot.x_ticks:
        out.append(f'<line x1="{tick.at}" y1="{plot.bottom}" x2="{tick.at}" '
                   f'y2="{plot.bottom + 5}" stroke="#444444" stroke-width="1"/>')
        out.append(f'<text x="{tick.at}" y="{plot.bottom + 20}" text-anchor="middle" '
                   f'fill="#444444">{escape(tick.label)}</text>')
    out.append(f'<line x1="{plot.left}" y1="{plot.bottom}" x2="{plot.right}" y2="{plot.bottom}" '
               'stroke="#444444" stroke-width="1"/>')
    out.append(f'<line x1="{plot.left}" y1="{plot.top}" x2="{plot.left}" y2="{plot.bottom}" '
               'stroke="#444444" stroke-width="1"/>')
    out.append(f'<line x1="{plot.left}" y1="{plot.limit_y}" x2="{plot.right}" '
               f'y2="{plot.limit_y}" stroke="#000000" stroke-width="1.5" '
               'stroke-dasharray="6 4"/>')
    out.append(f'<text x="{plot.left + 6}" y="{plot.limit_y - 5}" '
               f'fill="#000000">risk limit {escape(plot.limit_label)}</text>')
    for s in plot.series:
        out.append(f'<polyline points="{s.polyline}" fill="none" stroke="{s.colour}" '
                   'stroke-width="2"/>')
        for p in s.points:
            out.append(f'<circle cx="{p.x}" cy="{p.y}" r="3.5" fill="{s.colour}"/>')
        out.append(f'<rect x="{plot.left}" y="{s.legend_y - 5}" width="18" height="10" '
                   f'fill="{s.colour}"/>')
        state = "confirmed" if s.confirmed else "not confirmed"
        last = format_risk(s.points[-1].risk)
        out.append(f'<text x="{plot.left + 26}" y="{s.legend_y + 4}" fill="#222222">'
                   f"{escape(text(s.name))} ({last}, {state})</text>")
    out.append("</svg>")
    return "\n".join(out)
