# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The deadline of one HTTP exchange (connect, headers, body, trailers), for transport.py; the ONE place where the
collection reaches into urllib3's private parts.

requests' timeout bounds each socket operation, not the exchange: an answer trickled one byte at a time, or flooded
with endless chunked trailers, would outlast it. Watch ends the exchange when the task's ``timeout`` has passed.

Why private parts: no public API of requests or urllib3 bounds a whole exchange. The status line and headers are read
inside requests' Session.send (urllib3's pool, then http.client), one short read per line; the chunked trailers are
read by urllib3 in one loop until the blank line, inside one read of the body. Checking the time between the body's
chunks (stream=True, iter_content, read1) comes too late for both: a trickled header took 5.5 s with timeout 1, a flood
of trailers 12 s (the whole flood) and no error (tests/unit/.../http/test_transport.py
test_a_trickled_answer_stops_at_the_deadline[headers], tests/safety/test_hostile_answers.py
test_endless_chunked_trailers_end_at_the_deadline). What is used, each checked against the pinned versions by
tests/unit/plugins/module_utils/rest/test_deadline.py:

- ``PoolManager.pool_classes_by_scheme``: the pool classes a manager makes, replaced by watched subclasses;
- ``HTTPConnectionPool._make_request(conn, ...)``: where a pool sends on a connection, so the watch learns which socket
  to shut down at the deadline;
- ``HTTPResponse._fp.fp``: urllib3's http.client response and the socket reader under it, wrapped so that every read
  past the deadline finds the end of the answer.

When one of them is missing at run time, the task fails with LibraryChanged naming it: it never runs without its
deadline.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import _thread
import socket
import sys
import threading

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import JiraError

_EXCHANGE = threading.local()  # the watch of the exchange this thread is in, for the pools below


class LibraryChanged(JiraError):
    """urllib3 (or requests) no longer has a private part the deadline needs: an internal error, never a silent run
    without the deadline."""

    def __init__(self, part):
        versions = ", ".join("%s %s" % (name, getattr(sys.modules.get(name), "__version__", "(not loaded)"))
                             for name in ("urllib3", "requests"))
        super(LibraryChanged, self).__init__(
            "Internal error in jiraops.jira: the deadline of each HTTP exchange (the option timeout) needs urllib3's "
            "%s, which is not there with %s. Install the urllib3 and requests versions in the collection's "
            "requirements.txt, and report this to the collection's maintainers." % (part, versions), library_part=part)


def required(owner, name, part):
    """``owner.name``, or LibraryChanged naming ``part`` (as in 'HTTPResponse._fp')."""
    try:
        return getattr(owner, name)
    except AttributeError:
        raise LibraryChanged(part)


class Watch:
    """The deadline of one exchange: when it passes, the connection in use is shut down, so no answer trickled byte by
    byte (headers or body) outlasts it. A bare thread waits on a lock (a threading.Timer costs ten times as much)."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.expired = False
        self.connection = None
        self._done = _thread.allocate_lock()
        self._done.acquire()

    def __enter__(self):
        _EXCHANGE.watch = self
        _thread.start_new_thread(self._wait, ())
        return self

    def __exit__(self, *exc_info):
        _EXCHANGE.watch = None
        self._done.release()

    def _wait(self):
        if self._done.acquire(timeout=self.seconds):
            return
        self.expired = True
        sock = self.connection.sock if self.connection is not None else None  # None: not connected yet
        if sock is not None:
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's: wakes a read blocked in TLS too
            except OSError:
                pass

    def answered(self):
        """Called once the answer's headers are in: the pool must have told which connection it used (else the
        deadline could not have shut it down)."""
        if self.connection is None:
            raise LibraryChanged("HTTPConnectionPool._make_request (not called: the deadline did not see the "
                                 "connection)")


def read_until(watch, answer):
    """Make every later read of ``answer``'s body end at the deadline."""
    response = required(answer.raw, "_fp", "HTTPResponse._fp")  # urllib3's http.client response, which reads the socket
    reader = required(response, "fp", "HTTPResponse._fp.fp")
    if reader is not None:  # None: http.client already read the whole (empty) body and let the socket go
        response.fp = _DeadlineReader(reader, watch)


class _DeadlineReader:
    """A socket reader that reads nothing more once the exchange's deadline has passed.

    Shutting the socket down stops an answer that trickles, not one that floods: on Linux data that keeps arriving
    after SHUT_RD is still read, and urllib3 reads chunked trailer lines until the blank line however many come. Here
    each read checks the deadline first, and past it finds the end of the answer, so the flood ends within one line."""

    def __init__(self, reader, watch):
        self._reader = reader
        self._watch = watch

    def __getattr__(self, name):
        return getattr(self._reader, name)

    def read(self, *args):
        return b"" if self._watch.expired else self._reader.read(*args)

    def read1(self, *args):
        return b"" if self._watch.expired else self._reader.read1(*args)

    def readline(self, *args):
        return b"" if self._watch.expired else self._reader.readline(*args)

    def readinto(self, buffer):
        return 0 if self._watch.expired else self._reader.readinto(buffer)

    def peek(self, *args):
        return b"" if self._watch.expired else self._reader.peek(*args)


class _WatchedPool:
    """Mixed into urllib3's connection pools: tells the exchange's watch which connection it uses."""

    def _make_request(self, conn, *args, **kwargs):
        watch = getattr(_EXCHANGE, "watch", None)  # None: no exchange of ours in this thread
        if watch is not None:
            required(conn, "sock", "HTTPConnection.sock")
            watch.connection = conn
        return super(_WatchedPool, self)._make_request(conn, *args, **kwargs)


_WATCHED_POOLS = {}


def watched(manager):
    """``manager`` (a PoolManager, ProxyManager or SOCKSProxyManager) with pools that tell the watch their
    connection."""
    classes = {}
    for scheme, pool in required(manager, "pool_classes_by_scheme", "PoolManager.pool_classes_by_scheme").items():
        required(pool, "_make_request", "%s._make_request" % pool.__name__)
        if not issubclass(pool, _WatchedPool) and pool not in _WATCHED_POOLS:
            _WATCHED_POOLS[pool] = type("Watched" + pool.__name__, (_WatchedPool, pool), {})
        classes[scheme] = _WATCHED_POOLS.get(pool, pool)
    manager.pool_classes_by_scheme = classes
    return manager
