"""Cloze App Links for xlwings Lite: paste this whole file into the main.py tab of xlwings Lite.

The worksheet functions (=APPLINK_URL, =APPLINK_NAME, =APPLINK_CHECK, =APPLINK_APPID,
=APPLINK_ID) work as soon as requirements.txt has installed cloze-applinks. Give the App Link
Templates sheet as the last argument to use its apps and settings:
=APPLINK_URL("hubspot.com", B2, , 'App Link Templates'!A1:F40). The scripts run
from the xlwings Lite task pane: pick one in the list and click Run; the result appears in
the Output below it.
"""

import inspect

import xlwings as xw
from xlwings import arg, func, script

from applinks.lite import functions, scripts

# --- worksheet functions: the same results as the Windows add-in, ranges included ----------


def _rows(function):
    """Hand every argument of ``function`` over as rows, an error cell as the text it shows
    (#N/A, not an empty cell): as the Windows add-in hands its arguments over."""
    for name in inspect.signature(function).parameters:
        function = arg(name, ndim=2, err_to_str=True)(function)
    return function


@func
@_rows
def APPLINK_URL(app_id, unique_id, template=None, templates=None):
    """The App Content URL for an App ID and App Unique ID (optionally your own URL template)."""
    return functions.APPLINK_URL(app_id, unique_id, template, templates)


@func
@_rows
def APPLINK_NAME(app_id, templates=None):
    """The App Name for an App ID, e.g. Zillow for zillow.com."""
    return functions.APPLINK_NAME(app_id, templates)


@func
@_rows
def APPLINK_CHECK(app_id, unique_id=functions.OMITTED, url=functions.OMITTED, templates=None):
    """Empty when the App Link is fine, else the first problem in plain words."""
    return functions.APPLINK_CHECK(app_id, unique_id, url, templates)


@func
@_rows
def APPLINK_APPID(url_or_host, templates=None):
    """The App ID (a domain such as salesforce.com) for a web link or host name."""
    return functions.APPLINK_APPID(url_or_host, templates)


@func
@_rows
def APPLINK_ID(url, app_id=None, templates=None):
    """The App Unique ID found in a web link to a record."""
    return functions.APPLINK_ID(url, app_id, templates)


# --- scripts: the buttons of the Cloze tab ---------------------------------------------------


def _script(name):
    """Declare the script ``name``: it runs that action and prints its one line."""

    async def run(book: xw.Book):
        print(await scripts.run(name, book))

    run.__name__ = run.__qualname__ = name
    run.__doc__ = scripts.HELP[name]
    return script(run)


# xlwings Lite finds scripts among this module's names, so each is set here by its name.
for _name in scripts.ACTIONS:
    globals()[_name] = _script(_name)
