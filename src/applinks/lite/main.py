"""Cloze App Links for xlwings Lite: paste this whole file into the main.py tab of xlwings Lite.

The worksheet functions (=APPLINK_URL, =APPLINK_NAME, =APPLINK_CHECK, =APPLINK_APPID,
=APPLINK_ID) work as soon as requirements.txt has installed cloze-applinks. The scripts run
from the xlwings Lite task pane: pick one in the list and click Run; the result appears in
the Output below it.
"""

import xlwings as xw
from xlwings import arg, func, script

from applinks.lite import functions, scripts

# --- worksheet functions: the same results as the Windows add-in, ranges included ----------


@func
@arg("app_id", ndim=2)
@arg("unique_id", ndim=2)
@arg("template", ndim=2)
def APPLINK_URL(app_id, unique_id, template=None):
    """The App Content URL for an App ID and App Unique ID (optionally your own URL template)."""
    return functions.APPLINK_URL(app_id, unique_id, template)


@func
@arg("app_id", ndim=2)
def APPLINK_NAME(app_id):
    """The App Name for an App ID, e.g. Zillow for zillow.com."""
    return functions.APPLINK_NAME(app_id)


@func
@arg("app_id", ndim=2)
@arg("unique_id", ndim=2)
@arg("url", ndim=2)
def APPLINK_CHECK(app_id, unique_id=functions.OMITTED, url=functions.OMITTED):
    """Empty when the App Link is fine, else the first problem in plain words."""
    return functions.APPLINK_CHECK(app_id, unique_id, url)


@func
@arg("url_or_host", ndim=2)
def APPLINK_APPID(url_or_host):
    """The App ID (a domain such as salesforce.com) for a web link or host name."""
    return functions.APPLINK_APPID(url_or_host)


@func
@arg("url", ndim=2)
@arg("app_id", ndim=2)
def APPLINK_ID(url, app_id=None):
    """The App Unique ID found in a web link to a record."""
    return functions.APPLINK_ID(url, app_id)


# --- scripts: the buttons of the Cloze tab ---------------------------------------------------


@script
async def insert_columns(book: xw.Book):
    """Add the App ID, App Unique ID, App Name and App Content URL columns."""
    print(await scripts.run("insert_columns", book))


@script
async def fill_app_links(book: xw.Book):
    """Select a cell in the column of record ids first; fills the four columns."""
    print(await scripts.run("fill_app_links", book))


@script
async def from_urls(book: xw.Book):
    """Select a cell in a column of record links first; fills the four columns from them."""
    print(await scripts.run("from_urls", book))


@script
async def check_sheet(book: xw.Book):
    """Highlight problems and list them on the App Link Check sheet."""
    print(await scripts.run("check_sheet", book))


@script
async def clear_flags(book: xw.Book):
    """Remove what Check Sheet added."""
    print(await scripts.run("clear_flags", book))


@script
async def cloze_csv(book: xw.Book):
    """Put the Cloze import file on the Cloze CSV sheet, ready to save as CSV UTF-8."""
    print(await scripts.run("cloze_csv", book))
