"""cloze-applinks: prepare spreadsheets for a Cloze import with App Links."""

__version__ = "0.1.0"
