"""Geometry for the campaign pictures, computed in Python and drawn by Jinja as inline SVG.

The templates escape every piece of text (Jinja autoescape) and style the SVG through classes in
``style.css``: the Content Security Policy forbids inline styles and scripts. Only numbers and
ids come out of here; the pictures are drawn from the reports the reader may see, nothing else.

- The timeline: x is the time a report was observed, one lane per election phase in the
  vocabulary's order, a dot per report.
- The link graph: reports on a circle (a layout with no forces, stable and readable for the sizes
  a campaign reaches), an edge per link; edges an analyst confirmed or merged are drawn solid and
  thick, computed ones thin, rejected ones dashed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ballotguard.campaigns import Decision, DecisionKind, Link
from ballotguard.sharing import Report
from ballotguard.vocabulary import Phase, label

TIMELINE_WIDTH = 960
LANE_HEIGHT = 26
LANE_LABEL_WIDTH = 250
MARGIN = 16
AXIS_HEIGHT = 34
GRAPH_SIZE = 560
NODE_RADIUS = 14


@dataclass(frozen=True, slots=True)
class Lane:
    phase: Phase
    label: str
    y: float
    top: float
    used: bool


@dataclass(frozen=True, slots=True)
class Dot:
    report_id: str
    title: str
    x: float
    y: float
    when: str
    phase_label: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    left: float
    right: float
    lanes: list[Lane]
    dots: list[Dot]
    ticks: list[Tick]
    axis_y: float


def timeline_picture(reports: Sequence[Report]) -> Timeline:
    """A lane per phase, in the vocabulary's order, and a dot per report at its time."""
    phases = list(Phase)
    used = {r.content.phase for r in reports}
    lanes = [
        Lane(p, label(p), MARGIN + i * LANE_HEIGHT + LANE_HEIGHT / 2, MARGIN + i * LANE_HEIGHT,
             p in used)
        for i, p in enumerate(phases)
    ]
    lane_y = {lane.phase: lane.y for lane in lanes}
    left, right = MARGIN + LANE_LABEL_WIDTH, TIMELINE_WIDTH - MARGIN * 4
    start, end = _span([r.content.observed_at for r in reports])
    total = (end - start).total_seconds()

    def x_of(moment: datetime) -> float:
        return round(left + (right - left) * (moment - start).total_seconds() / total, 1)

    dots = [
        Dot(r.id, r.content.title, x_of(r.content.observed_at), lane_y[r.content.phase],
            r.content.observed_at.strftime("%Y-%m-%d %H:%M UTC"), label(r.content.phase))
        for r in reports
    ]
    axis_y = MARGIN + len(phases) * LANE_HEIGHT
    ticks = [
        Tick(x_of(start + (end - start) * i / 4), (start + (end - start) * i / 4).strftime("%Y-%m-%d"))
        for i in range(5)
    ]
    return Timeline(TIMELINE_WIDTH, int(axis_y + AXIS_HEIGHT), left, right, lanes, dots, ticks,
                    axis_y)


def _span(moments: list[datetime]) -> tuple[datetime, datetime]:
    """First and last moment, widened so that a single day still has a width."""
    start, end = min(moments), max(moments)
    if end - start < timedelta(days=1):
        middle = start + (end - start) / 2
        start, end = middle - timedelta(hours=12), middle + timedelta(hours=12)
    pad = (end - start) / 20
    return start - pad, end + pad


@dataclass(frozen=True, slots=True)
class Node:
    report_id: str
    number: int
    title: str
    x: float
    y: float
    label_x: float
    label_y: float


@dataclass(frozen=True, slots=True)
class Edge:
    a: str
    b: str
    x1: float
    y1: float
    x2: float
    y2: float
    mx: float
    my: float
    kind: str
    label: str
    tooltip: str


@dataclass(frozen=True, slots=True)
class Graph:
    size: int
    nodes: list[Node]
    edges: list[Edge]


def graph_picture(
    reports: Sequence[Report], links: Iterable[Link], decisions: Iterable[Decision]
) -> Graph:
    """Reports on a circle, numbered in the page's order; an edge per link or analyst decision."""
    centre = GRAPH_SIZE / 2
    radius = centre - NODE_RADIUS * 3
    count = max(len(reports), 1)
    nodes: list[Node] = []
    for index, report in enumerate(reports):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        out = radius + NODE_RADIUS * 2
        nodes.append(Node(
            report.id, index + 1, report.content.title, round(x, 1), round(y, 1),
            round(centre + out * math.cos(angle), 1), round(centre + out * math.sin(angle), 1),
        ))
    where = {n.report_id: n for n in nodes}
    decided = {(d.a, d.b): d for d in decisions if d.a in where and d.b in where}
    edges: list[Edge] = []
    seen: set[tuple[str, str]] = set()
    for link in links:
        pair = (min(link.a, link.b), max(link.a, link.b))
        if pair in seen or link.a not in where or link.b not in where:
            continue
        seen.add(pair)
        decision = decided.get(pair)
        kinds = sorted({r.kind for r in link.reasons})
        why = "; ".join(f"{r.kind}: {r.detail}" for r in link.reasons) or "linked"
        edges.append(_edge(where[pair[0]], where[pair[1]], _edge_kind(decision),
                           ", ".join(kinds), _tooltip(where, pair, why, decision)))
    for pair, decision in sorted(decided.items()):
        if pair in seen or decision.kind is DecisionKind.REJECT:
            continue
        edges.append(_edge(where[pair[0]], where[pair[1]], _edge_kind(decision),
                           decision.kind.value, _tooltip(where, pair, "", decision)))
    return Graph(GRAPH_SIZE, nodes, edges)


def _edge_kind(decision: Decision | None) -> str:
    if decision is None:
        return "computed"
    return "rejected" if decision.kind is DecisionKind.REJECT else "confirmed"


def _tooltip(
    where: dict[str, Node], pair: tuple[str, str], why: str, decision: Decision | None
) -> str:
    first, second = where[pair[0]], where[pair[1]]
    text = f"#{first.number} - #{second.number}"
    if why:
        text += f": {why}"
    if decision is not None:
        text += f" (analyst: {decision.kind.value} — {decision.reason})"
    return text


def _edge(first: Node, second: Node, kind: str, text: str, tooltip: str) -> Edge:
    return Edge(
        first.report_id, second.report_id, first.x, first.y, second.x, second.y,
        round((first.x + second.x) / 2, 1), round((first.y + second.y) / 2, 1),
        kind, text, tooltip,
    )
