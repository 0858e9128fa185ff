"""The app registry: which apps exist, their hosts, ids and record link templates.

The built-in entries live in ``apps.toml`` next to this module. A user's templates file (CSV or
TOML) adds apps or overrides built-in ones with the same App ID (:meth:`Registry.with_overrides`).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote

from applinks import templates
from applinks.domains import classify_app_id, host_of, not_a_record, registrable_domain
from applinks.errors import TemplateError, UsageError
from applinks.record_ids import CANONICAL_FORMS

BUILT_IN = "built-in"
STATUSES = ("confirmed", "code", "unconfirmed")
_HOST_CACHE_SIZE = 10_000


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class LinkForm:
    """One form of record link an app's links take, for people to read.

    ``form`` shows the link with ``{id}`` where the id sits (any other ``{name}`` varies from
    link to link); ``source`` is the public page that shows the form, or "" when no public
    source confirms it (the form is then unconfirmed).
    """

    form: str
    source: str = ""


@dataclass(frozen=True)
class Link:
    """What a pasted link says: its App ID, the record id in it, the app's name.

    All three are "" when the link has no usable host; ``unique_id`` and ``name`` are "" when
    no app claims the host (the App ID is then the host's registrable domain) or no id is found.
    ``not_record`` is filled instead when the link cannot point at a record at all (a short
    link, a map, an email address, ...): :func:`applinks.domains.not_a_record` says what it is.
    """

    app_id: str = ""
    unique_id: str = ""
    name: str = ""
    not_record: str = ""


@dataclass(frozen=True)
class AppEntry:
    """One source application.

    ``kinds`` maps a record kind to its URL template, the first kind being the default; it may
    be empty when no link format is known. ``hosts`` are exact host names or ``*.suffix``
    wildcards (any subdomain of the suffix). ``status`` is ``confirmed``, ``code`` or
    ``unconfirmed``; a user's own template counts as confirmed. ``source`` is ``built-in`` or
    the templates file the entry came from.
    """

    app_id: str
    name: str
    kinds: Mapping[str, str] = field(default_factory=dict)
    hosts: tuple[str, ...] = ()
    id_pattern: str | None = None
    url_patterns: tuple[str, ...] = ()
    settings: Mapping[str, str] = field(default_factory=dict)
    status: str = "unconfirmed"
    source: str = BUILT_IN
    notes: str = ""
    links: tuple[LinkForm, ...] = ()
    upper_ids: bool = False
    #: The one form of the app's ids, a name in :data:`applinks.record_ids.CANONICAL_FORMS`
    #: ("" when each id has one form only).
    id_form: str = ""

    def __post_init__(self) -> None:
        # Read-only views, so an entry shared through the cached registry cannot be changed.
        object.__setattr__(self, "kinds", _frozen(self.kinds))
        object.__setattr__(self, "settings", _frozen(self.settings))
        object.__setattr__(self, "hosts", tuple(h.lower() for h in self.hosts))
        object.__setattr__(self, "url_patterns", tuple(self.url_patterns))
        object.__setattr__(self, "links", tuple(self.links))

    def __hash__(self) -> int:
        # The mapping fields cannot be hashed; App ID and source identify an entry well enough.
        return hash((self.app_id, self.source))

    def _no_template(self) -> TemplateError:
        start = f"There is no known link format for {self.name} ({self.app_id}); paste the record "
        return TemplateError(
            start + "links into a column and use From URLs, or give a URL template for it.",
            cli_message=start + "links into a column and read them with --from-url COLUMN, or "
            "give a URL template for it with --templates FILE.",
        )

    def template(self, kind: str | None = None) -> str:
        """Return the URL template of ``kind`` (default: the first kind).

        Raises :class:`TemplateError` when the app has no template or no such kind.
        """
        if not self.kinds:
            raise self._no_template()
        if kind is None:
            return next(iter(self.kinds.values()))
        for name, template in self.kinds.items():
            if name.lower() == kind.strip().lower():
                return template
        known = ", ".join(self.kinds)
        raise TemplateError(f'{self.name} has no record kind "{kind}"; use one of: {known}.')

    def render_url(
        self,
        unique_id: str,
        *,
        settings: Mapping[str, str] | None = None,
        kind: str | None = None,
    ) -> str:
        """Return the record link for ``unique_id``.

        ``settings`` are laid over the entry's default settings (a blank value keeps the
        default). Raises :class:`TemplateError` when the app has no template or a setting the
        template needs is missing.
        """
        merged = dict(self.settings)
        merged.update(
            {k: v for k, v in (settings or {}).items() if v is not None and str(v).strip()}
        )
        return templates.render(self.template(kind), unique_id, merged, app_name=self.name)

    def extract_id(self, url: str, *, settings: Mapping[str, str] | None = None) -> str | None:
        """Return the record id in ``url``, or None when no template or pattern finds one.

        Each template is read backwards first, with the given ``settings`` only (the default
        settings are for making links: a link to an Account still gives its id when the default
        object is Opportunity). Then the ``url_patterns`` are tried, but only on the app's own
        hosts. A pattern with two groups gives ``first#second`` (``owner/repo#12``). An app
        whose ids are upper case (``upper_ids``) gets the id in capitals. A candidate that does
        not fit ``id_pattern`` is passed over.
        """
        for template in self.kinds.values():
            found = templates.extract_id(template, url, settings)
            if found and self.id_matches(found := self._cased(found)):
                return found
        host = host_of(url)
        if host is None or not self.owns_host(host):
            return None
        for pattern in self.url_patterns:
            match = re.search(pattern, url.strip())
            if match and all(match.groups()):
                found = self._cased(unquote("#".join(match.groups())))
                if self.id_matches(found):
                    return found
        return None

    def _cased(self, found: str) -> str:
        return found.upper() if self.upper_ids else found

    def host_score(self, host: str) -> int:
        """Return how specifically this app claims ``host``: 0 for not at all.

        An exact host scores above a wildcard with the same number of labels; a longer wildcard
        scores above a shorter one (``*.lightning.force.com`` over ``*.force.com``). A wildcard
        ``*-my.sharepoint.com`` takes one label ending in ``-my`` and counts as
        ``*.my.sharepoint.com`` would.
        """
        name = host_of(host)
        if name is None:
            return 0
        best = 0
        for pattern in self.hosts:
            if pattern.startswith("*."):
                suffix = pattern[2:]
                if name.endswith("." + suffix):
                    best = max(best, 2 * (suffix.count(".") + 1))
            elif pattern.startswith("*"):
                tail = pattern[1:]
                if name.endswith(tail) and "." not in name[: -len(tail)] and name != tail:
                    best = max(best, 2 * (tail.count(".") + 1))
            elif name == pattern:
                best = max(best, 2 * (pattern.count(".") + 1) + 1)
        return best

    def owns_host(self, host: str) -> bool:
        """Return True when ``host`` (a host name or a URL) belongs to this app."""
        return self.host_score(host) > 0

    def canonical_id(self, unique_id: str) -> str:
        """Return the one form of ``unique_id``: two ids of one record give the same text.

        ``006j000000Pkp1d`` and ``006j000000Pkp1dAAB`` (a Salesforce record's 15- and
        18-character ids) both give ``006j000000Pkp1dAAB``; an app without an ``id_form``
        gives the id as it is.
        """
        if not self.id_form:
            return unique_id
        return CANONICAL_FORMS[self.id_form](unique_id)

    def id_matches(self, unique_id: str) -> bool:
        """Return True when ``unique_id`` fits ``id_pattern`` (always True without one)."""
        fits = self.id_fullmatch
        return fits is None or fits(unique_id) is not None

    @functools.cached_property
    def id_fullmatch(self) -> Callable[[str], re.Match[str] | None] | None:
        """Return ``id_pattern``'s ``fullmatch``, compiled once (None without a pattern): mapped
        over a column of ids, it tells which fit at C speed."""
        return None if self.id_pattern is None else re.compile(self.id_pattern).fullmatch


@dataclass(frozen=True)
class Registry:
    """An immutable collection of apps, looked up by App ID, host or URL."""

    apps: tuple[AppEntry, ...]
    _by_id: Mapping[str, AppEntry] = field(init=False, repr=False, compare=False)
    _by_host: dict[str, tuple[AppEntry, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "apps", tuple(self.apps))
        by_id: dict[str, AppEntry] = {}
        for entry in self.apps:
            key = entry.app_id.lower()
            first = by_id.setdefault(key, entry)
            if first is not entry:
                # Apps sharing an App ID (the Google products) answer for it together: the
                # first names it, and every one's hosts belong to it.
                hosts = tuple(dict.fromkeys(first.hosts + entry.hosts))
                by_id[key] = dataclasses.replace(first, hosts=hosts)
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        # From URLs asks about the same few hosts for every row of a sheet.
        object.__setattr__(self, "_by_host", {})

    def get(self, app_id: str) -> AppEntry | None:
        """Return the app with this App ID (any letter case, surrounding spaces ignored).

        When several apps share the App ID, the first, holding the hosts of them all.
        """
        return self._by_id.get(app_id.strip().lower())

    def _claimants(self, host: str) -> tuple[AppEntry, ...]:
        """Return the apps that claim ``host`` most specifically (several only on a tie)."""
        found = self._by_host.get(host)
        if found is None:
            best: list[AppEntry] = []
            best_score = 0
            for entry in self.apps:
                score = entry.host_score(host)
                if score > best_score:
                    best, best_score = [entry], score
                elif score and score == best_score:
                    best.append(entry)
            if len(self._by_host) >= _HOST_CACHE_SIZE:
                self._by_host.clear()
            found = self._by_host[host] = tuple(best)
        return found

    def app_for_host(self, host: str) -> AppEntry | None:
        """Return the app that claims ``host`` most specifically (the first on a tie), or None."""
        found = self._claimants(host)
        return found[0] if found else None

    def app_for_url(self, url: str) -> AppEntry | None:
        """Return the app whose hosts include the host of ``url``, or None.

        Where apps share a host (Google Docs, Sheets, Slides and Forms on docs.google.com),
        the first whose link forms read an id from ``url``, else the first of them.
        """
        host = host_of(url)
        found = self._claimants(host) if host else ()
        if len(found) > 1:
            return next((e for e in found if e.extract_id(url)), found[0])
        return found[0] if found else None

    def app_ids(self) -> list[str]:
        """Return every App ID once, in registry order."""
        return list(dict.fromkeys(entry.app_id for entry in self.apps))

    def with_overrides(self, entries: Iterable[AppEntry]) -> Registry:
        """Return a registry where ``entries`` replace the apps with the same App ID.

        An override takes the place of the built-in entry, keeping what it does not say:
        its templates replace the built-in ones when it has any; name and id pattern replace
        when given; hosts, URL patterns and default settings are added to the built-in ones.
        An override of an App ID that several apps share changes each of them. Apps not in
        the registry yet are added at the end.
        """
        apps = list(self.apps)
        for new in entries:
            key = new.app_id.lower()
            places = [i for i, old in enumerate(apps) if old.app_id.lower() == key]
            for i in places:
                apps[i] = _merge(apps[i], new)
            if not places:
                apps.append(new)
        return Registry(tuple(apps))


def _merge(old: AppEntry, new: AppEntry) -> AppEntry:
    return dataclasses.replace(
        old,
        name=new.name or old.name,
        kinds=new.kinds or old.kinds,
        hosts=tuple(dict.fromkeys(new.hosts + old.hosts)),
        id_pattern=new.id_pattern if new.id_pattern is not None else old.id_pattern,
        url_patterns=tuple(dict.fromkeys(new.url_patterns + old.url_patterns)),
        settings={**old.settings, **new.settings},
        status=new.status,
        source=new.source,
        notes=new.notes or old.notes,
        links=new.links or old.links,
        id_form=new.id_form or old.id_form,
    )


def _entry_from_table(table: Mapping[str, Any], source: str) -> AppEntry:
    """Build a built-in entry from one ``[[app]]`` table of apps.toml."""
    status = table.get("status", "unconfirmed")
    if status not in STATUSES:
        raise ValueError(f"{table.get('app_id')}: status {status!r} is not one of {STATUSES}")
    entry = AppEntry(
        app_id=table["app_id"],
        name=table["name"],
        kinds=dict(table.get("kinds", {})),
        hosts=tuple(table.get("hosts", ())),
        id_pattern=table.get("id_pattern"),
        url_patterns=tuple(table.get("url_patterns", ())),
        settings={k: str(v) for k, v in table.get("settings", {}).items()},
        status=status,
        source=source,
        notes=table.get("notes", ""),
        links=tuple(
            LinkForm(link["form"], link.get("source", "")) for link in table.get("links", ())
        ),
        upper_ids=bool(table.get("upper_ids", False)),
        id_form=table.get("id_form", ""),
    )
    if entry.id_form and entry.id_form not in CANONICAL_FORMS:
        raise ValueError(
            f"{entry.app_id}: id_form {entry.id_form!r} is not one of {list(CANONICAL_FORMS)}"
        )
    for template in entry.kinds.values():
        templates.placeholders(template)  # raises on a malformed template
    for pattern in (*entry.url_patterns, *([entry.id_pattern] if entry.id_pattern else [])):
        re.compile(pattern)
    return entry


@functools.cache
def load_registry() -> Registry:
    """Return the built-in registry, read from the package's ``apps.toml`` once."""
    text = resources.files("applinks").joinpath("apps.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return Registry(tuple(_entry_from_table(table, BUILT_IN) for table in data["app"]))


def app_id_for_url(url: str, registry: Registry | None = None) -> str | None:
    """Return the App ID for a link: the app that claims its host, else its registrable domain.

    ``https://acme.lightning.force.com/...`` gives ``salesforce.com`` (a registry entry claims
    the host); ``https://www.example.co.uk/x`` gives ``example.co.uk`` (the Public Suffix
    List). None when the link has no usable host or is no record's link (a short link, a map,
    an email address: :func:`applinks.domains.not_a_record`).
    """
    return read_link(url, registry).app_id or None


def read_link(url: str, registry: Registry | None = None, *, app: AppEntry | None = None) -> Link:
    """Return what the link ``url`` says: App ID, record id and App Name.

    The app is ``app`` when given, else the one that claims the link (:meth:`Registry.app_for_url`),
    else none, and the App ID is the host's registrable domain. A link that cannot be a
    record's (a short link, a map, ``mailto:``, ``tel:``, ``file:``) gives only ``not_record``.

    >>> read_link("https://acme.lightning.force.com/lightning/r/001j000000Pkp1dAAA/view")
    Link(app_id='salesforce.com', unique_id='001j000000Pkp1dAAA', name='Salesforce', not_record='')
    """
    what = not_a_record(url)
    if what:
        return Link(not_record=what)
    entry = app or (registry or load_registry()).app_for_url(url)
    if entry is not None:
        return Link(entry.app_id, entry.extract_id(url) or "", entry.name)
    host = host_of(url)
    domain = registrable_domain(host) if host else None
    return Link(domain or "")


# --- user templates ---------------------------------------------------------------------------

_CSV_FIELDS = {
    "appid": "app_id",
    "appname": "name",
    "urltemplate": "url_template",
    "idpattern": "id_pattern",
}
_TOML_FIELDS = ("app_id", "name", "url_template", "id_pattern")


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _hosts_from_template(template: str) -> tuple[str, ...]:
    """Return the host a template's links are on, as an exact name or a ``*.`` wildcard."""
    rest = template.split("://", 1)[1] if "://" in template else template
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].lower()
    if "{" in host:
        # Everything after the last placeholder is the fixed part: {subdomain}.example.com.
        tail = host.rsplit("}", 1)[1].lstrip(".")
        return (f"*.{tail}",) if "." in tail else ()
    return (host,) if host else ()


