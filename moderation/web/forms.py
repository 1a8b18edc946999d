"""Forms shared across pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ..accounts import MIN_PASSWORD_LENGTH
from ..plumbing.i18n import LOCALE_NAMES, LOCALES


class EmptyForm(FlaskForm):
    """A button-only POST: carries the CSRF token and nothing else."""

    submit = SubmitField(_l("Submit"))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


def role_choices():
    return [SelectChoice("reviewer", _l("Reviewer")), SelectChoice("admin", _l("Administrator"))]


class NewUserForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(), Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("Enter an e-mail address.")),
        ],
    )
    role = SelectField(_l("Role"), choices=role_choices())
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1000)]
    )
    submit = SubmitField(_l("Add user"))


class UserUpdateForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices())
    active = BooleanField(_l("Active"))
    submit = SubmitField(_l("Save"))


class PreferencesForm(FlaskForm):
    locale = SelectField(
        _l("Language"), choices=[SelectChoice(code, LOCALE_NAMES[code]) for code in LOCALES]
    )
    timezone = SelectField(_l("Time zone"))
    submit = SubmitField(_l("Save"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1000)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class ImportForm(FlaskForm):
    """Upload pages to import: the same reading and storing as the import commands."""

    files = FileField(_l("Files (.jsonl, .txt, .html)"), validators=[FileRequired()],
                      render_kw={"multiple": True, "accept": ".jsonl,.ndjson,.txt,.html,.htm"})
    publisher = StringField(_l("Publisher (for files that name none)"),
                            validators=[Length(max=200)])
    base_url = StringField(_l("Base URL (for files without a URL)"),
                           validators=[Length(max=500)])
    submit = SubmitField(_l("Import"))
