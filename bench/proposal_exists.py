"""Experiment: query shapes for the report list, measured side by side on the same databases.

Not a benchmark of the product as it is, but the measurements behind bench/RESULTS.md's
proposals for ``ballotguard.store``. Three modes, each checked to return the very same page:

``as is``
    whatever ``store.repositories`` does today (since f396d5d: a correlated scalar probe,
    ``(SELECT 1 ... LIMIT 1) IS NOT NULL``, for recipients and vectors).
``exists``
    the store's functions swapped at run time for a correlated ``EXISTS`` (the shape tried first
    when the original ``id IN (SELECT ...)`` was found to grow with the database).
``vector index``
    the store's own scope, but the vector filter walks a new index newest first:
    ``created_at`` copied into ``report_vectors``, indexed on ``(vector, created_at,
    report_id)``, as ``ix_reports_phase_newest`` already does for phases. A membership probe must
    walk ``1 / (share of the vector x share the reader may see)`` recent reports to fill a page;
    this walks only the reports that carry the vector.

The column and index are added to this script's own throwaway databases; nothing in the product
is edited. The calls alternate between modes and sizes.

    .venv/bin/python bench/proposal_exists.py --sizes 10000,1000000 --db both --explain
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, column, exists, false, or_, select, table, text

sys.path.insert(0, str(Path(__file__).parent))
from _common import (
    World,
    databases,
    grow,
    median,
    open_world,
    parse_options,
    print_table,
    timed,
    write_json,
)
from report_list import PAGE, VARIANTS, query_plan

import ballotguard.store.repositories as repositories
from ballotguard.sharing import ReadScope, Report, read_scope
from ballotguard.sharing.search import ReportFilter
from ballotguard.store.models import (
    RecipientOrgRow,
    RecipientPersonRow,
    ReportRow,
    ReportVectorRow,
    UtcDateTime,
)
from ballotguard.vocabulary import Tlp

CURRENT_SCOPE = repositories.scope_condition
CURRENT_FILTERED = repositories._filtered
MODES = ("as is", "exists", "vector index")
VECTORS_NEWEST = table("report_vectors", column("report_id"), column("vector"),
                       column("created_at", UtcDateTime()))


def scope_with_exists(scope: ReadScope) -> ColumnElement[bool]:
    """``ReadScope.admits`` as SQL, with correlated EXISTS for the named recipients."""
    clauses: list[ColumnElement[bool]] = [ReportRow.tlp.in_([t.value for t in scope.open_levels])]
    if scope.org_id is not None:
        named_org = exists().where(RecipientOrgRow.report_id == ReportRow.id,
                                   RecipientOrgRow.org_id == scope.org_id)
        clauses.append(and_(ReportRow.tlp.in_([Tlp.AMBER.value, Tlp.AMBER_STRICT.value]),
                            or_(ReportRow.org_id == scope.org_id, named_org)))
    if scope.person_id is not None:
        named_person = exists().where(RecipientPersonRow.report_id == ReportRow.id,
                                      RecipientPersonRow.person_id == scope.person_id)
        clauses.append(and_(ReportRow.tlp == Tlp.RED.value,
                            or_(ReportRow.author_id == scope.person_id, named_person)))
    return or_(false(), *clauses)


def filtered_with_exists(query: Select[Any], scope: ReadScope, where: ReportFilter) -> Select[Any]:
    query = CURRENT_FILTERED(query, scope, replace(where, vector=None))
    if where.vector is not None:
        query = query.where(exists().where(ReportVectorRow.report_id == ReportRow.id,
                                           ReportVectorRow.vector == where.vector.value))
    return query


@contextmanager
def proposed() -> Iterator[None]:
    repositories.scope_condition = scope_with_exists
    repositories._filtered = filtered_with_exists
    try:
        yield
    finally:
        repositories.scope_condition = CURRENT_SCOPE
        repositories._filtered = CURRENT_FILTERED


def add_vector_index(world: World) -> None:
    """The proposed schema change, applied to this benchmark's own database only."""
    statements = [
        "ALTER TABLE report_vectors ADD COLUMN created_at "
        + ("DATETIME" if world.target.kind == "sqlite" else "TIMESTAMP WITH TIME ZONE"),
        "UPDATE report_vectors SET created_at = (SELECT created_at FROM reports "
        "WHERE reports.id = report_vectors.report_id)",
        "CREATE INDEX ix_report_vectors_newest ON report_vectors (vector, created_at, report_id)",
    ]
    with world.app.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    if world.target.kind == "postgresql":  # what autovacuum does after the backfill's UPDATE
        with world.app.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE report_vectors"))