def _user_entry(fields: Mapping[str, str], where: str, path: Path) -> AppEntry:
    """Check one user template and turn it into an entry; raise UsageError when it is bad."""
    app_id = fields.get("app_id", "").strip()
    if not app_id:
        raise UsageError(f"{where} of {path.name} has no App ID.", path=path)
    serious = [p for p in classify_app_id(app_id) if p.code != "app-id-subdomain"]
    if serious:
        better = next((p.suggestion for p in serious if p.suggestion), None)
        hint = f'; use "{better}"' if better else ', such as "salesforce.com"'
        raise UsageError(
            f'{where} of {path.name}: App ID "{app_id}" is not a plain lower-case domain name'
            f"{hint}.",
            path=path,
        )
    template = fields.get("url_template", "").strip()
    kinds: dict[str, str] = {}
    if template:
        if not re.match(r"(?i)https?://", template):
            raise UsageError(
                f'{where} of {path.name}: the URL template "{template}" must start with '
                '"https://" or "http://".',
                path=path,
            )
        try:
            templates.placeholders(template)
        except TemplateError as error:
            raise UsageError(f"{where} of {path.name}: {error.message}", path=path) from None
        kinds["record"] = template
    id_pattern = fields.get("id_pattern", "").strip() or None
    if id_pattern is not None:
        try:
            re.compile(id_pattern)
        except re.error:
            raise UsageError(
                f'{where} of {path.name}: the ID Pattern "{id_pattern}" is not a valid '
                "pattern (a regular expression such as ^\\d+$).",
                path=path,
            ) from None
    hosts = (app_id, f"*.{app_id}", *(_hosts_from_template(template) if template else ()))
    return AppEntry(
        app_id=app_id,
        name=fields.get("name", "").strip(),
        kinds=kinds,
        hosts=tuple(dict.fromkeys(hosts)),
        id_pattern=id_pattern,
        status="confirmed",
        source=str(path),
    )


