# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile answers (issue [I]): a server that echoes the request back in every form, and servers whose paging never
ends. Both execution paths, at -vvvv; the bound of each case (requests, seconds) and the absence of every secret form,
whole or in pieces, are asserted."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import random
import re
import stat
import threading
import time

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from safety_support import SecretScanner, assert_no_secrets, dump_results_task, play

REQUEST = "jiraops.jira.jira_request"
PATHS = ("controller", "module")
PIECE = 10  # characters: any piece of a secret this long found anywhere is a leak


def _password_whose_base64_has_a_slash(user):
    """A password whose Basic form holds '/' and '+', so that JSON's '\\/' and URL-encoding change it."""
    chooser = random.Random(user)
    for dummy in range(3000):
        password = u"Ech\u00f6-Secr\u00e9t:" + "".join(chooser.choice("?>~{}|_-^=") for dummy2 in range(8))
        encoded = base64.b64encode(("%s:%s" % (user, password)).encode("utf-8")).decode("ascii")
        if "/" in encoded and "+" in encoded:
            return password
    raise AssertionError("no such password")


ECHO_CASES = ["text_long", "text_slash", "json_key", "html_title", "dest"]
USERS = dict((case, "echo-%s" % case.replace("_", "-")) for case in ECHO_CASES)
PASSWORDS = dict((case, _password_whose_base64_has_a_slash(USERS[case])) for case in ECHO_CASES)


