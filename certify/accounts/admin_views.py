"""Admin pages: list, create and edit users, give roles, deactivate."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from certify.accounts import services
from certify.accounts.forms import ROLE_LABELS, UserForm
from certify.accounts.models import Organisation, Role, User
from certify.accounts.organisations import organisation_choices
from certify.extensions import db
from certify.web.access import roles_required
from certify.web.actions import carry_out
from certify.web.forms import select_choices
from certify.web.i18n import current_language

bp = Blueprint("accounts_admin", __name__, url_prefix="/admin/users")
PAGE_SIZE = 50


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    if user is not None and request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.organisation_id.data = user.organisation_id or 0
    form.organisation_id.choices = select_choices(
        [(0, _l("— none —")), *organisation_choices(db.session, current_language())]
    )
    return form


@bp.get("/")
@roles_required(Role.ADMIN)
def users():
    """All users, filterable by e-mail or name and by role."""
    query, role = request.args.get("q", "").strip(), request.args.get("role", "")
    statement = sa.select(User).order_by(User.email)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            sa.or_(User.email.like(pattern), sa.func.lower(User.full_name_ru).like(pattern))
        )
    if role in set(Role):
        statement = statement.where(User.role_rows.any(role=role))
    page = db.paginate(statement, per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "accounts/admin/users.html", page=page, query=query, role=role, role_labels=ROLE_LABELS
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_user():
    """Create a user with roles; the account is confirmed at once (the admin vouches for the address)."""
    form = _user_form()
    if not form.validate_on_submit():
        return _form_page(form)
    return carry_out(
        lambda: services.create_account(
            db.session,
            actor=current_user,
            email=form.email.data,
            password=form.password.data or "",
            full_name_ru=form.full_name_ru.data,
            full_name_en=form.full_name_en.data or "",
            roles=[Role(r) for r in form.roles.data],
            organisation=db.session.get(Organisation, form.organisation_id.data),
            locale=form.locale.data,
            confirmed=True,
        ),
        back_to=url_for("accounts_admin.create_user"),
        success_to=url_for("accounts_admin.users"),
        done=lambda user: _("User %(email)s created.", email=user.email),
        refused=lambda error: _form_page(form, refused=error),
    )


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int):
    """Edit a user's names, roles, organisation; deactivating ends their sessions at once."""
    user = db.get_or_404(User, user_id)
    form = _user_form(user)
    del form.password
    form.email.render_kw = {"readonly": True}
    form.email.data = user.email
    if not form.validate_on_submit():
        return _form_page(form, user)
    return carry_out(
        lambda: services.update_user(
            db.session,
            user,
            full_name_ru=form.full_name_ru.data,
            full_name_en=form.full_name_en.data or "",
            locale=form.locale.data,
            roles=[Role(r) for r in form.roles.data],
            organisation=db.session.get(Organisation, form.organisation_id.data),
            active=form.active.data,
            actor=current_user,
        ),
        back_to=url_for("accounts_admin.edit_user", user_id=user.id),
        success_to=url_for("accounts_admin.users"),
        done=_("Changes saved."),
        refused=lambda error: _form_page(form, user, refused=error),
    )


def _form_page(form: UserForm, user: User | None = None, refused: services.AccountError | None = None):
    """The user form; a refusal is shown beside its field (the e-mail unless the service names one)."""
    if refused is not None:
        field = form[refused.field or "email"]
        field.errors = [*field.errors, refused.message]
    return render_template("accounts/admin/user_form.html", form=form, user=user), (
        400 if form.errors else 200
    )
