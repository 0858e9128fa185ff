"""Write docs/apps.md from the built-in registry: ``python scripts/make_apps_doc.py``."""

from __future__ import annotations

import sys
from pathlib import Path

from applinks.registry import AppEntry, load_registry

STATUS = {"confirmed": "confirmed", "code": "seen in public code", "unconfirmed": "unconfirmed"}


def _cell(text: str) -> str:
    # A "|" inside a table cell, even in code, ends the cell unless escaped.
    return text.replace("|", "\\|")


def _templates(entry: AppEntry) -> str:
    if entry.kinds:
        return "<br>".join(f"{kind}: `{t}`" for kind, t in entry.kinds.items())
    if entry.url_patterns:
        return "none known: paste links (`--from-url`)"
    return "none known: give a template"


def _forms(entry: AppEntry) -> str:
    shown = [
        f"`{link.form}` ([source]({link.source}))"
        if link.source
        else f"`{link.form}` (unconfirmed)"
        for link in entry.links
    ]
    return "<br>".join(_cell(s) for s in shown) or "none known"


def render() -> str:
    """Return the Markdown page listing every built-in app."""
    lines = [
        "# Built-in apps",
        "",
        "Generated from `src/applinks/apps.toml` by `scripts/make_apps_doc.py`; a test keeps the",
        "two in step. *Status*: confirmed by a public source, seen in public code, or unconfirmed",
        "(prefer pasting record links with `--from-url` for those). `{id}` is the App Unique ID;",
        "any other `{name}` is an account setting (`--set name=value`, or the settings block of",
        "the *App Link Templates* sheet). Your own templates (`--templates FILE`) override these.",
        "",
        "*Links read* are the forms of record link that `--from-url` (and `APPLINK_ID`) read the",
        "id from, each with the public page that shows it, or *unconfirmed* where no public",
        "source does; in a form, `{id}` is where the id sits and any other `{name}` varies.",
        "The Google products share the App ID `google.com`; the form of a link decides its",
        "App Name.",
        "",
        "Links that point at no record give no App ID: short links (bit.ly, goo.gl, tinyurl.com,",
        "...), maps (Google, Apple and Bing maps), `mailto:`, `tel:` and `file:` links. Paste the",
        "link of the record itself instead, copied from the browser with the record open.",
        "",
        "| App Name | App ID | link template(s) | links read | id pattern | settings (default) "
        "| status |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in load_registry().apps:
        defaults = ", ".join(f"{k}={v}" for k, v in entry.settings.items())
        pattern = f"`{_cell(entry.id_pattern)}`" if entry.id_pattern else "any"
        lines.append(
            f"| {entry.name} | `{entry.app_id}` | {_templates(entry)} | {_forms(entry)} | "
            f"{pattern} | {defaults} | {STATUS.get(entry.status, entry.status)} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "apps.md"
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"Wrote {target.name}\n")
