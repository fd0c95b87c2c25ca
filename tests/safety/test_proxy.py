# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Proxies from the environment, on both execution paths: plain HTTP through a forwarding proxy, HTTPS through a
CONNECT tunnel, an https:// proxy (TLS to the proxy) and a socks5:// proxy, proxy credentials (sent to the proxy only,
never shown), NO_PROXY, use_proxy: false, and a proxy set with the task's `environment:`."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os
import select
import socket
import ssl
import struct
import threading

import pytest

from safety_support import SecretScanner, assert_no_secrets, dump_results_task, play

AUTH = "jiraops.jira.jira_auth_check"
PATHS = ("controller", "module")
PROXY_USER, PROXY_PASSWORD = "proxyuser", "Pr0xy-s3cret-7731"
PROXY_AUTHORIZATION = "Basic " + base64.b64encode(("%s:%s" % (PROXY_USER, PROXY_PASSWORD)).encode()).decode()


class RecordingProxy:
    """A small HTTP proxy on 127.0.0.1: absolute-form requests are forwarded (one upstream connection per client
    connection), CONNECT opens a tunnel. It records what it was asked, and with ``require_auth`` answers 407 to a
    request without the expected Proxy-Authorization."""

    def __init__(self, require_auth=True):
        self.require_auth = require_auth
        self.seen = []  # (method, target, Proxy-Authorization or None)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(32)
        self.port = self.listener.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, dummy = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        reader = conn.makefile("rb")
        upstream = None
        try:
            while True:
                head = self._read_head(reader)
                if head is None:
                    return
                method, target, headers, raw_headers = head
                self.seen.append((method, target, headers.get("proxy-authorization")))
                if self.require_auth and headers.get("proxy-authorization") != PROXY_AUTHORIZATION:
                    conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n"
                                 b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                if method == "CONNECT":
                    host, port = target.rsplit(":", 1)
                    upstream = socket.create_connection((host, int(port)))
                    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    self._relay(reader, conn, upstream)
                    return
                host_port, path = target.split("://", 1)[1].split("/", 1)
                if upstream is None:
                    host, port = host_port.rsplit(":", 1)
                    upstream = socket.create_connection((host, int(port)))
                    threading.Thread(target=self._pump, args=(upstream, conn), daemon=True).start()
                body = reader.read(int(headers.get("content-length", "0")))
                kept = b"".join(line for line in raw_headers if not line.lower().startswith(b"proxy-authorization:"))
                upstream.sendall(("%s /%s HTTP/1.1\r\n" % (method, path)).encode() + kept + b"\r\n" + body)
        except OSError:
            return
        finally:
            for sock in (conn, upstream):
                if sock is not None:
                    sock.close()

    @staticmethod
    def _read_head(reader):
        line = reader.readline()
        if not line.strip():
            return None
        method, target, dummy = line.decode("latin-1").split(" ", 2)
        headers, raw = {}, []
        while True:
            header = reader.readline()
            if header in (b"\r\n", b"\n", b""):
                return method, target, headers, raw
            raw.append(header)
            name, value = header.decode("latin-1").split(":", 1)
            headers[name.strip().lower()] = value.strip()

    def _relay(self, reader, conn, upstream):
        threading.Thread(target=self._pump, args=(upstream, conn), daemon=True).start()
        while True:
            data = reader.read1(65536)  # what the reader already buffered first, then the socket
            if not data:
                return
            upstream.sendall(data)

    @staticmethod
    def _pump(source, destination):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                destination.sendall(data)
        except OSError:
            pass
        finally:
            try:
                destination.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def stop(self):
        self.listener.close()


class TlsProxy:
    """An https:// proxy on 127.0.0.1 (TLS between client and proxy, with ``cert``): CONNECT opens a tunnel inside that
    TLS connection; an absolute-form request is forwarded on a new upstream connection each. It records what it was
    asked and answers 407 without the expected Proxy-Authorization."""

    def __init__(self, cert, key):
        self.seen = []
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(32)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, dummy = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, raw):
        try:
            conn = self.context.wrap_socket(raw, server_side=True)
            reader = conn.makefile("rb")
            while True:
                head = RecordingProxy._read_head(reader)
                if head is None:
                    return
                method, target, headers, raw_headers = head
                self.seen.append((method, target, headers.get("proxy-authorization")))
                if headers.get("proxy-authorization") != PROXY_AUTHORIZATION:
                    conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                                 b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                if method == "CONNECT":
                    host, port = target.rsplit(":", 1)
                    upstream = socket.create_connection((host, int(port)))
                    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    _relay(conn, upstream)
                    return
                host_port, path = target.split("://", 1)[1].split("/", 1)
                host, port = host_port.rsplit(":", 1)
                body = reader.read(int(headers.get("content-length", "0")))
                kept = b"".join(line for line in raw_headers
                                if not line.lower().startswith((b"proxy-authorization:", b"connection:")))
                upstream = socket.create_connection((host, int(port)))
                upstream.sendall(("%s /%s HTTP/1.1\r\n"
                                  % (method, path)).encode() + kept + b"Connection: close\r\n\r\n" + body)
                answer = b""
                while True:
                    data = upstream.recv(65536)
                    if not data:
                        break
                    answer += data
                upstream.close()
                conn.sendall(answer)
                return  # the answer says Connection: close
        except (OSError, ValueError):
            return
        finally:
            raw.close()

    def stop(self):
        self.listener.close()


