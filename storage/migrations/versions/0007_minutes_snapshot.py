"""minutes_snapshot: the minutes frozen when the record closes, corrected explicitly, adopted

Revision ID: 0007
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'minutes_snapshot',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('corrections', sa.JSON(), nullable=False),
        sa.Column('adopted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('adopted_by_id', sa.Integer(), nullable=True),
        sa.Column('adopted_in_meeting_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_minutes_snapshot_meeting_id_meeting'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['adopted_by_id'], ['member.id'],
                                name=op.f('fk_minutes_snapshot_adopted_by_id_member'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['adopted_in_meeting_id'], ['meeting.id'],
                                name=op.f('fk_minutes_snapshot_adopted_in_meeting_id_meeting'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_minutes_snapshot')),
    )


def downgrade() -> None:
    op.drop_table('minutes_snapshot')
