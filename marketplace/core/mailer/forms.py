"""Forms of the mail outbox page."""
from marketplace.core.forms import BaseForm


class MailRetryForm(BaseForm):
    """Send a mail that failed again (the form carries only its CSRF token)."""
