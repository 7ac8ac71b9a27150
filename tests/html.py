"""Reading what a page shows, for view tests."""

from html.parser import HTMLParser

VOID_ELEMENTS = {"br", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _AlertText(HTMLParser):
    """The text of every element with role="alert", nested elements included."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        if self.depth or ("role", "alert") in attrs:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def alert_text(response) -> str:
    """What the page's alerts say, as one line of text."""
    parser = _AlertText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def section(response, section_id: str) -> str:
    """The HTML of the page's ``<section id="section_id">``, up to its end."""
    content = response.content.decode()
    start = content.index(f'<section id="{section_id}"')
    return content[start : content.index("</section>", start)]


class _Autofocused(HTMLParser):
    """The names of the fields marked ``autofocus``."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "autofocus" in found and tag in {"input", "select", "textarea"}:
            self.names.append(found.get("name", ""))


def autofocused(response) -> list[str]:
    """The fields a page or dialog puts the first focus on (by name)."""
    parser = _Autofocused()
    parser.feed(response.content.decode())
    return parser.names


def post_admin_form(client, url: str, data: dict, inlines: dict[str, list[dict]] | None = None):
    """Post an admin form as its page sends it: every inline formset the page shows, with
    the rows of ``inlines`` (by formset prefix) and none in the others."""
    import re

    page = client.get(url).content.decode()
    inlines = inlines or {}
    for prefix in re.findall(r'name="([^"]+)-TOTAL_FORMS"', page):
        rows = inlines.get(prefix, [])
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for i, row in enumerate(rows):
            data |= {f"{prefix}-{i}-{key}": value for key, value in row.items()}
    return client.post(url, data)
