"""Read the forms of a page as a browser would submit them: action, method, fields and values."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class PageForm:
    """One <form>: where it goes, how, its fields' default values and its file inputs."""

    action: str
    method: str
    values: dict[str, str] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)

    @property
    def field_names(self) -> list[str]:
        return sorted(set(self.values) | self.files)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value or "") for name, value in attrs}
        if tag == "form":
            action = urljoin(self.page_url, attributes.get("action") or self.page_url)
            self._form = PageForm(action=action, method=(attributes.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        name = attributes.get("name")
        if form is None or not name and tag != "option":
            return
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind == "file":
                form.files.add(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attributes or name not in form.values:
                    form.values[name] = attributes.get("value", "on")
            elif kind not in ("submit", "button", "image", "reset"):
                form.values[name] = attributes.get("value", "")
        elif tag == "button" and attributes.get("value") is not None:
            form.values.setdefault(name, attributes["value"])
        elif tag == "select":
            self._select, self._select_first = name, None
            form.values.setdefault(name, "")
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if self._select_first is None or "selected" in attributes:
                form.values[self._select] = value
                self._select_first = value
        elif tag == "textarea":
            self._textarea = name
            form.values[name] = ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(page_url: str, html: str) -> list[PageForm]:
    """Every form of a page whose action stays on this site."""
    parser = _FormParser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if urlsplit(form.action).netloc in ("", "localhost")]
