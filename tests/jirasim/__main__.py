"""Command line entry point: ``python -m jirasim``."""

import errno
import sys

from jirasim.server import build_parser, main

try:
    sys.exit(main(sys.argv[1:]))
except OSError as exc:
    # A port that is taken (or not ours to bind) is a user's mistake, not a bug: one line, not a traceback.
    if exc.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
        raise
    args = build_parser().parse_args(sys.argv[1:])
    sys.exit("jirasim: cannot listen on %s port %d: %s. Choose another port with --port N "
             "(make jirasim JIRASIM_PORT=N), or --port 0 for a free one." % (args.host, args.port, exc.strerror))
