# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The deadline of one HTTP exchange (connect, headers, body, trailers), for transport.py.

requests' timeout bounds each socket operation, not the exchange: an answer trickled one byte at a time, or flooded
with endless chunked trailers, would outlast it. Watch ends the exchange when the task's ``timeout`` has passed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import _thread
import socket
import threading

_EXCHANGE = threading.local()  # the watch of the exchange this thread is in, for the pools below


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
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's: wakes a read blocked in TLS too
            except OSError:
                pass


def read_until(watch, answer):
    """Make every later read of ``answer``'s body end at the deadline."""
    response = getattr(answer.raw, "_fp", None)  # urllib3's http.client response, the one that reads the socket
    if getattr(response, "fp", None) is not None:
        response.fp = _DeadlineReader(response.fp, watch)


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
        watch = getattr(_EXCHANGE, "watch", None)
        if watch is not None:
            watch.connection = conn
        return super(_WatchedPool, self)._make_request(conn, *args, **kwargs)


_WATCHED_POOLS = {}


def watched(manager):
    """``manager`` (a PoolManager, ProxyManager or SOCKSProxyManager) with pools that tell the watch their connection."""
    classes = {}
    for scheme, pool in manager.pool_classes_by_scheme.items():
        if not issubclass(pool, _WatchedPool) and pool not in _WATCHED_POOLS:
            _WATCHED_POOLS[pool] = type("Watched" + pool.__name__, (_WatchedPool, pool), {})
        classes[scheme] = _WATCHED_POOLS.get(pool, pool)
    manager.pool_classes_by_scheme = classes
    return manager
