"""Where the App Links come from, as one frozen value built once at each surface."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from applinks.errors import ConflictingOptions, NoLinkSource


@dataclass(frozen=True)
class LinkSource:
    """Where the App Links come from: ids of one app, or a column of record links.

    Built once at each surface (the command line's options, the add-in's buttons) and passed
    down whole. ``app``: the App ID or App Name of the ids (with ``from_url``: the app to take
    every link as). ``id_column``: the column of ids (default: App Unique ID). ``from_url``: the
    column of record links. ``kind``: the record kind when the app has several. ``settings``:
    account settings the user gave for this run; ``template_settings``: those that came with
    the user's templates (``settings`` win). ``overwrite``: replace App Link cells that already
    have values.

    Raises:
        ConflictingOptions: ``from_url`` with ``id_column``, ``kind`` or ``settings`` (the links
            say which record each row is; those would be left unused).
    """

    app: str | None = None
    id_column: str | None = None
    from_url: str | None = None
    kind: str | None = None
    settings: Mapping[str, str] = field(default_factory=dict)
    overwrite: bool = False
    template_settings: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("settings", "template_settings"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        if self.from_url:
            for other in ("id_column", "kind", "settings"):
                if getattr(self, other):
                    raise ConflictingOptions("from_url", other)

    @property
    def given(self) -> bool:
        """True when the ids' app or a column of links is set (there is something to fill)."""
        return bool(self.app or self.from_url)

    def all_settings(self) -> dict[str, str]:
        """Return the settings for the URL templates: the templates' own, then the user's."""
        return {**self.template_settings, **self.settings}

    def require(self) -> None:
        """Raise NoLinkSource unless the ids' app or a column of links is set."""
        if not self.given:
            raise NoLinkSource