def _read_csv_templates(path: Path, text: str) -> tuple[list[AppEntry], dict[str, str]]:
    return templates_from_rows(list(csv.reader(io.StringIO(text))), path)


def templates_from_rows(
    rows: Sequence[Sequence[str]], path: Path
) -> tuple[list[AppEntry], dict[str, str]]:
    """Read user templates laid out as rows of text: a header row, one app per row, then an
    optional ``Setting``/``Value`` block. ``path`` names the source in messages (a file, or the
    App Link Templates sheet). This is the one reader for templates CSV files and that sheet.
    """
    rows = [list(r) for r in rows]
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise UsageError(f"The templates file {path.name} is empty.", path=path)
    header = [_CSV_FIELDS.get(_header_key(cell)) for cell in rows[0]]
    for needed, shown in (("app_id", "App ID"), ("url_template", "URL Template")):
        if needed not in header:
            raise UsageError(
                f'The templates file {path.name} has no "{shown}" column; its first row must '
                "name the columns App ID, App Name, URL Template and ID Pattern.",
                path=path,
            )
    entries: list[AppEntry] = []
    settings: dict[str, str] = {}
    in_settings = False
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if [_header_key(c) for c in cells[:2]] == ["setting", "value"]:
            in_settings = True  # the settings block, as on the App Link Templates sheet
            continue
        if in_settings:
            if cells[0]:
                settings[cells[0]] = cells[1] if len(cells) > 1 else ""
            continue
        fields = {name: cell for name, cell in zip(header, cells, strict=False) if name}
        entries.append(_user_entry(fields, f"Row {number}", path))
    return entries, settings


