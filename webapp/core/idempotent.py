"""Idempotent create: the same client_id posted again returns the record already saved, never a second one.

The database's unique constraint on client_id decides, not an in-process lock, so two posts at the same moment on
two app servers still give one record. As with Stripe's idempotency keys, each record keeps a fingerprint of the
fields that created it: the same client_id with *other* fields is not a replay but a different entry under a
reused id (a kept page shown again with its old id), refused with 409 so the outbox sends it again under a new id:
one record more, never one quietly lost.
"""

import hashlib
import uuid
from collections.abc import Callable

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms.validators import UUID, InputRequired

from ..extensions import db
from . import audit
from .models import new_client_id


class ClientIdOfAnotherUser(Exception):
    """The client_id belongs to a record someone else made: a replay from another account is refused."""


class ReusedClientId(Exception):
    """The client_id names a record created from other fields: this post is another entry, not a replay."""


# Not part of what a person entered: the CSRF token changes with every send, the client_id is the key itself.
_NOT_FINGERPRINTED = frozenset({"csrf_token", "client_id"})


def fingerprint() -> str | None:
    """A hash of this request's posted fields and files (order of fields and of repeated values ignored), or None
    outside a request. A replay sends the very fields it stored, so it has the same fingerprint."""
    from flask import request

    if not has_request_context() or request.method != "POST":
        return None
    if "posted_fingerprint" not in g:  # asked up to three times a request (replay, create, a lost race)
        g.posted_fingerprint = _fingerprint_of(request)
    return g.posted_fingerprint


def _fingerprint_of(request) -> str:
    digest = hashlib.sha256()
    pairs = sorted((name, value) for name, values in request.form.lists() if name not in _NOT_FINGERPRINTED
                   for value in values)
    for name, value in pairs:
        digest.update(f"{len(name)}:{name}={len(value)}:{value};".encode())
    for name, storage in sorted(request.files.items(multi=True), key=lambda item: item[0]):
        storage.stream.seek(0)  # a view may have read the upload already (core.images.save) before create_once asks
        content = storage.stream.read()
        storage.stream.seek(0)
        digest.update(f"{name}@{storage.filename}#{hashlib.sha256(content).hexdigest()};".encode())
    return digest.hexdigest()


def client_id_field() -> HiddenField:
    from flask_babel import lazy_gettext as _l

    message = _l("This form is out of date. Please check it and save again.")
    return HiddenField(default=new_client_id, validators=[InputRequired(message), UUID(message)])


def _find_existing(model, client_id: str):
    return db.session.scalar(select(model).where(model.client_id == client_id))


def _same_entry(obj, user, posted: str | None):
    """The record a replay names, if it is this user's and was made from these fields."""
    if obj.created_by_id != user.id:
        raise ClientIdOfAnotherUser(obj.client_id)
    # Records saved before fingerprints were kept, and creates outside a request, have none to compare.
    if posted is not None and obj.client_fingerprint is not None and obj.client_fingerprint != posted:
        if has_request_context():
            g.reused_client_id = True
        raise ReusedClientId(obj.client_id)
    return obj


def create_once(model, client_id: str, user, build: Callable[[], object], **audit_detail) -> tuple[object, bool]:
    """Save the record `build()` makes under `client_id`, once; returns (record, created)."""
    client_id = str(uuid.UUID(client_id))
    posted = fingerprint()
    existing = _find_existing(model, client_id)
    if existing is not None:
        return _same_entry(existing, user, posted), False
    obj = build()
    obj.client_id = client_id
    obj.client_fingerprint = posted
    obj.created_by_id = user.id
    db.session.add(obj)
    try:
        audit.record("create", obj, user=user, **audit_detail)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _find_existing(model, client_id)
        if existing is None:
            raise
        return _same_entry(existing, user, posted), False
    return obj, True


def replayed(model, client_id: str | None, user):
    """The record already saved under this posted client_id, if any: a replay answers with it before validation,
    since the form's own checks (a name already taken) would otherwise refuse the very record it made."""
    try:
        client_id = str(uuid.UUID(client_id or ""))
    except ValueError:
        return None
    if has_request_context():
        g.client_record = (model, client_id)  # for saved_meanwhile(), should the form then be refused
    existing = _find_existing(model, client_id)
    return _same_entry(existing, user, fingerprint()) if existing is not None else None


def saved_meanwhile(user):
    """The record this request's client_id names, if a simultaneous post of the same submission (another tab, a
    retry after a lost answer) saved it after `replayed()` looked: such a post is answered "saved", not refused by
    the form's own checks against the very record it made."""
    if not has_request_context() or "client_record" not in g:
        return None
    model, client_id = g.client_record
    existing = _find_existing(model, client_id)
    if existing is None or existing.created_by_id != user.id:
        return None
    posted = fingerprint()
    return existing if existing.client_fingerprint in (None, posted) else None


def replay_of(model, client_id: str | None = None):
    """In a view: the record a replayed post already saved (None when the post is new). A client_id that names
    another user's record, or a record made from other fields, raises (answered 409 by the error handlers below).
    `client_id` defaults to the posted form's."""
    from flask import request
    from flask_login import current_user

    return replayed(model, request.form.get("client_id") if client_id is None else client_id, current_user)


def register_error_handlers(app) -> None:
    """409 for both refusals, wherever they are raised (a view's replay_of, or create_once losing a race)."""
    from flask import render_template
    from flask_babel import gettext as _

    def refused(status_message: str):
        db.session.rollback()
        return render_template("errors/error.html", status=409, title=_("Not saved"), message=status_message), 409

    @app.errorhandler(ClientIdOfAnotherUser)
    def another_users(_error):
        return refused(_("This was saved by another account; yours was not saved."))

    @app.errorhandler(ReusedClientId)
    def reused(_error):
        return refused(_("This form had already been saved with other values, so this entry was not saved. "
                         "Open the form again from the menu and enter it again."))