def vector_index_query(world: World, where: ReportFilter) -> Select[Any]:
    """The page query with the store's own scope and filters, driven by the vector index."""
    assert where.vector is not None
    scope = read_scope(world.reader_actor.reader)
    query = CURRENT_FILTERED(select(ReportRow.body), scope, replace(where, vector=None))
    return (query.join(VECTORS_NEWEST, VECTORS_NEWEST.c.report_id == ReportRow.id)
            .where(VECTORS_NEWEST.c.vector == where.vector.value)
            .order_by(VECTORS_NEWEST.c.created_at.desc(), VECTORS_NEWEST.c.report_id.desc())
            .limit(PAGE + 1))


def store_page(world: World, where: ReportFilter, mode: str) -> list[str]:
    scope = read_scope(world.reader_actor.reader)
    with world.app.uow() as uow:
        if mode == "vector index" and where.vector is not None:
            rows = uow.session.execute(  # type: ignore[attr-defined]
                vector_index_query(world, where)).all()
            return [Report.model_validate_json(r.body).id for r in rows[:PAGE]]
        if mode == "exists":
            with proposed():
                page = uow.reports.page(scope, where, PAGE, None)
        else:
            page = uow.reports.page(scope, where, PAGE, None)
        return [r.id for r in page.reports]


def vector_plan(world: World, where: ReportFilter) -> str:
    """EXPLAIN of the vector-index mode's statement (vector filters only)."""
    sqlite = world.target.kind == "sqlite"
    compiled = vector_index_query(world, where).compile(
        world.app.engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
    with world.app.engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + str(compiled)).all()
    if sqlite:
        return "\n".join(f"{row[0]:>3} {row[1]:>3} {row[3]}" for row in rows)
    return "\n".join(str(row[0]) for row in rows)


def main() -> None:
    options = parse_options(__doc__.splitlines()[0])
    results: list[dict[str, object]] = []
    for kind in options.databases:
        with databases(kind, len(options.sizes)) as targets:
            worlds: dict[int, World] = {}
            try:
                for size, target in zip(options.sizes, targets, strict=True):
                    worlds[size] = open_world(target, options.seed)
                    grow(worlds[size], size)
                for world in worlds.values():
                    add_vector_index(world)
                samples: dict[tuple[int, str, str], list[float]] = defaultdict(list)
                for size, world in worlds.items():
                    for name, where in VARIANTS:
                        pages = {mode: store_page(world, where, mode) for mode in MODES}
                        if len({tuple(p) for p in pages.values()}) != 1:
                            raise SystemExit(f"{kind} {size} {name}: the pages differ")
                        for mode in MODES:
                            timed(partial(store_page, world, where, mode), 0, warmup=3)
                for _ in range(options.repeat):
                    for size, world in worlds.items():
                        for name, where in VARIANTS:
                            for mode in MODES:
                                samples[(size, name, mode)] += timed(
                                    partial(store_page, world, where, mode), 1, warmup=0)
                for size, world in worlds.items():
                    for name, where in VARIANTS:
                        plan = ""
                        if options.explain:
                            plan = query_plan(world, where)
                            if where.vector is not None:
                                plan += "\n-- vector index mode:\n" + vector_plan(world, where)
                            print(f"\n--- as is, {kind}, {size:,}, {name}:\n{plan}\n",
                                  file=sys.stderr)
                        results.append({"db": kind, "size": size, "variant": name, "plan": plan}
                                       | {f"{mode}_ms": median(samples[(size, name, mode)])
                                          for mode in MODES})
            finally:
                for world in worlds.values():
                    world.app.close()
    rows = [[str(r["db"]), str(r["variant"]), f"{r['size']:,}",
             *(f"{r[f'{mode}_ms']:.2f}" for mode in MODES)] for r in results]
    print_table("Store page (50 reports), median ms, by query shape",
                ["db", "filter", "reports", *(f"{mode} ms" for mode in MODES)], rows)
    write_json(options.json_path, {"benchmark": "proposal_exists", "results": results})


if __name__ == "__main__":
    main()
