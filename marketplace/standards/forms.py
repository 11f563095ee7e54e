"""Forms of the standards pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from marketplace.core.forms import BaseForm


class PublishStandardForm(BaseForm):
    file = FileField(_l("Standard file (.toml)"), validators=[FileRequired()])
