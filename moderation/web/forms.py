"""Forms shared across pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ..accounts import MIN_PASSWORD_LENGTH
from ..i18n import LOCALE_NAMES, LOCALES


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
