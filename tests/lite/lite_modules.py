"""What xlwings Lite imports of this package, and the desktop packages it must do without.

Read by the CPython check (tests/lite/test_core_imports.py) and, copied into Pyodide as it is,
by the run there (tests/lite/in_pyodide.py): nothing here imports pytest.
"""

#: The core and the Lite edition: each must import with the desktop packages absent.
MODULES = [
    "applinks",
    "applinks.checks",
    "applinks.operations",
    "applinks.registry",
    "applinks.rules",
    "applinks.udfs",
    "applinks.udf_ranges",
    "applinks.files.csv_out",
    "applinks.lite.functions",
    "applinks.lite.scripts",
    "applinks.lite.build",
]

#: The file readers', the CLI's and Excel's packages (and xlwings itself).
DESKTOP_PACKAGES = ["python_calamine", "click", "openpyxl", "defusedxml", "olefile", "xlwings"]
