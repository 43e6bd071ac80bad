"""notify: how much the bot sends each member (everything, important only, a daily digest)

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify', sa.String(length=12), nullable=False, server_default='all'))
        batch_op.add_column(sa.Column('digest_hour', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('digest_hour')
        batch_op.drop_column('notify')
