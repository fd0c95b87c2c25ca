"""Command line entry point: ``python -m jirasim``."""

import sys

from jirasim.server import main

sys.exit(main(sys.argv[1:]))
