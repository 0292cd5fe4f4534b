"""Read a page's form the way a browser submits it: every field's current value, by name."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action_marker: str) -> None:
        super().__init__()
        self.marker = action_marker
        self.inside = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._multiple = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form" and not self.done and self.marker in found.get("class", ""):
            self.inside = True
        if not self.inside:
            return
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in {"submit", "button"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in found:
                    self.fields.append((name, found.get("value", "on")))
                return
            self.fields.append((name, found.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
            self._multiple = "multiple" in found
        elif tag == "option" and self._select is not None:
            value = found.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in found:
                if self._multiple:
                    self.fields.append((self._select, value))
                else:
                    self._select_value = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "select" and self._select is not None:
            if not self._multiple:
                value = self._select_value if self._select_value is not None else self._first_option
                self.fields.append((self._select, value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self.inside, self.done = False, True

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def form_fields(page: str, form_class: str) -> dict[str, str | list[str]]:
    """The fields of the first <form> whose class contains `form_class`; a name given more than
    once (ticked checkboxes of one list) maps to a list."""
    reader = _FormReader(form_class)
    reader.feed(page)
    fields: dict[str, str | list[str]] = {}
    for name, value in reader.fields:
        if name in fields:
            existing = fields[name]
            fields[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            fields[name] = value
    return fields