def _relay(conn, upstream):
    """Copy bytes both ways in one thread (a TLS socket must not be read and written from two threads at once)."""
    try:
        while True:
            ready = [conn] if getattr(conn, "pending", lambda: 0)() else select.select([conn, upstream], [], [], 30)[0]
            if not ready:
                return
            for source in ready:
                data = source.recv(65536)
                if not data:
                    return
                (upstream if source is conn else conn).sendall(data)
    finally:
        upstream.close()


class Socks5Proxy:
    """A SOCKS5 server on 127.0.0.1 (RFC 1928, CONNECT only) that requires user name and password (RFC 1929). It
    records (user, whether the password was right, target host, target port)."""

    def __init__(self):
        self.seen = []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(32)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, dummy = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _exactly(conn, count):
        data = b""
        while len(data) < count:
            more = conn.recv(count - len(data))
            if not more:
                raise OSError("closed")
            data += more
        return data

    def _serve(self, conn):
        try:
            version, count = self._exactly(conn, 2)
            methods = self._exactly(conn, count)
            if version != 5 or 2 not in methods:
                conn.sendall(b"\x05\xff")
                return
            conn.sendall(b"\x05\x02")
            dummy, length = self._exactly(conn, 2)
            user = self._exactly(conn, length).decode()
            length = self._exactly(conn, 1)[0]
            password = self._exactly(conn, length).decode()
            good = (user, password) == (PROXY_USER, PROXY_PASSWORD)
            conn.sendall(b"\x01\x00" if good else b"\x01\x01")
            if not good:
                self.seen.append((user, False, None, None))
                return
            dummy, command, dummy, kind = self._exactly(conn, 4)
            if kind == 1:
                host = socket.inet_ntoa(self._exactly(conn, 4))
            elif kind == 3:
                host = self._exactly(conn, self._exactly(conn, 1)[0]).decode()
            else:
                host = socket.inet_ntop(socket.AF_INET6, self._exactly(conn, 16))
            port = struct.unpack("!H", self._exactly(conn, 2))[0]
            self.seen.append((user, True, host, port))
            upstream = socket.create_connection((host, port))
            conn.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", 0))
            _relay(conn, upstream)
        except (OSError, ValueError):
            return
        finally:
            conn.close()

    def stop(self):
        self.listener.close()


@pytest.fixture()
def proxy():
    started = RecordingProxy()
    yield started
    started.stop()


def _proxy_url(proxy, user=PROXY_USER, password=PROXY_PASSWORD):
    return "http://%s:%s@127.0.0.1:%d" % (user, password, proxy.port)


def _check(ansible, execution, env, args, task_keywords=None, scan=True):
    task = dict({"name": "check", AUTH: args, "register": "check"}, **(task_keywords or {}))
    run = ansible.playbook([play([task, dump_results_task(["check"])], hosts="localhost")],
                           extra_vars={"jiraops_jira_execution": execution}, env=env, extra_args=["-vvvv"])
    assert run.rc in (0, 2), run.describe()
    if not scan:
        return run.out_json("results.json")["check"]["localhost"]
    scanner = SecretScanner()
    scanner.add_secret("proxy password", PROXY_PASSWORD)
    scanner.add_secret("Proxy-Authorization", PROXY_AUTHORIZATION)
    assert_no_secrets(scanner, run.scan_targets(), "(%s path)" % execution)
    return run.out_json("results.json")["check"]["localhost"]


def _credentials(sim):
    sim.add_user("proxied", "proxied-pass-5519")
    return {"username": "proxied", "password": "proxied-pass-5519"}


@pytest.mark.parametrize("execution", PATHS)
def test_plain_http_goes_through_the_proxy_with_its_credentials(sim, ansible, proxy, execution):
    result = _check(ansible, execution, {"HTTP_PROXY": _proxy_url(proxy)}, dict(_credentials(sim), url=sim.url))
    assert result["healthy"] is True, result["msg"]
    myself = [seen for seen in proxy.seen if seen[1].startswith(sim.url + "/rest/api/2/myself")]
    assert myself and myself[0] == ("GET", sim.url + "/rest/api/2/myself", PROXY_AUTHORIZATION)
    assert all(seen[2] == PROXY_AUTHORIZATION for seen in proxy.seen)
    assert "(%s)" % execution in sim.stats()["log"][0]["agent"]


