# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/rest/deadline.py, the one place that reaches into urllib3's private parts.

The first tests are tripwires: each fails, naming the part, when urllib3 or requests no longer has what the deadline
uses (on the versions requirements.txt and requirements-2.16.txt pin, they pass). Then what the deadline does with
them (a flood of chunked trailers ends at it), and that a missing part fails the exchange in words, never silently."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import http.client
import inspect
import socket
import threading
import time

import pytest
import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ansible_collections.jiraops.jira.plugins.module_utils.rest import client, deadline, transport
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import CommunicationError

VERSIONS = "urllib3 %s, requests %s" % (urllib3.__version__, requests.__version__)
SIGNED = b"Content-Type: application/json\r\nX-AREQUESTID: 1\r\n"


def _managers():
    managers = [urllib3.PoolManager(), urllib3.ProxyManager("http://127.0.0.1:3128")]
    try:
        from urllib3.contrib.socks import SOCKSProxyManager
    except ImportError:  # PySocks is not installed (the 2.16 venv): urllib3 offers no SOCKS there
        return managers
    return managers + [SOCKSProxyManager("socks5h://127.0.0.1:1080")]


def _serve(answer, flood=b"", seconds=0.0):
    """A server on 127.0.0.1 that answers one request with ``answer``, then sends ``flood`` over and over for
    ``seconds``; its URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer_once():
        conn, dummy = listener.accept()
        conn.recv(65536)
        ends = time.monotonic() + seconds
        try:
            conn.sendall(answer)
            while time.monotonic() < ends:
                conn.sendall(flood)
                time.sleep(0.01)
        except OSError:
            pass  # the client shut the connection down
        conn.close()
        listener.close()
    threading.Thread(target=answer_once, daemon=True).start()
    return "http://127.0.0.1:%d" % listener.getsockname()[1]


# ---------------------------------------------------------------- tripwires: what deadline.py uses is still there

@pytest.mark.parametrize("manager", _managers(), ids=lambda manager: type(manager).__name__)
def test_urllib3_managers_name_their_pool_classes(manager):
    assert isinstance(getattr(manager, "pool_classes_by_scheme", None), dict), (
        "%s: %s.pool_classes_by_scheme is gone; deadline.watched() replaces it" % (VERSIONS, type(manager).__name__))


@pytest.mark.parametrize("pool", [HTTPConnectionPool, HTTPSConnectionPool], ids=lambda pool: pool.__name__)
def test_urllib3_pools_send_through_make_request_on_a_connection(pool):
    method = getattr(pool, "_make_request", None)
    assert callable(method), "%s: %s._make_request is gone; deadline._WatchedPool overrides it" % (
        VERSIONS, pool.__name__)
    first = list(inspect.signature(method).parameters)[1]
    assert first == "conn", "%s: %s._make_request's first argument is %r, not the connection" % (
        VERSIONS, pool.__name__, first)
    assert "self._make_request(" in inspect.getsource(pool.urlopen), (
        "%s: %s.urlopen no longer sends through _make_request" % (VERSIONS, pool.__name__))
    assert "sock" in vars(pool.ConnectionCls("127.0.0.1")), (
        "%s: %s has no sock attribute; Watch shuts it down" % (VERSIONS, pool.ConnectionCls.__name__))


def test_urllib3_responses_read_through_http_clients_reader():
    url = _serve(b"HTTP/1.1 200 OK\r\n" + SIGNED + b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
    with requests.Session() as session:
        answer = session.get(url, stream=True, timeout=5)
        response = getattr(answer.raw, "_fp", None)
        assert isinstance(response, http.client.HTTPResponse), (
            "%s: urllib3's HTTPResponse._fp is %r, not http.client's response" % (VERSIONS, type(response).__name__))
        reader = getattr(response, "fp", None)
        missing = [name for name in ("read", "read1", "readline", "readinto", "peek") if not hasattr(reader, name)]
        assert not missing, "%s: HTTPResponse._fp.fp (%r) lacks %s" % (VERSIONS, reader, ", ".join(missing))
        assert answer.raw.read() == b"{}"


def test_requests_adapters_make_their_managers_where_deadline_wraps_them():
    adapter = HTTPAdapter()
    for name in ("init_poolmanager", "proxy_manager_for", "poolmanager", "proxy_manager"):
        assert hasattr(adapter, name), "%s: requests' HTTPAdapter.%s is gone; transport._Adapter uses it" % (
            VERSIONS, name)
    assert isinstance(transport._Adapter(None, 1).poolmanager.pool_classes_by_scheme["http"](
        "127.0.0.1"), deadline._WatchedPool), "%s: transport._Adapter's pools are not watched" % VERSIONS


# ---------------------------------------------------------------- what the deadline does with them

def test_a_flood_of_chunked_trailers_ends_at_the_deadline():
    """urllib3 reads trailer lines until the blank one, in one read of the body: only the wrapped reader stops it
    (checking the time between body chunks ran for the flood's whole 8 s, and raised nothing)."""
    url = _serve(b"HTTP/1.1 200 OK\r\n" + SIGNED + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n",
                 flood=b"X-Trailer: t\r\n" * 50, seconds=8)
    started = time.monotonic()
    with pytest.raises(CommunicationError) as err:
        client.JiraClient({"url": url, "timeout": 1, "retries": 0}).request("GET", "/x")
    assert time.monotonic() - started < 3
    assert "no answer within 1 seconds (timeout): the whole exchange" in err.value.msg


# ---------------------------------------------------------------- a missing part fails in words, never silently

def test_a_manager_without_pool_classes_is_an_internal_error():
    class Manager:
        pass
    with pytest.raises(deadline.LibraryChanged) as err:
        deadline.watched(Manager())
    assert "urllib3's PoolManager.pool_classes_by_scheme, which is not there with urllib3 " in err.value.msg
    assert err.value.result()["failed"] is True
    assert err.value.fields == {"library_part": "PoolManager.pool_classes_by_scheme"}


def test_a_pool_without_make_request_is_an_internal_error():
    class Manager:
        pool_classes_by_scheme = {"http": type("Pool", (), {})}
    with pytest.raises(deadline.LibraryChanged, match=r"urllib3's Pool\._make_request, which is not there"):
        deadline.watched(Manager())


def test_an_answer_without_its_reader_is_an_internal_error():
    class Answer:
        raw = object()
    with pytest.raises(deadline.LibraryChanged, match=r"urllib3's HTTPResponse\._fp, which is not there"):
        deadline.read_until(deadline.Watch(1), Answer())


def test_pools_that_never_told_the_watch_fail_the_exchange(monkeypatch):
    """A urllib3 whose pools no longer send through _make_request: the exchange fails instead of running unwatched."""
    monkeypatch.setattr(transport, "watched", lambda manager: manager)
    url = _serve(b"HTTP/1.1 200 OK\r\n" + SIGNED + b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
    jira = client.JiraClient({"url": url, "retries": 0})
    jira.transport.session = transport._new_session(None)  # not a spare one made with watched pools
    with pytest.raises(deadline.LibraryChanged, match=r"urllib3's HTTPConnectionPool\._make_request \(not called"):
        jira.request("GET", "/x")


def test_a_library_change_at_startup_is_left_to_the_task(monkeypatch):
    """prepare_sessions runs in Ansible's main process, where an error has no task to fail: the task does."""
    def changed(manager):
        raise deadline.LibraryChanged("PoolManager.pool_classes_by_scheme")
    monkeypatch.setattr(transport, "watched", changed)
    monkeypatch.setattr(transport, "_SPARE_SESSIONS", {})
    transport.prepare_sessions({})
    with pytest.raises(deadline.LibraryChanged):
        client.JiraClient({"url": "http://127.0.0.1:9"})
