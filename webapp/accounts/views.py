"""Sign in and out, one's own account, and the users an admin or officer manages."""

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..core import audit, idempotent
from ..core.pagination import paginate
from ..core.scope import ADMIN, OFFICER, get_or_404, roles_required, scoped, subtree_ids
from ..core.security import local_path
from ..core.text import clean, fold, like_pattern
from ..extensions import db
from ..geo.models import Unit
from ..htmx import redirect_to, render
from . import bp
from .forms import LANGUAGE_LABELS, ROLE_LABELS, LanguageForm, LoginForm, PasswordForm, UserForm
from .models import User, check_no_password, new_session_token
from .services import (
    address_waits_until,
    find_login,
    locked_until,
    login_key,
    manageable_roles,
    may_manage,
    normalise_phone,
    register_failure,
    register_success,
    set_active,
    unknown_locked_until,
)


def _safe_next(target: str | None) -> str:
    return local_path(target) or url_for("core.home")


def _locked_message(until) -> str:
    return _("Too many wrong passwords. Try again after %(time)s.", time=format_time(until, "HH:mm"))


KNOWN_DEVICE_COOKIE = "sotay_known"


def _known_device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="sotay-known-device")


def _known_accounts() -> list[int]:
    """The accounts that have signed in on this browser before (a signed cookie set at sign-in)."""
    try:
        ids = _known_device_serializer().loads(request.cookies.get(KNOWN_DEVICE_COOKIE, ""))
    except BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def _remember_device(response, user: User):
    ids = [user.id] + [i for i in _known_accounts() if i != user.id]
    response.set_cookie(KNOWN_DEVICE_COOKIE, _known_device_serializer().dumps(ids[:5]), max_age=365 * 24 * 3600,
                        httponly=True, samesite="Lax", secure=current_app.config["REMEMBER_COOKIE_SECURE"])
    return response


def _check_login(user: User | None, password: str, identifier: str) -> str | None:
    """None when the user may sign in, else the message to show; failures are counted and audited. A name no
    account has answers as an account does: one password hash, the same message, and after five wrong passwords
    the same wait (counted by name, unknown_locked_until). An account waits after five wrong passwords, except on
    a browser it has signed in on before: strangers cannot lock its owner out of her own phone."""
    if user is None:
        check_no_password(password)
        key = login_key(identifier)
        if until := unknown_locked_until(key):
            audit.record("login_locked", None, identifier=key)
            return _locked_message(until)
        audit.record("login_failed", None, identifier=key)
        until = unknown_locked_until(key)
        return _locked_message(until) if until else _("Wrong username or password.")
    known_device = user.id in _known_accounts()
    if (until := locked_until(user)) and not known_device:
        check_no_password(password)
        audit.record("login_locked", user, unit_id=user.unit_id, user=user)
        return _locked_message(until)
    if not user.check_password(password):
        register_failure(user)
        audit.record("login_failed", user, unit_id=user.unit_id, user=user, identifier=identifier[:60])
        until = locked_until(user)
        return _locked_message(until) if until and not known_device else _("Wrong username or password.")
    if not user.active:
        audit.record("login_failed", user, unit_id=user.unit_id, user=user, reason="inactive")
        return _("This account is deactivated. Ask your officer.")
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form: username or phone number, password, and "remember this phone"."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        until = address_waits_until(request.remote_addr)
        if until is not None:  # not even the right password is tried, so guessing from here learns nothing
            audit.record("login_throttled", None, identifier=form.identifier.data[:60])
            db.session.commit()
            error = _("Too many wrong passwords from this network. Try again after %(time)s.",
                      time=format_time(until, "HH:mm"))
            return render("accounts/login.html", form=form, error=error, status=429)
        user = find_login(form.identifier.data)
        error = _check_login(user, form.password.data, form.identifier.data)
        if error is None:
            register_success(user)
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(user, remember=form.remember.data)
            session.permanent = True
            # The CSRF token is made now, in the sign-in's own answer: else the first pages after it (the one the
            # person opens and those the phone keeps for offline, at the same moment) would each make one, and the
            # cookie stored last would refuse the forms of the others. (The token of the cleared session, which
            # this request may have cached, is forgotten first.)
            g.pop("csrf_token", None)
            generate_csrf()
            audit.record("login", user, unit_id=user.unit_id, user=user)
            db.session.commit()
            return _remember_device(redirect(_safe_next(request.args.get("next")), code=303), user)
        db.session.commit()
    status = 401 if error else (422 if form.errors else 200)
    return render("accounts/login.html", form=form, error=error, status=status)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out and return to the sign-in page. The account's session token changes, so a copy of this session's
    cookie (or of its "remember me" cookie) no longer signs anyone in; the account's other phones sign in again."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        user.session_token = new_session_token()
        audit.record("logout", user, unit_id=user.unit_id, user=user)
        db.session.commit()
    session.clear()
    logout_user()  # after clear(): it marks the "remember me" cookie for removal, which clear() would undo
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"), code=303)


