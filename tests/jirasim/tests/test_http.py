"""The HTTP layer: keep-alive, Content-Length everywhere, the CLI subprocess, TLS, chunked bodies."""

import datetime
import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import sys

import pytest

from conftest import FRED, Client

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_keep_alive_serves_many_requests_on_one_connection(sim):
    sim.get("/rest/api/2/serverInfo")
    sock = sim.conn.sock
    for path in ("/rest/api/2/myself", "/rest/api/2/issue/TEST-1", "/rest/api/2/nothing", "/rest/api/2/search?jql="):
        sim.get(path, auth=FRED)
    sim.delete("/rest/api/2/issue/TEST-2", auth=FRED)
    sim.get("/rest/api/2/myself", auth=("fred", "wrong"))
    assert sim.conn.sock is sock


def _raw_exchange(url, payload):
    host, port = url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(payload)
        data = b""
        while (data.count(b"HTTP/1.1 ") < payload.count(b"HTTP/1.1\r\n")
               or not data.endswith((b"}", b"\n", b"\r\n\r\n"))):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return data


def test_pipelined_requests_are_framed_by_content_length(sim):
    request = b"GET /rest/api/2/serverInfo HTTP/1.1\r\nHost: x\r\n\r\n"
    head = b"HEAD /rest/api/2/serverInfo HTTP/1.1\r\nHost: x\r\n\r\n"
    data = _raw_exchange(sim.url, request + head + request)
    assert data.count(b"HTTP/1.1 200 OK") == 3
    assert len(re.findall(rb"Content-Length: \d+", data)) == 3


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/rest/api/2/serverInfo", 200),
    ("HEAD", "/rest/api/2/serverInfo", 200),
    ("GET", "/rest/api/2/myself", 401),
    ("DELETE", "/rest/api/2/issue/TEST-5", 204),
    ("GET", "/rest/api/2/issue/NOPE-1", 404),
    ("PATCH", "/rest/api/2/serverInfo", 405),
    ("GET", "/no/such/page", 404),
    ("GET", "/_jirasim/stats", 200),
    ("DELETE", "/_jirasim/faults", 204),
])
def test_content_length_on_every_response(sim, method, path, status):
    auth = FRED if method == "DELETE" and path.startswith("/rest") else None
    reply = sim.call(method, path, auth=auth)
    assert reply.status == status
    assert reply.header("Content-Length") == str(len(reply.body)) or method == "HEAD"
    assert reply.header("Content-Length") is not None


def test_head_has_get_length_and_no_body(sim):
    get = sim.get("/rest/api/2/serverInfo")
    head = sim.call("HEAD", "/rest/api/2/serverInfo")
    assert head.body == b"" and abs(int(head.header("Content-Length")) - len(get.body)) <= 2


def test_chunked_request_body(sim):
    conn = sim.connect()
    body = b'{"fields": {"project": {"key": "TEST"}, "summary": "chunked", "issuetype": {"name": "Task"}}}'
    conn.request("POST", "/rest/api/2/issue", body=iter([body[:10], body[10:]]), encode_chunked=True,
                 headers={"Authorization": "Basic ZnJlZDpmcmVk", "Content-Type": "application/json",
                          "Transfer-Encoding": "chunked"})
    assert conn.getresponse().status == 201


def test_subprocess_start_line_and_clean_exit():
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    with subprocess.Popen([sys.executable, "-m", "jirasim", "--port", "0", "--issues", "3"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env, text=True) as proc:
        try:
            line = proc.stdout.readline().rstrip("\n")
            match = re.match(r"^jirasim listening on (http://127\.0\.0\.1:(\d+))$", line)
            assert match, line
            client = Client(match.group(1))
            assert client.get("/rest/api/2/search?jql=").json()["total"] == 3
            client.close()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(10) == 0
            assert proc.stderr.read() == ""
        finally:
            if proc.poll() is None:
                proc.kill()


def _make_certificate(directory):
    """A self-signed certificate for 127.0.0.1, with cryptography or the openssl CLI; None when neither exists."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    try:
        import ipaddress  # pylint: disable=import-outside-toplevel
        from cryptography import x509  # pylint: disable=import-outside-toplevel
        from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
        from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
        from cryptography.x509.oid import NameOID  # pylint: disable=import-outside-toplevel
    except ImportError:
        if not shutil.which("openssl"):
            return None
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=2))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .sign(private, hashes.SHA256()))
    with open(cert, "wb") as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key, "wb") as handle:
        handle.write(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert, key


def test_tls_with_a_self_made_certificate(tmp_path, make_sim, insecure_context):
    pair = _make_certificate(str(tmp_path))
    if pair is None:
        pytest.skip("neither the cryptography package nor the openssl CLI is available")
    running, client = make_sim(tls_cert=pair[0], tls_key=pair[1], client_context=insecure_context)
    assert running.url.startswith("https://127.0.0.1:")
    reply = client.get("/rest/api/2/myself", auth=FRED)
    assert reply.status == 200 and reply.header("X-AUSERNAME") == "fred"
    assert client.get("/rest/api/2/serverInfo").json()["baseUrl"] == running.url
    plain = socket.create_connection((client.host, client.port), timeout=5)
    plain.sendall(b"GET / HTTP/1.1\r\n\r\n")  # a plain-HTTP client must not break the TLS server
    plain.close()
    assert client.get("/rest/api/2/serverInfo").status == 200


def test_gzip_only_when_configured_accepted_and_large_enough(sim):
    """Jira's "Use gzip compression": off by default; when on, only for clients that accept gzip."""
    search = "/rest/api/2/search?jql=project%20%3D%20TEST"
    plain = sim.get(search, auth=FRED, headers={"Accept-Encoding": "gzip"})
    assert plain.header("Content-Encoding") is None
    sim.control("POST", "config", {"gzip_min_bytes": 1000})
    zipped = sim.get(search, auth=FRED, headers={"Accept-Encoding": "deflate, gzip;q=0.9"})
    assert zipped.header("Content-Encoding") == "gzip"
    assert int(zipped.header("Content-Length")) == len(zipped.body) < len(plain.body)
    assert gzip.decompress(zipped.body) == plain.body
    assert sim.get(search, auth=FRED).header("Content-Encoding") is None
    small = sim.get("/rest/api/2/serverInfo", headers={"Accept-Encoding": "gzip"})
    assert small.header("Content-Encoding") is None and small.json()["serverTitle"] == "jirasim"
    assert sim.control("POST", "reset").status == 200
    assert sim.control("GET", "config").json()["gzip_min_bytes"] == 0
