"""Excel surface: the ribbon actions, the add-in builder, its installer and the worksheet functions.

Nothing here imports xlwings at module level: ``applinks.excel.udfs`` is the one module that
needs it, the ribbon actions (``applinks.excel.actions``) import it only when Excel calls them,
and the builder imports it only while building.
"""
