"""Excel surface: the add-in builder, its installer and the xlwings worksheet functions.

Nothing here imports xlwings at module level: ``applinks.excel.udfs`` is the one module that
needs it, and the builder imports it only while building.
"""
