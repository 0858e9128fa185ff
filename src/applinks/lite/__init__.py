"""The xlwings Lite edition: worksheet functions and scripts that run inside Excel, no Python
to install (Windows, macOS and Excel on the web).

:mod:`applinks.lite.functions` holds the range forms of the worksheet functions,
:mod:`applinks.lite.scripts` the actions, and ``main.py`` (in this folder) the text pasted into
xlwings Lite's editor, which only declares them with Lite's ``@func`` and ``@script``.
:mod:`applinks.lite.build` writes that ``main.py`` and the ``requirements.txt`` to paste.
Nothing here imports xlwings at import time except ``main.py``.
"""