def _read_toml_templates(path: Path, text: str) -> tuple[list[AppEntry], dict[str, str]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(
            f"The templates file {path.name} is not valid TOML ({error}).", path=path
        ) from None
    unknown_top = sorted(set(data) - {"app", "settings"})
    if unknown_top:
        raise UsageError(
            f'The templates file {path.name} has an unknown section "{unknown_top[0]}"; use '
            "[[app]] tables and one [settings] table.",
            path=path,
        )
    tables = data.get("app", [])
    if not isinstance(tables, list):
        raise UsageError(
            f"The templates file {path.name} must list its apps as [[app]] tables.", path=path
        )
    entries: list[AppEntry] = []
    for number, table in enumerate(tables, start=1):
        where = f"App {number}"
        unknown = sorted(set(table) - set(_TOML_FIELDS))
        if unknown:
            raise UsageError(
                f'{where} of {path.name} has an unknown field "{unknown[0]}"; the fields are '
                f"{', '.join(_TOML_FIELDS)}.",
                path=path,
            )
        entries.append(_user_entry({k: str(v) for k, v in table.items()}, where, path))
    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, dict):
        raise UsageError(
            f"The templates file {path.name} must give settings as a [settings] table.",
            path=path,
        )
    return entries, {str(k): str(v) for k, v in raw_settings.items()}


