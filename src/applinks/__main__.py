"""Run the command line: ``python -m applinks``."""

from applinks.cli import main

main()
