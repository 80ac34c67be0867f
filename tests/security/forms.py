"""Reading and filling a page's POST form the way a browser would, with hostile text in every free-text field."""

import io
import re
import zipfile
from html.parser import HTMLParser

# Stored script that must always come back escaped; SHORT for fields that take fewer characters.
PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=1>"
SHORT = "<i>'\"x</i>"
RAW = ("<script>alert(1)", "<img src=x onerror", "<i>'\"x</i>")
NOT_FREE_TEXT = {"hidden", "checkbox", "radio", "date", "number", "file", "submit", "button", "image", "reset",
                 "password", "month", "time", "datetime-local", "email", "tel", "color", "range"}


class Form:
    def __init__(self, action):
        self.action = action
        self.fields: dict[str, list[str]] = {}
        self.free_text: list[str] = []  # text inputs and text areas a person types into

    def add(self, name, value):
        self.fields.setdefault(name, []).append(value)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.form = Form(a.get("action"))
            self.forms.append(self.form)
        if self.form is None:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form.add(a["name"], a.get("value", "on"))
                return
            self.form.add(a["name"], a.get("value") or "")
            if kind not in NOT_FREE_TEXT and a.get("inputmode") not in ("numeric", "decimal", "tel"):
                self.form.free_text.append(a["name"])
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self.form.add(self._select, a.get("value", ""))
                self._select_chosen = True
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.form.add(self._textarea, "")
            self.form.free_text.append(self._textarea)

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.form.add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.form = None

    def handle_data(self, data):
        if self.form is not None and self._textarea:
            self.form.fields[self._textarea][-1] += data


def post_forms(html: str) -> list[Form]:
    reader = _Reader()
    reader.feed(html)
    return reader.forms


def field_errors(html: str) -> list[str]:
    return re.findall(r'<p id="([^"]+)-error" class="error">', html)


def fill_and_post(client, url: str, data: dict | None = None, *, action: str | None = None, tag: str = "",
                  hostile: bool = True, expect=(303,), check=None, headers=None, **kwargs):
    """Open `url`, take its POST form (the one posting to `action`, else the first), keep what the page shows, set
    `data`, and put `tag` + PAYLOAD into every other free-text field. A field that refuses it (too long, a format)
    gets the shorter payload, then the tag alone, then nothing. Every page the form comes back on (422) is given to
    `check`, so a refused form is also seen to escape what was typed. Returns the final response."""
    page = client.get(url)
    assert page.status_code == 200, f"{url} answered {page.status_code}"
    html = page.get_data(as_text=True)
    forms = post_forms(html)
    target = action or url
    chosen = [f for f in forms if (f.action or url).split("?")[0] == target.split("?")[0]] or forms
    assert chosen, f"no POST form on {url}"
    form = chosen[0]
    fields = {k: (v if len(v) > 1 else v[0]) for k, v in form.fields.items()}
    free = [name for name in form.free_text if not (data and name in data)] if hostile else []
    ladder = [f"{tag} {PAYLOAD}", f"{tag}{SHORT}", tag, ""]
    level = dict.fromkeys(free, 0)
    fields.update(data or {})
    files = {k: v for k, v in (data or {}).items() if isinstance(v, tuple)}
    for _attempt in range(len(ladder)):
        for name in free:
            fields[name] = ladder[level[name]]
        body = {k: v for k, v in fields.items() if v is not None}
        for k, (content, filename) in files.items():
            body[k] = (io.BytesIO(content), filename)
        response = client.post(form.action or target, data=body, headers=headers or {}, **kwargs)
        if check is not None:
            check(response, f"POST {form.action or target}")
        if response.status_code != 422:
            break
        refused = [name for name in field_errors(response.get_data(as_text=True)) if name in level]
        if not refused or all(level[name] == len(ladder) - 1 for name in refused):
            break
        for name in refused:
            level[name] = min(level[name] + 1, len(ladder) - 1)
    assert response.status_code in expect, (url, response.status_code,
                                            field_errors(response.get_data(as_text=True)),
                                            re.findall(r'class="(?:error|flash flash-error)"[^>]*>([^<]*)',
                                                       response.get_data(as_text=True)))
    return response


def text_of(response) -> str:
    """What a response carries as text: HTML, CSV, JSON, or every part of an XLSX or DOCX (zip) file."""
    body = response.get_data()
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return body.decode("utf-8", "replace")


def unescaped(response) -> list[str]:
    """The raw stored-script strings an HTML answer carries unescaped."""
    if not (response.mimetype or "").startswith("text/html"):
        return []
    body = response.get_data(as_text=True)
    return [raw for raw in RAW if raw in body]
