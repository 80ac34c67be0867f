"""Idempotent create: the same client_id posted again returns the record already saved, never a second one.

The database's unique constraint on client_id decides, not an in-process lock, so two posts at the same moment on
two app servers still give one record.
"""

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


def client_id_field() -> HiddenField:
    from flask_babel import lazy_gettext as _l

    message = _l("This form is out of date. Please check it and save again.")
    return HiddenField(default=new_client_id, validators=[InputRequired(message), UUID(message)])


def _find_existing(model, client_id: str):
    return db.session.scalar(select(model).where(model.client_id == client_id))


def _owned(obj, user):
    if obj.created_by_id != user.id:
        raise ClientIdOfAnotherUser(obj.client_id)
    return obj


def create_once(model, client_id: str, user, build: Callable[[], object], **audit_detail) -> tuple[object, bool]:
    """Save the record `build()` makes under `client_id`, once; returns (record, created)."""
    client_id = str(uuid.UUID(client_id))
    existing = _find_existing(model, client_id)
    if existing is not None:
        return _owned(existing, user), False
    obj = build()
    obj.client_id = client_id
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
        return _owned(existing, user), False
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
    return _owned(existing, user) if existing is not None else None


def saved_meanwhile(user):
    """The record this request's client_id names, if a simultaneous post of the same submission (another tab, a
    retry after a lost answer) saved it after `replayed()` looked: such a post is answered "saved", not refused by
    the form's own checks against the very record it made."""
    if not has_request_context() or "client_record" not in g:
        return None
    model, client_id = g.client_record
    existing = _find_existing(model, client_id)
    return existing if existing is not None and existing.created_by_id == user.id else None


def replay_of(model, client_id: str | None = None):
    """In a view: the record a replayed post already saved (None when the post is new), answering 409 when the
    client_id names another user's record. `client_id` defaults to the posted form's."""
    from flask import abort, request
    from flask_login import current_user

    try:
        return replayed(model, request.form.get("client_id") if client_id is None else client_id, current_user)
    except ClientIdOfAnotherUser:
        abort(409)
