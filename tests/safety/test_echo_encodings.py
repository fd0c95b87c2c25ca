# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A server that echoes the credentials it received, in every encoding, leaks nothing.

The echo server answers like Jira (Seraph's OK naming the user; on Cloud the account id) and sends back the password,
the token, base64(user:password) and the whole Authorization header, each percent-encoded (lower-case hex, every
byte, twice, '+' for space), as HTML entities (decimal, hex), as \\u escapes of every character, upper-cased and
line-wrapped: in a JSON body (values and keys), a text body, headers, an error body, and pages of a search.
jira_auth_check and jira_request (registered, and with dest, paged or not) run at -vvvv on both execution paths with a
Basic password, a Data Center PAT and a Cloud e-mail + API token: no form of a secret, and no piece of 6 characters,
anywhere.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import threading
import urllib.parse

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from safety_support import PASSWORD, TOKEN, SecretScanner, assert_no_secrets, dump_results_task, play

AUTH = "jiraops.jira.jira_auth_check"
REQUEST = "jiraops.jira.jira_request"
USER = "echoer"
CLOUD_EMAIL = "echo.cloud@example.com"
CLOUD_TOKEN = "ATATT3xFfGF0EchoCloud-Kq2Lm7Np4Rs9Tv3Wx"
MASK = "********"


def _lower_hex(text):
    quoted = urllib.parse.quote(text, safe="")
    return "".join(part if not part.startswith("%") else part.lower() for part in _percent_parts(quoted))


def _percent_parts(quoted):
    parts, index = [], 0
    while index < len(quoted):
        size = 3 if quoted[index] == "%" else 1
        parts.append(quoted[index:index + size])
        index += size
    return parts


def _wrapped(text, breaker, width=7):
    return breaker.join(text[start:start + width] for start in range(0, len(text), width))


# Each encoding the echo uses, and whether it fits in a header (ASCII, no line break).
ENCODINGS = [
    ("percent, lower-case hex", _lower_hex, True),
    ("percent, every byte", lambda text: "".join("%%%02X" % byte for byte in text.encode("utf-8")), True),
    ("percent, every byte, lower-case hex", lambda text: "".join("%%%02x" % byte for byte in text.encode("utf-8")),
     True),
    ("percent, twice", lambda text: urllib.parse.quote(urllib.parse.quote(text, safe=""), safe=""), True),
    ("percent, '+' for space", urllib.parse.quote_plus, True),
    ("HTML decimal entities", lambda text: "".join("&#%d;" % ord(char) for char in text), True),
    ("HTML hex entities", lambda text: "".join("&#x%x;" % ord(char) for char in text), True),
    ("\\u escape of every character", lambda text: "".join("\\u%04x" % ord(char) for char in text), True),
    ("\\u escape, upper-case hex", lambda text: "".join("\\u%04X" % ord(char) for char in text), True),
    ("upper-cased", lambda text: text.upper(), False),
    ("line-wrapped (LF)", lambda text: _wrapped(text, "\n"), False),
    ("line-wrapped (CRLF)", lambda text: _wrapped(text, "\r\n"), False),
    ("line-wrapped (spaces)", lambda text: _wrapped(text, " "), True),
]
# Encodings that can coincide with a form masking.secret_forms lists.
KNOWN_SPELLINGS = ("percent, lower-case hex", "percent, '+' for space")


def received_secrets(authorization):
    """(user, the secrets in an Authorization header): the header, and the password and base64, or the token."""
    kind, dummy, value = (authorization or "").partition(" ")
    if kind == "Basic":
        user, dummy, password = base64.b64decode(value).decode("utf-8").partition(":")
        return user, [authorization, value, password]
    return "pat-user", [authorization, value] if value else []


def echoes(secrets, in_header=False):
    """(label, encoded) for every secret and encoding."""
    return [("%d %s" % (number, label), encode(secret)) for number, secret in enumerate(secrets)
            for label, encode, header_safe in ENCODINGS if header_safe or not in_header]


class EchoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        user, secrets = received_secrets(self.headers.get("Authorization"))
        path, dummy, query = self.path.partition("?")
        status, body, kind = self._answer(path, urllib.parse.parse_qs(query), user, secrets)
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if self.server.cloud:
            self.send_header("X-AACCOUNTID", "5b10ac8d82e05b22cc7d4ef5")
        else:
            self.send_header("X-AUSERNAME", user)
            self.send_header("X-Seraph-LoginReason", "OK")
        if path.startswith("/echo") or path.endswith("/myself"):
            for number, (label, encoded) in enumerate(echoes(secrets, in_header=True)):
                self.send_header("X-Echo-%02d" % number, encoded)
        self.end_headers()
        self.wfile.write(data)

    def _answer(self, path, query, user, secrets):
        found = dict(echoes(secrets))
        as_json = {"echo": found, "keys": dict((encoded, label) for label, encoded in found.items()),
                   "errorMessages": list(found.values())}
        if path == "/rest/api/2/serverInfo":
            return 200, json.dumps({"baseUrl": "http://echo", "version": "9.12.2", "versionNumbers": [9, 12, 2],
                                    "deploymentType": "Cloud" if self.server.cloud else "Server"}), "application/json"
        if path.endswith("/myself"):
            me = {"name": user, "key": "JIRAUSER10900", "displayName": " / ".join(found.values()), "active": True}
            if self.server.cloud:
                me = {"accountId": "5b10ac8d82e05b22cc7d4ef5", "emailAddress": user, "displayName": me["displayName"],
                      "active": True}
            return 200, json.dumps(me), "application/json"
        if path.endswith("/mypermissions") or path == "/echo/fail":
            return 400, json.dumps(as_json), "application/json"
        if path == "/echo/odd":  # only encodings that no known form matches: the normal form alone finds them
            odd = [encoded for label, encoded in found.items() if label.split(" ", 1)[1] not in KNOWN_SPELLINGS]
            return (200, json.dumps({"issues": [{"fields": {"summary": encoded}} for encoded in odd]}),
                    "application/json")
        if path == "/echo/text":
            return 200, "\n".join("%s: %s" % pair for pair in found.items()), "text/plain; charset=utf-8"
        if path == "/echo/search":
            start = int((query.get("startAt") or ["0"])[0])
            issues = [{"key": "ECHO-%d" % number, "fields": {"summary": encoded}} for number,
                      encoded in enumerate(found.values())]
            return 200, json.dumps({"startAt": start, "maxResults": 5, "total": len(issues),
                                    "issues": issues[start:start + 5]}), "application/json"
        return 200, json.dumps(as_json), "application/json"


@pytest.fixture(scope="module")
def echo_servers():
    """{"server": url, "cloud": url}: an echo server answering as Jira Data Center, and one answering as Jira Cloud."""
    servers, urls = [], {}
    for flavor in ("server", "cloud"):
        server = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
        server.daemon_threads = True
        server.cloud = flavor == "cloud"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[flavor] = "http://127.0.0.1:%d" % server.server_address[1]
    yield urls
    for server in servers:
        server.shutdown()
        server.server_close()


CREDENTIALS = {
    "basic": {"url": "{{ server_url }}", "username": USER, "password": "{{ P }}"},
    "pat": {"url": "{{ server_url }}", "token": "{{ T }}"},
    "cloud": {"url": "{{ cloud_url }}", "username": CLOUD_EMAIL, "password": "{{ CT }}"},
}
# (task, module, args, what a failure says, or None when it succeeds). A message that quotes the echo is masked whole.
CALLS = [
    ("auth", AUTH, {}, None),
    ("auth_permissions", AUTH, {"permissions": ["BROWSE_PROJECTS"]}, MASK),
    ("json", REQUEST, {"path": "/echo/json"}, None),
    ("text", REQUEST, {"path": "/echo/text"}, None),
    ("error", REQUEST, {"path": "/echo/fail"}, MASK),
    ("paged", REQUEST, {"path": "/echo/search", "paginate": True}, None),
    ("dest", REQUEST, {"path": "/echo/json", "dest": "{{ dest_dir }}/KIND-whole.json"},
     "contains the task's credentials"),
    ("dest_odd", REQUEST, {"path": "/echo/odd", "dest": "{{ dest_dir }}/KIND-odd.json"},
     "contains the task's credentials"),
    ("dest_paged", REQUEST, {"path": "/echo/search", "paginate": True, "dest": "{{ dest_dir }}/KIND-paged.json"},
     "contains the task's credentials"),
]


def _tasks():
    tasks = []
    for kind, credentials in sorted(CREDENTIALS.items()):
        for name, module, args, dummy in CALLS:
            task_args = dict(credentials, **args)
            if "dest" in task_args:
                task_args["dest"] = task_args["dest"].replace("KIND", kind)
            tasks.append({"name": "%s %s" % (kind, name), module: task_args, "register": "%s_%s" % (kind, name),
                          "ignore_errors": True})
    return tasks


def scanner():
    found = SecretScanner()
    found.add_basic("Basic", USER, PASSWORD)
    found.add_bearer("Data Center PAT", TOKEN)
    found.add_basic("Cloud API token", CLOUD_EMAIL, CLOUD_TOKEN)
    return found


def _check_outcomes(results, dest_dir):
    for kind in CREDENTIALS:
        for name, dummy, dummy2, failure in CALLS:
            result = results["%s_%s" % (kind, name)]["localhost"]
            if failure is None:
                assert not result.get("failed"), "%s %s failed: %s" % (kind, name, result.get("msg"))
            else:
                assert result.get("failed") and failure in result.get("msg", ""), \
                    "%s %s: %s" % (kind, name, result.get("msg"))
        assert MASK in json.dumps(results["%s_json" % kind]["localhost"]["json"])
        assert results["%s_paged" % kind]["localhost"]["pages"] > 1
    # A refused dest is never written, not even in part: the old content stays, no temporary file is left.
    assert sorted(os.listdir(dest_dir)) == sorted("%s-whole.json" % kind for kind in CREDENTIALS)
    for kind in CREDENTIALS:
        with open(os.path.join(dest_dir, "%s-whole.json" % kind)) as handle:
            assert handle.read() == '{"old": true}'


@pytest.mark.parametrize("execution", ["controller", "module"])
def test_an_echo_in_any_encoding_leaks_nothing(ansible, echo_servers, tmp_path, execution):
    dest_dir = tmp_path / "dest"
    dest_dir.mkdir()
    for kind in CREDENTIALS:
        (dest_dir / ("%s-whole.json" % kind)).write_text('{"old": true}')
    names = ["%s_%s" % (kind, name) for kind in CREDENTIALS for name, dummy, dummy2, dummy3 in CALLS]
    extra_vars = {"server_url": echo_servers["server"], "cloud_url": echo_servers["cloud"], "P": PASSWORD, "T": TOKEN,
                  "CT": CLOUD_TOKEN, "dest_dir": str(dest_dir), "jiraops_jira_execution": execution}
    run = ansible.playbook([play(_tasks() + [dump_results_task(names)], hosts="localhost")], extra_vars=extra_vars,
                           extra_args=["-vvvv"])
    assert run.rc == 0, "the playbook itself failed (rc %s); see %s" % (run.rc, run.work)
    _check_outcomes(run.out_json("results.json"), str(dest_dir))
    assert "Traceback" not in run.output
    assert_no_secrets(scanner(), run.scan_targets() + [("dest files", str(dest_dir))], "(%s path)" % execution)


def test_the_echo_carries_every_encoding_the_scanner_knows(tmp_path):
    """The test can fail: the scanner finds each echo the server sends, in the text body and its line-wrapped forms."""
    found = scanner()
    for authorization in ("Basic " + base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode("utf-8")).decode("ascii"),
                          "Bearer " + TOKEN):
        dummy, secrets = received_secrets(authorization)
        for label, encoded in echoes(secrets):
            hits = found.scan([(label, ("prefix %s suffix" % encoded).encode("utf-8"))])
            assert hits, "the scanner misses the echo %s" % label
