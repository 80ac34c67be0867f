"""Evidence files in the database: photos of signed sheets, consent papers and badge photos move from the app
server's own disk (instance/uploads/gifts, instance/forum) into `stored_files`, content-addressed by SHA-256, so
every app server reads them and every backup takes them.

The photos already on this server's disk are taken in: a gift sheet's photo as it is (it was cleaned and named by
its checksum when sent), a forum photo cleaned the way every upload now is (EXIF and GPS removed, at most 1600 px
and 300 KB). A forum photo missing from this disk, or not an image, is reported and its column emptied. The files
on disk are removed by `sotay init`/`serve` once this revision is committed (webapp.cli.remove_legacy_uploads).
Downgrading writes the files back to disk under the names the older version used.

Revision ID: 0016_files_stored_files
Revises: 0014_client_fingerprints
Create Date: 2026-12-02 08:00:00

"""
import hashlib
import json
from datetime import UTC
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_files_stored_files'
down_revision = '0014_client_fingerprints'
branch_labels = None
depends_on = None

stored_files = sa.table(
    'stored_files', sa.column('key', sa.String), sa.column('content_type', sa.String), sa.column('size', sa.Integer),
    sa.column('data', sa.LargeBinary), sa.column('created_at', sa.DateTime(timezone=True)))
distributions = sa.table('distributions', sa.column('id', sa.Integer), sa.column('photo_file', sa.String),
                         sa.column('photo_sha256', sa.String))
delegates = sa.table('forum_delegates', sa.column('id', sa.Integer), sa.column('photo', sa.String))
consents = sa.table('forum_consents', sa.column('id', sa.Integer), sa.column('paper_photo', sa.String))
conflicts = sa.table('edit_conflicts', sa.column('id', sa.Integer), sa.column('record_type', sa.String),
                     sa.column('data', sa.Text))


def _instance() -> Path:
    from flask import current_app

    return Path(current_app.instance_path)


def _put(conn, data: bytes) -> str:
    from datetime import datetime

    key = hashlib.sha256(data).hexdigest()
    if conn.execute(sa.select(stored_files.c.key).where(stored_files.c.key == key)).first() is None:
        conn.execute(stored_files.insert().values(key=key, content_type='image/jpeg', size=len(data), data=data,
                                                  created_at=datetime.now(UTC)))
    return key


def upgrade():
    op.create_table(
        'stored_files',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_stored_files')),
    )
    with op.batch_alter_table('forum_delegates', schema=None) as batch_op:
        batch_op.alter_column('photo', existing_type=sa.String(length=60), type_=sa.String(length=64),
                              existing_nullable=True)
    with op.batch_alter_table('forum_consents', schema=None) as batch_op:
        batch_op.alter_column('paper_photo', existing_type=sa.String(length=60), type_=sa.String(length=64),
                              existing_nullable=True)

    conn = op.get_bind()
    root = _instance()
    # Gift sheets: every kept photo (also those only an edit conflict names), under its own checksum.
    for path in sorted((root / 'uploads' / 'gifts').glob('*.jpg')):
        _put(conn, path.read_bytes())
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.drop_column('photo_file')

    # Forum photos: cleaned as every upload now is; the column then names the file by its key.
    from webapp.core.images import BadImage, clean

    renamed: dict[str, str | None] = {}

    def adopt(name: str) -> str | None:
        if name not in renamed:
            path = root / 'forum' / Path(name).name
            try:
                renamed[name] = _put(conn, clean(path.read_bytes()))
            except (OSError, BadImage) as exc:
                print(f"forum photo {name} not taken in ({type(exc).__name__}): its record no longer names it")
                renamed[name] = None
        return renamed[name]

    for table, column in ((delegates, delegates.c.photo), (consents, consents.c.paper_photo)):
        for row_id, name in conn.execute(sa.select(table.c.id, column).where(column.isnot(None))).all():
            conn.execute(table.update().where(table.c.id == row_id).values({column.name: adopt(name)}))
    for row_id, data in conn.execute(sa.select(conflicts.c.id, conflicts.c.data)
                                     .where(conflicts.c.record_type == 'Delegate')).all():
        posted = json.loads(data)
        if posted.get('photo'):
            posted['photo'] = adopt(posted['photo'])
            conn.execute(conflicts.update().where(conflicts.c.id == row_id).values(data=json.dumps(posted)))


def downgrade():
    conn = op.get_bind()
    root = _instance()
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_file', sa.String(length=80), nullable=True))

    def write(folder: Path, key: str, name: str) -> None:
        data = conn.execute(sa.select(stored_files.c.data).where(stored_files.c.key == key)).scalar()
        if data is not None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)

    for row_id, key in conn.execute(sa.select(distributions.c.id, distributions.c.photo_sha256)
                                    .where(distributions.c.photo_sha256.isnot(None))).all():
        write(root / 'uploads' / 'gifts', key, f'{key}.jpg')
        conn.execute(distributions.update().where(distributions.c.id == row_id).values(photo_file=f'{key}.jpg'))
    for table, column in ((delegates, delegates.c.photo), (consents, consents.c.paper_photo)):
        for row_id, key in conn.execute(sa.select(table.c.id, column).where(column.isnot(None))).all():
            write(root / 'forum', key, f'{key[:32]}.jpg')
            conn.execute(table.update().where(table.c.id == row_id).values({column.name: f'{key[:32]}.jpg'}))

    with op.batch_alter_table('forum_consents', schema=None) as batch_op:
        batch_op.alter_column('paper_photo', existing_type=sa.String(length=64), type_=sa.String(length=60),
                              existing_nullable=True)
    with op.batch_alter_table('forum_delegates', schema=None) as batch_op:
        batch_op.alter_column('photo', existing_type=sa.String(length=64), type_=sa.String(length=60),
                              existing_nullable=True)
    op.drop_table('stored_files')