class Hostile(BaseHTTPRequestHandler):
    """Echo and paging answers by the first path segment; counts requests per segment."""

    counts = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        kind = parts.path.strip("/").split("/")[0]
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            count = self.counts[kind]
        query = dict((k, v[0]) for k, v in parse_qs(parts.query).items())
        if kind == "endless-trailers":
            return self._trail()
        status, content_type, body = getattr(self, "_" + kind.replace("-", "_"))(query, count)
        data = body if isinstance(body, bytes) else (json.dumps(body) if not isinstance(body, str) else body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _auth(self):
        return self.headers.get("Authorization", "")

    # -- echoes: the request's Authorization header comes back
    def _text_long(self, query, count):
        # The header sits past the 300th character, where the old message cut the body.
        return 400, "text/plain", "You sent:" + " " * 280 + "Authorization: %s (end)" % self._auth()

    def _text_slash(self, query, count):
        return 400, "text/plain", '{"seen": %s}' % json.dumps(self._auth()).replace("/", "\\/")

    def _json_key(self, query, count):
        return 200, "application/json", {self._auth(): "the header, as a key", "headers": {"Authorization": self._auth()}}

    def _html_title(self, query, count):
        return 500, "text/html", "<html><head><title>Echo %s</title></head><body>x</body></html>" % (self._auth() * 3)

    def _dest(self, query, count):
        return 200, "application/json", {"echo": self._auth()}

    # -- paging that never ends
    def _ignores_start(self, query, count):
        return 200, "application/json", {"startAt": 0, "maxResults": 1, "total": 10 ** 12, "issues": [{"id": "1"}]}

    def _live_feed(self, query, count):
        return 200, "application/json", {"startAt": 0, "maxResults": 1, "total": 10 ** 12, "issues": [{"id": str(count)}]}

    def _same_token(self, query, count):
        return 200, "application/json", {"issues": [{"id": str(count)}], "nextPageToken": "same"}

    def _huge_total(self, query, count):
        start = int(query.get("startAt", 0))
        return 200, "application/json", {"startAt": start, "maxResults": 1, "total": 10 ** 12, "issues": [{"id": str(start)}]}

    def _endless_trailers(self, query, count):
        return None  # answered by do_GET itself: see _trail

    def _trail(self):
        """200 with a 5-byte chunked body, then trailer lines for up to 20 s (2 million lines is a few seconds of them):
        only a deadline over the whole exchange stops a client that reads trailers until the blank line."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.write(b"2\r\n{}\r\n0\r\n")
        line = b"X-Trailer: " + b"t" * 64 + b"\r\n"
        stop = time.monotonic() + 20
        try:
            while time.monotonic() < stop:
                self.wfile.write(line * 1000)
        except OSError:
            pass  # the client gave up: that is the point
        self.close_connection = True

    def _bad_total(self, query, count):
        return 200, "application/json", {"startAt": 0, "maxResults": 1, "total": "lots", "issues": [{"id": "1"}]}


@pytest.fixture()
def hostile():
    Hostile.counts = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever)
    thread.daemon = True
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()


def _scanner():
    scanner = SecretScanner()
    for case in ECHO_CASES:
        scanner.add_basic(case, USERS[case], PASSWORDS[case])
        encoded = base64.b64encode(("%s:%s" % (USERS[case], PASSWORDS[case])).encode("utf-8")).decode("ascii")
        scanner.add_secret(case + " base64 with '/' escaped", encoded.replace("/", "\\/"))
        for whole in (encoded, PASSWORDS[case]):
            for start in range(len(whole) - PIECE + 1):
                scanner._add("%s: a %d-character piece of a secret" % (case, PIECE), whole[start:start + PIECE])
    return scanner


@pytest.mark.parametrize("execution", PATHS)
def test_echoed_credentials_never_show_whole_or_in_pieces(hostile, ansible, tmp_path, execution):
    fifo_dir = str(tmp_path)
    kept = os.path.join(fifo_dir, "kept.json")
    with open(kept, "w") as handle:
        handle.write("old")
    os.chmod(kept, 0o600)
    tasks = []
    for case in ECHO_CASES:
        args = {"url": hostile, "username": USERS[case], "password": PASSWORDS[case], "path": "/%s/x" % case.replace("_", "-")}
        if case == "dest":
            args["dest"] = kept
        tasks.append({"name": case, REQUEST: args, "register": case, "ignore_errors": True})
    tasks.append(dump_results_task(ECHO_CASES))
    run = ansible.playbook([play(tasks, hosts="localhost")], extra_vars={"jiraops_jira_execution": execution},
                           extra_args=["-vvvv"])
    assert run.rc == 0, run.describe()
    results = dict((name, hosts["localhost"]) for name, hosts in run.out_json("results.json").items())
    assert_no_secrets(_scanner(), run.scan_targets() + [("the dest file", kept)], "echo (%s path)" % execution)
    assert results["text_long"]["failed"]
    assert re.search(r"with 400: \(\d+ bytes of text/plain, in the result's content\)$", results["text_long"]["msg"])
    assert "********" in results["text_long"]["content"]
    assert "********" in results["text_slash"]["content"]
    assert any("********" in key for key in results["json_key"]["json"]), results["json_key"]["json"]
    assert results["html_title"]["failed"] and "Echo ********" in results["html_title"]["msg"]
    assert results["dest"]["failed"] and results["dest"]["changed"] is False
    assert "contains the task's credentials" in results["dest"]["msg"]
    with open(kept) as handle:
        assert handle.read() == "old"
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert [name for name in os.listdir(fifo_dir) if name.startswith(".jira_request.")] == []


PAGING_CASES = [
    # startAt with a total: up to concurrent_pages (4) pages are asked for ahead, no more
    ("ignores_start", {}, "does not advance: page 2 holds the same items as page 1", 1 + 4),
    ("live_feed", {}, "does not advance: page 2 asks for startAt=1 again", 1 + 4),
    ("same_token", {}, "does not advance: page 2 asks for the same nextPageToken again", 2),
    ("huge_total", {"max_pages": 40}, "stopped after 40 pages (max_pages) with more to come", 40 + 4),
    ("bad_total", {}, "has a total that is not a whole number (a JSON string)", 1),
]


@pytest.mark.parametrize("execution", PATHS)
def test_paging_that_never_ends_is_bounded(hostile, ansible, execution):
    tasks = []
    for case, extra, dummy, dummy2 in PAGING_CASES:
        args = dict({"url": hostile, "username": "pager-" + case.replace("_", "-"), "password": "pager-pw",
                     "path": "/%s/rest/api/2/search" % case.replace("_", "-"), "paginate": True}, **extra)
        tasks.append({"name": case, REQUEST: args, "register": case, "ignore_errors": True})
    tasks.append(dump_results_task([case[0] for case in PAGING_CASES]))
    started = time.monotonic()
    run = ansible.playbook([play(tasks, hosts="localhost")], extra_vars={"jiraops_jira_execution": execution})
    took = time.monotonic() - started
    assert run.rc == 0, run.describe()
    assert "Traceback" not in run.output and "MemoryError" not in run.output
    results = dict((name, hosts["localhost"]) for name, hosts in run.out_json("results.json").items())
    for case, dummy, message, most in PAGING_CASES:
        result = results[case]
        assert result["failed"] and message in result["msg"], (case, result["msg"])
        assert result["changed"] is False
        assert Hostile.counts.get(case.replace("_", "-"), 0) <= most, (case, Hostile.counts)
    assert took < 60, took


@pytest.mark.parametrize("execution", PATHS)
def test_endless_chunked_trailers_end_at_the_deadline(hostile, ansible, execution):
    task = {"name": "trailers", REQUEST: {"url": hostile, "path": "/endless-trailers/rest/api/2/myself", "timeout": 2,
                                          "retries": 0}, "register": "trailers", "ignore_errors": True}
    started = time.monotonic()
    run = ansible.playbook([play([task, dump_results_task(["trailers"])], hosts="localhost")],
                           extra_vars={"jiraops_jira_execution": execution})
    took = time.monotonic() - started
    assert run.rc == 0, run.describe()
    result = run.out_json("results.json")["trailers"]["localhost"]
    assert result["failed"] and "timeout" in result["msg"], result["msg"]
    assert took < 15, took  # the deadline (2 s) plus Ansible's own start; the server would go on for 20 s