@bp.route("/language", methods=["POST"])
def language():
    """Switch the language: kept on the account when signed in, in the session otherwise."""
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            audit.record("update", current_user, unit_id=current_user.unit_id, locale=form.locale.data)
            db.session.commit()
        session["locale"] = form.locale.data
    return redirect(_safe_next(request.form.get("next")), code=303)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    """One's own account: who and where I am, my language, my password."""
    password_form = PasswordForm(prefix="pw")
    language_form = LanguageForm(locale=current_user.locale or "vi")
    if request.method == "POST" and password_form.validate_on_submit():
        if not current_user.check_password(password_form.current.data):
            password_form.current.errors.append(_("This is not your current password."))
        else:
            current_user.set_password(password_form.new.data)
            audit.record("password_change", current_user, unit_id=current_user.unit_id)
            db.session.commit()
            # The new token keeps this phone signed in and ends the others.
            login_user(current_user._get_current_object(), remember=True)
            flash(_("Your password is changed. Other phones signed in with it are signed out."), "success")
            return redirect_to(url_for("accounts.profile"))
    status = 422 if password_form.errors else 200
    return render("accounts/profile.html", password_form=password_form, language_form=language_form,
                  role_labels=ROLE_LABELS, languages=LANGUAGE_LABELS, status=status)


def _managed_users_query():
    stmt = select(User).join(User.unit)
    if current_user.role == OFFICER:
        stmt = stmt.where(User.role.in_(manageable_roles(current_user)) | (User.id == current_user.id))
    return scoped(stmt, User.unit_id)


@bp.route("/users")
@roles_required(ADMIN, OFFICER)
def users():
    """The users of my area, searchable by name, username or phone."""
    query = clean(request.args.get("q"))
    stmt = _managed_users_query()
    if query:
        stmt = stmt.where(
            (User.username.like(like_pattern(query), escape="\\"))
            | (User.phone.like(f"%{normalise_phone(query) or '-'}%"))
            | (Unit.search_name.like(like_pattern(query), escape="\\"))
        )
    page = paginate(stmt.order_by(User.full_name))
    return render("accounts/users.html", "accounts/_user_rows.html", page=page, query=query,
                  role_labels=ROLE_LABELS, fold=fold)


def _unit_choices() -> list[SelectChoice]:
    units = db.session.scalars(
        select(Unit).where(Unit.id.in_(subtree_ids(current_user.unit))).order_by(Unit.path)
    ).all()
    return [SelectChoice(u.id, ("· " * (u.depth - current_user.unit.depth)) + u.name) for u in units]


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER)
def new_user():
    """Create an account: an admin any role anywhere, an officer a collector inside their area."""
    existing = idempotent.replay_of(User)
    if existing is not None:
        flash(_("This account was already saved."), "info")
        return redirect_to(url_for("accounts.user_detail", user_id=existing.id))
    form = UserForm()
    form.role.choices = [SelectChoice(r, ROLE_LABELS[r]) for r in manageable_roles(current_user)]
    form.unit_id.choices = _unit_choices()
    if form.validate_on_submit():
        unit = get_or_404(Unit, form.unit_id.data, unit_attr="id")

        def build() -> User:
            user = User(username=form.username.data.lower(), full_name=clean(form.full_name.data),
                        phone=normalise_phone(form.phone.data) or None, role=form.role.data, unit_id=unit.id)
            user.set_password(form.password.data)
            return user

        user, _created = idempotent.create_once(User, form.client_id.data, current_user, build,
                                                username=form.username.data.lower(), role=form.role.data)
        flash(_("Account %(username)s created.", username=user.username), "success")
        return redirect_to(url_for("accounts.user_detail", user_id=user.id))
    return render("accounts/user_form.html", form=form, status=422 if form.errors else 200)


@bp.route("/users/<int:user_id>")
@roles_required(ADMIN, OFFICER)
def user_detail(user_id: int):
    """One account: role, unit, status, last sign-in; deactivate or reactivate it."""
    user = get_or_404(User, user_id)
    if current_user.role == OFFICER and not may_manage(current_user, user) and user.id != current_user.id:
        abort(404)
    return render("accounts/user_detail.html", user=user, role_labels=ROLE_LABELS,
                  may_manage=may_manage(current_user, user))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required(ADMIN, OFFICER)
def user_active(user_id: int):
    """Deactivate (their open sessions end at once) or reactivate an account."""
    user = get_or_404(User, user_id)
    if not may_manage(current_user, user):
        abort(404 if current_user.role == OFFICER else 403)
    active = request.form.get("active") == "1"
    set_active(user, active, current_user)
    db.session.commit()
    flash(_("Account reactivated.") if active else _("Account deactivated; its sessions have ended."), "success")
    return redirect_to(url_for("accounts.user_detail", user_id=user.id))
