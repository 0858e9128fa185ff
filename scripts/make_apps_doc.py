"""Write docs/apps.md from the built-in registry: ``python scripts/make_apps_doc.py``."""

from __future__ import annotations

import sys
from pathlib import Path

from applinks.registry import load_registry

STATUS = {"confirmed": "confirmed", "code": "seen in public code", "unconfirmed": "unconfirmed"}


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
        "| App Name | App ID | link template(s) | settings (default) | status |",
        "|---|---|---|---|---|",
    ]
    for entry in load_registry().apps:
        templates = "<br>".join(f"{kind}: `{t}`" for kind, t in entry.kinds.items()) or (
            "none known: paste links (`--from-url`)"
            if entry.url_patterns
            else "none known: give a template"
        )
        defaults = ", ".join(f"{k}={v}" for k, v in entry.settings.items())
        lines.append(
            f"| {entry.name} | `{entry.app_id}` | {templates} | {defaults} | "
            f"{STATUS.get(entry.status, entry.status)} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "apps.md"
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"Wrote {target.name}\n")
