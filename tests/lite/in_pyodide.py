# Runs inside Pyodide (tests/lite/test_pyodide.py): the shared result tables of the worksheet
# functions, through the plain functions and through the Lite range functions, plus which
# modules the core needs. The last expression is the JSON the test reads.
import importlib
import json
import sys

sys.path.insert(0, "/tests")

import lite_modules  # noqa: E402

before = set(sys.modules)
for name in lite_modules.MODULES:
    importlib.import_module(name)
loaded = sorted({m.split(".")[0] for m in set(sys.modules) - before} - set(sys.stdlib_module_names))

import udf_cases  # noqa: E402
from applinks import udfs  # noqa: E402
from applinks.lite import functions  # noqa: E402

absent = []
for name in lite_modules.DESKTOP_PACKAGES:
    try:
        importlib.import_module(name)
    except ImportError:
        absent.append(name)

json.dumps(
    {
        "platform": sys.platform,
        "cases": {c[0]: getattr(udfs, c[1])(*c[2], **c[3]) for c in udf_cases.CASES},
        "ranges": {c[0]: getattr(functions, c[1])(*c[2]) for c in udf_cases.RANGE_CASES},
        "templates": {
            c[0]: getattr(functions, c[1])(*c[2], templates=udf_cases.TEMPLATES_CELLS)
            for c in udf_cases.TEMPLATE_CASES
        },
        "loaded": loaded,
        "absent": absent,
    }
)
