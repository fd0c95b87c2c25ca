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
FRED = {"username": "fred", "password": "fred"}
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
        data = body if isinstance(body,
                                  bytes) else (json.dumps(body) if not isinstance(body, str) else body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        # Jira's signature (an answer without a header Jira sends is not taken as Jira's): this server plays a hostile
        # Jira, or a proxy that passes Jira's headers on, so its answers are judged as Jira's.
        self.send_header("X-AREQUESTID", "1158x%dx1" % count)
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
        return 200, "application/json", {self._auth(): "the header, as a key",
                                         "headers": {"Authorization": self._auth()}}

    def _html_title(self, query, count):
        return 500, "text/html", "<html><head><title>Echo %s</title></head><body>x</body></html>" % (self._auth() * 3)

    def _dest(self, query, count):
        return 200, "application/json", {"echo": self._auth()}

    # -- paging that never ends
    def _ignores_start(self, query, count):
        return 200, "application/json", {"startAt": 0, "maxResults": 1, "total": 10 ** 12, "issues": [{"id": "1"}]}

    def _live_feed(self, query, count):
        return 200, "application/json", {"startAt": 0, "maxResults": 1, "total": 10 ** 12,
                                         "issues": [{"id": str(count)}]}

    def _same_token(self, query, count):
        return 200, "application/json", {"issues": [{"id": str(count)}], "nextPageToken": "same"}

    def _huge_total(self, query, count):
        start = int(query.get("startAt", 0))
        return 200, "application/json", {"startAt": start, "maxResults": 1, "total": 10 ** 12,
                                         "issues": [{"id": str(start)}]}

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
        args = {"url": hostile, "username": USERS[case], "password": PASSWORDS[case], "path": "/%s/x"
                % case.replace("_", "-")}
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


# ---------------------------------------------------------------------------------------------------------------
# Issue #20: answers whose shape is not Jira's, a comment list that never ends, a wrong context path. jirasim's faults
# answer before Jira is reached, so nothing is really created: the client cannot tell, which is the point. Each
# answer carries a header Jira sends (SIGNED): these are odd answers from Jira itself, not from something else.
# ---------------------------------------------------------------------------------------------------------------

AUTH = "jiraops.jira.jira_auth_check"
ISSUE = "jiraops.jira.jira_issue"
COMMENT = "jiraops.jira.jira_comment"
ATTACHMENT = "jiraops.jira.jira_attachment"
LOGINS = {"server": {"username": "fred", "password": "fred"},
          "cloud": {"username": "fred@example.com", "password": "ATATT3xFfGF0fredTOKEN0000"}}
SIGNED = {"X-AREQUESTID": "1158x20x1"}
REPEATED_PAGE = {"startAt": 0, "maxResults": 100, "total": 1000000, "comments": [{"id": "1", "body": "someone else's"}]}

# (case, module, args, fault (method, path after /rest/api/N, action, spec), what the message says, changed)
ANSWER_CASES = [
    ("issue_created_without_key", ISSUE, {"match_jql": "project = TEST AND labels = none-such", "project": "TEST",
                                          "summary": "Made, key unknown"},
     ("POST", "/issue", "status", {"status": 201, "body": {"id": "10999"}, "headers": SIGNED}),
     "Jira answered 201, so the issue was created in project TEST, but its key is not known", True),
    ("comment_created_without_id", COMMENT, {"issue": "TEST-1", "body": "Made, id unknown", "marker": "m-20"},
     ("POST", "/issue/TEST-1/comment", "status", {"status": 201, "body": {"self": None}, "headers": SIGNED}),
     "so the comment was created, but its id is not known", True),
    ("attachment_answer_not_a_list", ATTACHMENT, {"issue": "TEST-1", "content": "x", "filename": "issue20.txt"},
     ("POST", "/issue/TEST-1/attachments", "status", {"status": 200, "body": {"id": "1"}, "headers": SIGNED}),
     "with 200, so the file was attached, but its answer is not usable", True),
    ("request_write_answer_unreadable", REQUEST,
     {"method": "POST", "path": "/rest/api/2/issue/TEST-2/comment", "body": {"body": "x"}},
     ("POST", "/issue/TEST-2/comment", "status",
      {"status": 200, "body": '{"id": "10", "body": ', "content_type": "application/json", "headers": SIGNED}),
     "so the write was done, but its answer cannot be read", True),
    ("issue_transitions_not_a_list", ISSUE, {"key": "TEST-3", "status": "Done"},
     ("GET", "/issue/TEST-3/transitions", "status",
      {"status": 200, "body": {"transitions": {"id": "31"}}, "headers": SIGNED}),
     "has no usable 'transitions' (a list expected; it is an object)", False),
    ("comment_pages_do_not_advance", COMMENT, {"issue": "TEST-4", "body": "Never posted"},
     ("GET", "/issue/TEST-4/comment", "status", {"status": 200, "body": REPEATED_PAGE, "headers": SIGNED}),
     "/issue/TEST-4/comment does not advance: page 2 ", False),
]


WRONG_CONTEXT_PAGE = ("<html><head><title>Oops, you&#39;ve found a dead link. - JIRA</title></head>"
                      "<body><h1>Oops, you've found a dead link.</h1></body></html>")
# url http://host/jira where Jira is at http://host/: Jira's own 404 'dead link' page, with Seraph's OK and the user's
# name, answers every REST path (it used to end in "'NoneType' object has no attribute 'get'").
WRONG_CONTEXT_CASES = [
    ("context_check", AUTH, {}),
    ("context_request", REQUEST, {"path": "/rest/api/2/issue/TEST-1"}),
    ("context_issue", ISSUE, {"key": "TEST-1", "summary": "x"}),
    ("context_comment", COMMENT, {"issue": "TEST-1", "body": "x"}),
]


@pytest.fixture(scope="module")
def cloud_sim(jirasim_factory):
    return jirasim_factory("--flavor", "cloud")


def _answer_tasks(flavor, version):
    tasks = [{"name": "Prove the login", AUTH: dict(LOGINS[flavor], url="{{ url }}", server_info=False)}]
    for case, module, args, dummy, dummy2, dummy3 in ANSWER_CASES:
        task_args = dict(LOGINS[flavor], url="{{ url }}", **args)
        if module == REQUEST:
            task_args["path"] = task_args["path"].replace("/rest/api/2/", "/rest/api/%s/" % version)
        tasks.append({"name": case, module: task_args, "register": case, "ignore_errors": True})
    for case, module, args in WRONG_CONTEXT_CASES:
        tasks.append({"name": case, module: dict(LOGINS[flavor], url="{{ url }}/jira", **args), "register": case,
                      "ignore_errors": True})
    return tasks + [dump_results_task([case[0] for case in ANSWER_CASES + WRONG_CONTEXT_CASES])]


@pytest.mark.parametrize("flavor", ("server", "cloud"))
@pytest.mark.parametrize("execution", PATHS)
def test_answers_are_checked_where_they_are_used(module_sim, cloud_sim, ansible, execution, flavor):
    """A field the module uses that is missing or of the wrong type fails in words, changed when a write was answered
    2xx; a comment list whose pages repeat stops at page 2; a wrong context path in url is named by every module."""
    sim = cloud_sim if flavor == "cloud" else module_sim
    sim.reset()
    version = "3" if flavor == "cloud" else "2"
    # The most specific paths first: a fault's path matches as a prefix, and the first armed match answers.
    for dummy, dummy2, dummy3, (method, tail, action, spec), dummy4, dummy5 in \
            sorted(ANSWER_CASES, key=lambda c: -len(c[3][1])):
        sim.fault(action, match={"method": method, "path": "/rest/api/%s%s" % (version, tail)}, count=0, **spec)
    sim.fault("status", match={"path": "/jira/"}, count=0, status=404, body=WRONG_CONTEXT_PAGE,
              headers={"X-Seraph-LoginReason": "OK", "X-AUSERNAME": "fred"})
    run = ansible.playbook([play(_answer_tasks(flavor, version), hosts="localhost")],
                           extra_vars={"url": sim.url, "jiraops_jira_execution": execution})
    assert run.rc == 0, run.describe()
    results = dict((name, hosts["localhost"]) for name, hosts in run.out_json("results.json").items())
    expected = [(case, message, changed) for case, dummy, dummy2, dummy3, message, changed in ANSWER_CASES]
    expected += [(case, "with 404 and an HTML page instead of its REST API's JSON: its REST API is not at that path. "
                        "Check the context path in url (%s/jira)" % sim.url, False)
                 for case, dummy, dummy2 in WRONG_CONTEXT_CASES]
    # Every case is judged before the assert, so that a failure lists them all.
    wrong = ["%s: failed=%s changed=%s error_kind=%s msg=%s"
             % (case, results[case].get("failed"), results[case].get("changed"), results[case].get("error_kind"),
                results[case].get("msg"))
             for case, message, changed in expected
             if not (results[case].get("failed") and message in results[case]["msg"]
                     and results[case]["changed"] is changed and results[case].get("error_kind") == "response")]
    # The repeated comment page is asked for twice: the first page, and the one that repeats it (a fault's answer is
    # "(unmatched)" in jirasim's routes, so its log says which path each was).
    repeated_reads = len([entry for entry in sim.stats()["log"] if entry["path"] == "/rest/api/%s/issue/TEST-4/comment"
                          % version])
    assert not wrong and repeated_reads == 2, \
        "\n".join(wrong + ["repeated comment page read %d times" % repeated_reads])
    assert "Traceback" not in run.output and "NoneType" not in run.output
    assert results["issue_created_without_key"]["created"] is True
    assert results["context_check"]["healthy"] is False
