"""roster life: member-owned zone, departures, forgotten members remembered, invitations revoked

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('own_timezone', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('left_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('forgotten_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_member_forgotten_key'), ['forgotten_key'], unique=False)
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('relink', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_column('relink')
        batch_op.drop_column('revoked_at')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_forgotten_key'))
        batch_op.drop_column('forgotten_key')
        batch_op.drop_column('left_at')
        batch_op.drop_column('own_timezone')
