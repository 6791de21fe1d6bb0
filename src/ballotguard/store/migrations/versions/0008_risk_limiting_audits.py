"""risk-limiting audits

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)
ID = sa.String(length=64)


def _file_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=320), nullable=False),
        sa.Column("uploaded_at", WHEN, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "audits",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("risk_limit", sa.Float(), nullable=False),
        sa.Column("seed", sa.String(length=200), nullable=False),
        sa.Column("stopping_probability", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("next_size", sa.Integer(), nullable=True),
        sa.Column("report_id", ID, nullable=True),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_contests",
        sa.Column("audit_id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tally", sa.Text(), nullable=False),
        sa.Column("ballots", sa.Integer(), nullable=False),
        sa.Column("winners", sa.Text(), nullable=False),
        sa.Column("jurisdictions", sa.Text(), nullable=False),
        sa.Column("supermajority", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", "name"),
    )
    op.create_table(
        "audit_jurisdictions",
        sa.Column("audit_id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ballots", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", "name"),
    )
    op.create_table(
        "audit_assignments",
        sa.Column("audit_id", ID, nullable=False),
        sa.Column("jurisdiction", sa.String(length=200), nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.PrimaryKeyConstraint("audit_id", "jurisdiction", "person_id"),
    )
    op.create_table(
        "audit_manifests",
        sa.Column("audit_id", ID, nullable=False),
        sa.Column("jurisdiction", sa.String(length=200), nullable=False),
        *_file_columns(),
        sa.PrimaryKeyConstraint("audit_id", "jurisdiction"),
    )
    op.create_table(
        "audit_cvrs",
        sa.Column("audit_id", ID, nullable=False),
        sa.Column("jurisdiction", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        *_file_columns(),
        sa.PrimaryKeyConstraint("audit_id", "jurisdiction"),
    )
    op.create_table(
        "audit_rounds",
        sa.Column("audit_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("drawn_at", WHEN, nullable=False),
        sa.Column("drawn_by", sa.String(length=320), nullable=False),
        sa.Column("measured_at", WHEN, nullable=True),
        sa.Column("risks", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("next_size", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("audit_id", "number"),
    )
    op.create_table(
        "audit_sampled_ballots",
        sa.Column("audit_id", ID, nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=700), nullable=False),
        sa.Column("jurisdiction", sa.String(length=200), nullable=False),
        sa.Column("container", sa.String(length=200), nullable=False),
        sa.Column("tabulator", sa.String(length=200), nullable=False),
        sa.Column("batch", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ticket", sa.String(length=100), nullable=False),
        sa.Column("phantom", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", "seq"),
    )
    op.create_index("ix_audit_sampled_ballots_round", "audit_sampled_ballots",
                    ["audit_id", "round"])
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("audit_id", ID, nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=700), nullable=False),
        sa.Column("person_id", sa.String(length=320), nullable=False),
        sa.Column("reading", sa.Text(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_entries_unit", "audit_entries", ["audit_id", "unit_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_entries_unit", table_name="audit_entries")
    op.drop_table("audit_entries")
    op.drop_index("ix_audit_sampled_ballots_round", table_name="audit_sampled_ballots")
    for table in ("audit_sampled_ballots", "audit_rounds", "audit_cvrs", "audit_manifests",
                  "audit_assignments", "audit_jurisdictions", "audit_contests", "audits"):
        op.drop_table(table)