@pytest.mark.parametrize("execution", PATHS)
def test_https_goes_through_a_connect_tunnel(tls_sim, ansible, proxy, execution):
    tls_sim.reset()
    args = dict(_credentials(tls_sim), url=tls_sim.url, ca_path=tls_sim.cert)
    result = _check(ansible, execution, {"HTTPS_PROXY": _proxy_url(proxy)}, args)
    assert result["healthy"] is True, result["msg"]
    assert proxy.seen and set(proxy.seen) == set([("CONNECT", "127.0.0.1:%d" % tls_sim.port, PROXY_AUTHORIZATION)])


@pytest.mark.parametrize("execution", PATHS)
def test_a_refused_tunnel_is_a_clear_error_and_nothing_reaches_jira(tls_sim, ansible, proxy, execution):
    tls_sim.reset()
    args = dict(_credentials(tls_sim), url=tls_sim.url, ca_path=tls_sim.cert, retries=0)
    result = _check(ansible, execution, {"HTTPS_PROXY": _proxy_url(proxy, password="not-the-proxy-password")}, args,
                    task_keywords={"ignore_errors": True})
    assert result["healthy"] is False and result["login_state"] == "unreachable"
    assert "407 Proxy Authentication Required" in result["msg"], result["msg"]
    assert tls_sim.stats()["requests"] == 0


@pytest.mark.parametrize("execution", PATHS)
@pytest.mark.parametrize("how", ["no_proxy", "use_proxy_false"])
def test_proxy_bypassed(sim, ansible, proxy, execution, how):
    env = {"HTTP_PROXY": _proxy_url(proxy)}
    args = dict(_credentials(sim), url=sim.url)
    if how == "no_proxy":
        env["NO_PROXY"] = "localhost,127.0.0.1"
    else:
        args["use_proxy"] = False
    result = _check(ansible, execution, env, args)
    assert result["healthy"] is True, result["msg"]
    assert proxy.seen == []


@pytest.mark.parametrize("execution", PATHS)
def test_proxy_from_the_task_environment(sim, ansible, proxy, execution):
    # On the module path, ansible-core itself shows a task's `environment:` in its EXEC line at -vvv (a known
    # ansible-core leak, see docs/safety.md): the scan only holds for the controller path.
    result = _check(ansible, execution, {}, dict(_credentials(sim), url=sim.url),
                    task_keywords={"environment": {"http_proxy": _proxy_url(proxy)}}, scan=execution == "controller")
    assert result["healthy"] is True, result["msg"]
    assert proxy.seen and proxy.seen[0][1].startswith(sim.url + "/rest/api/2/")


@pytest.mark.parametrize("execution", PATHS)
@pytest.mark.parametrize("jira", ["https", "http"])
def test_an_https_proxy_carries_the_call(sim, tls_sim, ansible, execution, jira):
    """TLS to the proxy, its certificate checked like Jira's (ca_path); https Jira through a CONNECT tunnel inside
    it."""
    tls_sim.reset()
    target = tls_sim if jira == "https" else sim
    proxy = TlsProxy(tls_sim.cert, os.path.join(os.path.dirname(tls_sim.cert), "jirasim-key.pem"))
    try:
        url = "https://%s:%s@127.0.0.1:%d" % (PROXY_USER, PROXY_PASSWORD, proxy.port)
        args = dict(_credentials(target), url=target.url, ca_path=tls_sim.cert)
        result = _check(ansible, execution, {"HTTPS_PROXY": url, "HTTP_PROXY": url}, args)
    finally:
        proxy.stop()
    assert result["healthy"] is True, result["msg"]
    if jira == "https":
        assert set(proxy.seen) == set([("CONNECT", "127.0.0.1:%d" % tls_sim.port, PROXY_AUTHORIZATION)])
    else:
        assert proxy.seen and all(seen[1].startswith(sim.url + "/rest/api/2/") and seen[2] == PROXY_AUTHORIZATION
                                  for seen in proxy.seen)
    assert "(%s)" % execution in target.stats()["log"][0]["agent"]


@pytest.mark.parametrize("execution", PATHS)
@pytest.mark.parametrize("jira", ["http", "https"])
def test_a_socks5_proxy_carries_the_call(sim, tls_sim, ansible, execution, jira):
    tls_sim.reset()
    target = tls_sim if jira == "https" else sim
    proxy = Socks5Proxy()
    try:
        env = {"ALL_PROXY": "socks5://%s:%s@127.0.0.1:%d" % (PROXY_USER, PROXY_PASSWORD, proxy.port)}
        args = dict(_credentials(target), url=target.url)
        if jira == "https":
            args["ca_path"] = tls_sim.cert
        result = _check(ansible, execution, env, args)
    finally:
        proxy.stop()
    assert result["healthy"] is True, result["msg"]
    assert proxy.seen and set(proxy.seen) == set([(PROXY_USER, True, "127.0.0.1", target.port)])
    assert "(%s)" % execution in target.stats()["log"][0]["agent"]
