"""Run the command line with ``python -m applinks``."""

from applinks.cli import main

if __name__ == "__main__":
    main()
