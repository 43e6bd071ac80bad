"""dialogue and saved_query: conversation state shared by every instance, kept across restarts

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dialogue',
    sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chat_id', 'user_id', name=op.f('pk_dialogue'))
    )
    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dialogue_expires_at'), ['expires_at'], unique=False)

    op.create_table('saved_query',
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('asker_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asker_id'], ['member.id'], name=op.f('fk_saved_query_asker_id_member'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_saved_query'))
    )
    with op.batch_alter_table('saved_query', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_query_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('saved_query', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_query_expires_at'))
    op.drop_table('saved_query')
    with op.batch_alter_table('dialogue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dialogue_expires_at'))
    op.drop_table('dialogue')
