"""Excel surface: the ribbon actions, the add-in builder, its installer and the worksheet functions.

Nothing here imports xlwings at module level (``import applinks.excel`` works without it):
:mod:`applinks.excel.udfs` is the one module that needs it to import, the ribbon actions
(:mod:`applinks.excel.actions`) import it only when Excel calls them, and the builder only while
building.
"""
