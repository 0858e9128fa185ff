"""Regenerate the shipped example workbook: ``python -m applinks.examples``."""

from pathlib import Path

from applinks.examples import EXAMPLE_FILE
from applinks.files.example_book import build_example

build_example(Path(__file__).with_name(EXAMPLE_FILE))
