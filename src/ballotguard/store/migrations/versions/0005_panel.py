"""panel

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 08:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=64)


def _at(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "panel_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=False),
        sa.Column("notice_votes", sa.Integer(), nullable=False),
        sa.Column("chair_seat", ID, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "panel_seats",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("holder_id", ID, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("holder_id"),
    )
    op.create_table(
        "panel_cases",
        sa.Column("id", ID, nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", ID, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("escalated_by", ID, nullable=False),
        _at("escalated_at"),
        sa.Column("source_reliability", sa.String(length=1), nullable=False),
        sa.Column("confidence", sa.String(length=20), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_panel_cases_subject", "panel_cases", ["subject_kind", "subject_id"])
    op.create_table(
        "panel_case_links",
        sa.Column("a", ID, nullable=False),
        sa.Column("b", ID, nullable=False),
        sa.PrimaryKeyConstraint("a", "b"),
    )
    op.create_table(
        "panel_packets",
        sa.Column("case_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        _at("built_at"),
        sa.Column("built_by", ID, nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "version"),
    )
    op.create_table(
        "panel_checklist",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("answered_by", ID, nullable=False),
        _at("answered_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_panel_checklist_case_id", "panel_checklist", ["case_id"])
    op.create_table(
        "panel_notes",
        sa.Column("id", ID, nullable=False),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("author_id", ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _at("at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_panel_notes_case_id", "panel_notes", ["case_id"])
    op.create_table(
        "panel_recusals",
        sa.Column("case_id", ID, nullable=False),
        sa.Column("seat_id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _at("at"),
        sa.PrimaryKeyConstraint("case_id", "seat_id"),
    )
    op.create_table(
        "panel_votes",
        sa.Column("case_id", ID, nullable=False),
        sa.Column("round", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seat_id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("choice", sa.String(length=20), nullable=False),
        _at("at"),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "round", "seat_id"),
    )
    op.create_table(
        "panel_decisions",
        sa.Column("id", ID, nullable=False),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        _at("recorded_at"),
        sa.Column("recorded_by", ID, nullable=False),
        sa.Column("supersedes", ID, nullable=True),
        sa.Column("threshold_met", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "round", name="uq_panel_decisions_round"),
        sa.UniqueConstraint("supersedes"),
    )
    for table in APPEND_ONLY:
        _append_only(table)


APPEND_ONLY = ("panel_decisions", "panel_votes", "panel_packets")
"""Decisions, votes and packets are never changed or deleted: the database refuses it too."""


def _append_only(table: str) -> None:
    message = f"{table} is append-only: a decision is superseded, never changed"
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        return
    op.execute(
        f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{message}'; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION {table}_append_only()")
    for table in (
        "panel_decisions", "panel_votes", "panel_recusals", "panel_notes", "panel_checklist",
        "panel_packets", "panel_case_links", "panel_cases", "panel_seats", "panel_settings",
    ):
        op.drop_table(table)
