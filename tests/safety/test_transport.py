# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP transport through ansible-playbook, on both execution paths: a declared charset, x-gzip, a header given in
another case, NO_PROXY for an IPv6 address, the timeout as a deadline for a trickled answer, which CA variables count,
and a host without requests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gzip
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from safety_support import dump_results_task, free_port, play

PATHS = ("controller", "module")
AUTH = "jiraops.jira.jira_auth_check"
REQUEST = "jiraops.jira.jira_request"


class RawServer:
    """An HTTP server answering every request with ``raw`` bytes (``pace`` bytes each ``delay`` seconds), then closing.
    ``heads`` holds each request's head."""

    def __init__(self, raw, host="127.0.0.1", pace=None, delay=0.0):
        self.raw, self.pace, self.delay = raw, pace, delay
        self.heads = []
        self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self.sock.bind((host, 0))
        self.sock.listen(8)
        port = self.sock.getsockname()[1]
        self.url = "http://%s:%d" % ("[%s]" % host if ":" in host else host, port)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, dummy = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        try:
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(65536)
                if not data:
                    return
                head += data
            self.heads.append(head.decode("latin-1"))
            step = self.pace or len(self.raw)
            for start in range(0, len(self.raw), step):
                conn.sendall(self.raw[start:start + step])
                time.sleep(self.delay)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self):
        self.sock.close()


def _answer(body, headers):
    head = "HTTP/1.1 200 OK\r\n" + "".join("%s: %s\r\n" % item for item in headers.items())
    return head.encode("latin-1") + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body


def _ipv6_loopback():
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
        probe.close()
        return "::1"
    except OSError:
        return None


def _run(ansible, execution, task, env=None, extra_vars=None):
    task = dict(task, register="result", ignore_errors=True)
    run = ansible.playbook([play([task, dump_results_task(["result"])], hosts="localhost")],
                           extra_vars=dict({"jiraops_jira_execution": execution}, **(extra_vars or {})), env=env)
    assert run.rc in (0, 2), run.describe()
    return run, run.out_json("results.json")["result"]["localhost"]


@pytest.mark.parametrize("execution", PATHS)
def test_charset_x_gzip_header_case_and_ipv6_no_proxy(ansible, execution):
    """An ISO-8859-1 answer compressed with x-gzip, served on [::1] with a proxy set that NO_PROXY exempts, asked for
    with a User-Agent header spelt in lower case."""
    host = _ipv6_loopback()
    if host is None:
        pytest.skip("no IPv6 loopback on this machine")
    body = gzip.compress(u'{"name": "Müller", "key": "A-1"}'.encode("latin-1"))
    # X-AREQUESTID: the server plays Jira, whose answers carry it (an answer without a header Jira sends is not Jira's).
    server = RawServer(_answer(body,
                               {"Content-Type": "application/json;charset=ISO-8859-1", "Content-Encoding": "x-gzip",
                                "X-AREQUESTID": "1158x1x1"}), host=host)
    dead_proxy = "http://127.0.0.1:%d" % free_port()
    try:
        run, result = _run(ansible, execution, {REQUEST: {"url": server.url, "path": "/rest/api/2/issue/A-1",
                                                          "headers": {"user-agent": "mine/1.0"}}},
                           env={"HTTP_PROXY": dead_proxy, "HTTPS_PROXY": dead_proxy, "NO_PROXY": "localhost,::1"})
    finally:
        server.stop()
    assert result.get("failed") is not True, result.get("msg")
    assert result["json"]["name"] == u"Müller"
    head = server.heads[0].lower()
    assert head.count("\r\nuser-agent:") == 1 and "user-agent: mine/1.0" in head


@pytest.mark.parametrize("execution", PATHS)
def test_timeout_is_a_deadline_for_a_trickled_answer(ansible, execution):
    server = RawServer(_answer(b"{}", {"Content-Type": "application/json", "X-Padding": "p" * 60}), pace=1, delay=0.2)
    try:
        run, result = _run(ansible, execution, {AUTH: {"url": server.url, "timeout": 2, "retries": 0}})
    finally:
        server.stop()
    assert result["failed"] is True
    assert "no answer within 2.0 seconds (timeout): the whole exchange" in result["msg"], result["msg"]
    assert "tried" not in result["msg"], result["msg"]  # retries: 0, one attempt
    assert run.elapsed < 20  # the whole playbook: the answer alone would take about 25 s


@pytest.mark.parametrize("execution", PATHS)
@pytest.mark.parametrize("variable, healthy", [("SSL_CERT_FILE", True), ("REQUESTS_CA_BUNDLE", False)])
def test_ca_variables_count_the_same_on_both_paths(tls_sim, ansible, execution, variable, healthy):
    """Without ca_path, SSL_CERT_FILE replaces the system's CA file (OpenSSL reads it); REQUESTS_CA_BUNDLE is
    ignored."""
    tls_sim.reset()
    tls_sim.add_user("trusting", "trusting-pass-3391")
    args = {"url": tls_sim.url, "retries": 0, "username": "trusting", "password": "trusting-pass-3391"}
    run, result = _run(ansible, execution, {AUTH: args, "environment": {variable: tls_sim.cert}})
    if healthy:
        assert result.get("failed") is not True, result.get("msg")
        assert result["healthy"] is True
    else:
        assert result["failed"] is True and "TLS verification failed" in result["msg"], result["msg"]


def test_a_host_without_requests_is_told_what_to_install(ansible, tmp_path):
    venv = str(tmp_path / "bare")
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", venv], check=True)
    python = os.path.join(venv, "bin", "python")
    assert subprocess.run([python, "-c", "import requests"], stderr=subprocess.DEVNULL, check=False).returncode != 0
    run, result = _run(ansible, "module", {AUTH: {"url": "http://127.0.0.1:%d" % free_port()}},
                       extra_vars={"ansible_python_interpreter": python})
    assert result["failed"] is True
    assert "Failed to import the required Python library (requests)" in result["msg"], result["msg"]
    assert "Traceback" not in result["msg"]
