"""group topic: the forum topic of the committee's group where announcements and minutes go

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('committee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_thread_id', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('committee', schema=None) as batch_op:
        batch_op.drop_column('group_thread_id')