def load_user_templates(path: str | Path) -> tuple[list[AppEntry], dict[str, str]]:
    """Read a user's templates file and return its apps and its account settings.

    CSV (UTF-8, with or without BOM): a header row naming ``App ID``, ``App Name``,
    ``URL Template`` and ``ID Pattern`` (any letter case and spacing; the last two columns may
    be left out), one app per row. An optional settings block follows: a row reading
    ``Setting``, ``Value``, then one ``name,value`` row per setting.

    TOML: ``[[app]]`` tables with ``app_id``, ``name``, ``url_template`` and ``id_pattern``,
    and one ``[settings]`` table of ``name = "value"``.

    Raises :class:`UsageError` with one plain sentence (and ``path``) when the file is missing,
    unreadable or has a bad entry.
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"The templates file {file} was not found.", path=file) from None
    except OSError as error:
        raise UsageError(
            f"The templates file {file} cannot be read ({error.strerror}).", path=file
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            f"The templates file {file.name} is not UTF-8 text; save it as UTF-8 "
            '(in Excel: "CSV UTF-8").',
            path=file,
        ) from None
    if file.suffix.lower() == ".toml":
        return _read_toml_templates(file, text)
    if file.suffix.lower() in (".csv", ".txt"):
        return _read_csv_templates(file, text)
    raise UsageError(f"The templates file {file.name} must be a .csv or a .toml file.", path=file)
