"""Admin pages for standards (list, import, preview in both languages, publish, retire); the JSON API is
certify/api."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField

from certify.accounts.models import Role
from certify.extensions import db
from certify.questionnaire.fields import questionnaire_form_class
from certify.standards import services
from certify.standards.attestation import PracticalForm, StandardKind
from certify.standards.format import diff_standards
from certify.standards.models import StandardStatus, StandardVersion
from certify.standards.problems import StandardInvalid
from certify.web.access import STAFF, roles_required
from certify.web.actions import carry_out

bp = Blueprint("standards", __name__)


class ImportForm(FlaskForm):
    file = FileField(_l("YAML file"), validators=[FileRequired(message=_l("Choose a YAML file to import."))])
    submit = SubmitField(_l("Import"))


@bp.get("/admin/standards/")
@roles_required(*STAFF)
def index():
    """Every stored version, newest first, with what can be done to it."""
    return _index_page(ImportForm())


def _index_page(form: ImportForm, status: int = 200):
    rows = db.session.scalars(
        sa.select(StandardVersion).order_by(StandardVersion.code, StandardVersion.imported_at.desc())
    ).all()
    return render_template(
        "standards/index.html",
        rows=rows,
        current_ids=services.current_version_ids(db.session),
        form=form,
        can_import=current_user.has_role(Role.ADMIN),
    ), status


@bp.post("/admin/standards/import")
@roles_required(Role.ADMIN)
def import_version():
    """Upload a YAML file: every problem is listed with its line, or it is stored as a draft."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _index_page(form, 400)
    upload = form.file.data
    try:
        return carry_out(
            lambda: services.import_standard(
                db.session, upload.read(), source_name=upload.filename or "standard.yaml", user=current_user
            ),
            back_to=url_for("standards.index"),  # refused: a published version cannot change
            success_to=lambda row: url_for("standards.preview", version_id=row.id),
            done=lambda row: _("%(label)s imported as a draft.", label=row.label),
        )
    except StandardInvalid as error:  # not a refusal but a report: every problem with its line
        db.session.rollback()
        return render_template("standards/problems.html", problems=error.problems), 422


@bp.get("/admin/standards/<int:version_id>")
@roles_required(*STAFF)
def preview(version_id: int):
    """The questionnaire exactly as a manager sees it, in the chosen language, with changes since current."""
    row = db.get_or_404(StandardVersion, version_id)
    language = request.args.get("lang", "ru") if request.args.get("lang") in ("ru", "en") else "ru"
    standard = services.definition_of(row)
    form = questionnaire_form_class(standard.all_questions(), language, enforce_required=False)(
        meta={"csrf": False}
    )
    current = services.current_version(db.session, row.code, kind=row.kind)
    changes = (
        diff_standards(services.definition_of(current), standard) if current and current.id != row.id else []
    )
    return render_template(
        "standards/preview.html",
        row=row,
        standard=standard,
        form=form,
        language=language,
        changes=changes,
        scheme=standard.attestation,
        operation=services.next_operation(row) if current_user.has_role(Role.ADMIN) else None,
    )


@bp.post("/admin/standards/<int:version_id>/<any(publish, retire):operation>")
@roles_required(Role.ADMIN)
def change_status(version_id: int, operation: str):
    """Publish a draft or retire a published version."""
    row = db.get_or_404(StandardVersion, version_id)
    change = services.publish_version if operation == "publish" else services.retire_version
    status = StandardStatus.PUBLISHED if operation == "publish" else StandardStatus.RETIRED
    return carry_out(
        lambda: change(db.session, row, current_user),
        back_to=url_for("standards.preview", version_id=row.id),
        done=_("%(label)s is now %(status)s.", label=row.label, status=status_label(status)),
    )


def status_label(status: str) -> str:
    return {
        StandardStatus.DRAFT: _("draft"),
        StandardStatus.PUBLISHED: _("published"),
        StandardStatus.RETIRED: _("retired"),
    }[StandardStatus(status)]


def problem_text(problem) -> str:
    """A loader problem in the user's language (the pure loader reports English templates)."""
    if not problem.template:
        return problem.message
    return _(problem.template).format(**problem.params)


def kind_label(kind: str) -> str:
    """What a version is, in the user's language: an organisation's standard or a personal scheme."""
    return {
        StandardKind.ORGANISATION: _("Organisation standard"),
        StandardKind.PERSON: _("Personnel attestation scheme"),
    }[StandardKind(kind)]


def practical_form_label(form: str) -> str:
    return {
        PracticalForm.CASE: _("a case task answered in writing"),
        PracticalForm.PORTFOLIO: _("a portfolio defended before the examiners"),
    }[PracticalForm(form)]


@bp.app_context_processor
def standards_helpers():
    return {
        "status_label": status_label,
        "problem_text": problem_text,
        "kind_label": kind_label,
        "practical_form_label": practical_form_label,
    }
