# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the safety suite: jirasim processes, ansible(-playbook) runs, playbook pieces, and the secrets scanner.

Everything runs against the collection installed in ANSIBLE_COLLECTIONS_PATH (``make install``), binds to
127.0.0.1 only, and writes only below pytest's tmp_path.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import datetime
import http.client
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN_DIR = os.path.dirname(sys.executable)
COLLECTION_MARKER = os.path.join("ansible_collections", "jiraops", "jira", "plugins", "modules", "jira_auth_check.py")
RUN_TIMEOUT = 300

# Seeded jirasim users (tests/jirasim/README.md).
FRED = ("fred", "fred")

# The distinctive secrets of the suite: every leak scan looks for these and for everything derived from them.
PASSWORD = u"S\u00ebcr\u00e9t:P\u00e4ssw\u00f6rd-7Q2x"           # Sëcrét:Pässwörd-7Q2x
WRONG_PASSWORD = u"Wr\u00f6ng:P\u00e4ssw\u00f6rd-4K9z"           # Wröng:Pässwörd-4K9z
TOKEN = "LeakPAT-Zq8vN3xR5tW1yB7mK2pD9fH4jL6c"
WRONG_TOKEN = "LeakPAT-WRONG-Hh3Jk8Lm2Nb5Vc7Xz9Qp"
URL_PASSWORD = "UrlSecret-Qx7Wv2Rt9Ky4"


def installed_collection():
    """The collection root inside ANSIBLE_COLLECTIONS_PATH, or None."""
    value = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.environ.get("ANSIBLE_COLLECTIONS_PATHS") or ""
    for entry in value.split(os.pathsep):
        if entry and os.path.isfile(os.path.join(entry, COLLECTION_MARKER)):
            return os.path.dirname(os.path.dirname(os.path.dirname(os.path.join(entry, COLLECTION_MARKER))))
    return None


class Jirasim:
    """A jirasim process and its control API."""

    def __init__(self, process, url, gateway_url=None):
        self.process = process
        self.url = url
        self.gateway_url = gateway_url  # the cloud flavor's second origin: Atlassian's gateway and auth server
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.https = parts.hostname, parts.port, parts.scheme == "https"

    def _connection(self):
        if self.https:
            import ssl
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection(self.host, self.port, timeout=30, context=context)
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def call(self, method, path, body=None, headers=None):
        """One request on a fresh connection: (status, parsed JSON or raw bytes)."""
        conn = self._connection()
        try:
            sent = dict(headers or {})
            data = None
            if body is not None:
                data = json.dumps(body).encode("utf-8")
                sent["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        try:
            return response.status, json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            return response.status, raw

    def control(self, method, name, body=None):
        status, data = self.call(method, "/_jirasim/" + name, body)
        assert 200 <= status < 300, "jirasim control %s %s answered %s: %r" % (method, name, status, data)
        return data

    def reset(self):
        self.control("POST", "reset")

    def stats(self):
        return self.control("GET", "stats")

    def add_user(self, name, password, **extra):
        body = dict(extra, name=name, password=password)
        body.setdefault("permissions", ["BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "ADD_COMMENTS"])
        self.control("POST", "users", body)

    def fault(self, action, match=None, count=1, **spec):
        body = dict(spec, action=action, match=match or {}, count=count)
        return self.control("POST", "faults", body)["id"]

    def configure(self, **settings):
        return self.control("POST", "config", settings)

    def basic_login(self, user, password, path="/rest/api/2/myself"):
        """One Basic-auth request sent directly (not through Ansible); returns the status."""
        token = base64.b64encode(("%s:%s" % (user, password)).encode("utf-8")).decode("ascii")
        status, dummy = self.call("GET", path, headers={"Authorization": "Basic " + token})
        return status

    def lock(self, user, wrong_password, attempts=3):
        """CAPTCHA-lock a user the way Jira does: consecutive failed logins."""
        for dummy in range(attempts):
            self.basic_login(user, wrong_password)
        assert user in self.stats()["captcha_locked"]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def start_jirasim(*args):
    """Start ``python -m jirasim --port 0 ARGS`` and wait for its listening line."""
    env = dict(os.environ, PYTHONPATH=TESTS_DIR + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONDONTWRITEBYTECODE="1")
    process = subprocess.Popen([sys.executable, "-m", "jirasim", "--host", "127.0.0.1", "--port", "0"] + list(args),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=TESTS_DIR)
    line = _line_within(process.stdout, 20)
    match = re.match(r"^jirasim listening on (\S+)$", line)
    if not match:
        process.kill()
        raise RuntimeError("jirasim did not start (first line: %r)" % line)
    gateway = None
    if "cloud" in args:
        second = _line_within(process.stdout, 20)
        found = re.match(r"^jirasim gateway on (\S+)$", second)
        if not found:
            process.kill()
            raise RuntimeError("jirasim did not name its gateway (second line: %r)" % second)
        gateway = found.group(1)
    return Jirasim(process, match.group(1), gateway)


def _line_within(stream, seconds):
    """The next line of ``stream`` (stripped), or "" when none comes within ``seconds``. A thread reads it: select()
    on the pipe misses a line that the buffered reader already holds."""
    lines = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=seconds).decode("utf-8", "replace").strip()
    except queue.Empty:
        return ""


def free_port():
    """A local port with nothing listening on it (bound, then closed)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class FloodServer:
    """A hostile HTTP server on 127.0.0.1: every request gets ``status`` with a Location header and a body of
    ``total`` bytes (no Content-Length, closed at the end). ``sent`` counts the bytes the client let through."""

    def __init__(self, status=302, total=128 * 1024 * 1024, location="/elsewhere"):
        self.status, self.total, self.location = status, total, location
        self.sent = 0
        self.connections = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve)
        self.thread.daemon = True
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, dummy = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self._answer(conn)

    def _answer(self, conn):
        block = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>"
        try:
            conn.settimeout(30)
            request = b""
            while b"\r\n\r\n" not in request:
                data = conn.recv(65536)
                if not data:
                    return
                request += data
            conn.sendall(("HTTP/1.1 %d Hostile\r\nLocation: %s\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
                          % (self.status, self.location)).encode("ascii"))
            while self.sent < self.total:
                conn.sendall(block)
                self.sent += len(block)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self):
        self.sock.close()


def self_signed_cert(directory):
    """(cert_path, key_path) of a fresh self-signed certificate for 127.0.0.1 / localhost."""
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u"jirasim safety test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(u"localhost"),
                                                        x509.IPAddress(ipaddress.ip_address(u"127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path = os.path.join(directory, "jirasim-cert.pem")
    key_path = os.path.join(directory, "jirasim-key.pem")
    with open(cert_path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return cert_path, key_path


# ---------------------------------------------------------------------------------------------------------------
# Running ansible and ansible-playbook
# ---------------------------------------------------------------------------------------------------------------

def local_inventory(count, prefix="host", group="jira"):
    """An INI inventory of ``count`` hosts that all use the local connection."""
    lines = ["[%s]" % group]
    lines.extend("%s%02d ansible_connection=local" % (prefix, number) for number in range(1, count + 1))
    lines.extend(["", "[all:vars]", "ansible_python_interpreter=%s" % sys.executable, ""])
    return "\n".join(lines)


LOCALHOST_INVENTORY = "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable


class RunResult:
    """What one ansible(-playbook) run left behind."""

    def __init__(self, rc, stdout, stderr, elapsed, work):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.elapsed = elapsed
        self.work = work
        self.tree_dir = os.path.join(work, "tree")
        self.out_dir = os.path.join(work, "out")
        self.log_path = os.path.join(work, "ansible.log")
        self.local_tmp = os.path.join(work, "local_tmp")
        self.remote_tmp = os.path.join(work, "remote_tmp")
        self.tree = {}
        if os.path.isdir(self.tree_dir):
            for name in sorted(os.listdir(self.tree_dir)):
                with open(os.path.join(self.tree_dir, name), "rb") as handle:
                    self.tree[name] = json.loads(handle.read().decode("utf-8"))

    @property
    def output(self):
        return self.stdout + "\n" + self.stderr

    def out_json(self, name):
        """A JSON file the playbook wrote into out_dir."""
        with open(os.path.join(self.out_dir, name), "rb") as handle:
            return json.loads(handle.read().decode("utf-8"))

    def scan_targets(self):
        """Every place this run wrote to: (label, bytes or path)."""
        return [("stdout", self.stdout.encode("utf-8")), ("stderr", self.stderr.encode("utf-8")),
                ("log file", self.log_path), ("tree callback", self.tree_dir), ("written results", self.out_dir),
                ("local temp left behind", self.local_tmp), ("remote temp left behind", self.remote_tmp)]

    def describe(self, limit=4000):
        """The end of the output, for assertion messages (only for runs without secrets in play)."""
        return "rc=%s\n--- stdout (end) ---\n%s\n--- stderr (end) ---\n%s" % (
            self.rc, self.stdout[-limit:], self.stderr[-limit:])


class AnsibleRunner:
    """Runs ansible-playbook / ansible with a private environment below one work directory per run."""

    def __init__(self, base_env, root):
        self.base_env = base_env
        self.root = root
        self.count = 0

    def _prepare(self, inventory, extra_vars, env):
        self.count += 1
        work = os.path.join(self.root, "run%02d" % self.count)
        inputs = os.path.join(work, "input")
        for sub in ("input", "tree", "out", "local_tmp", "remote_tmp", "home"):
            os.makedirs(os.path.join(work, sub))
        with open(os.path.join(inputs, "inventory.ini"), "w") as handle:
            handle.write(inventory or LOCALHOST_INVENTORY)
        variables = dict(extra_vars or {}, out_dir=os.path.join(work, "out"))
        with open(os.path.join(inputs, "vars.json"), "wb") as handle:
            handle.write(json.dumps(variables, ensure_ascii=False).encode("utf-8"))
        with open(os.path.join(inputs, "ansible.cfg"), "w") as handle:
            handle.write("[defaults]\n")
        run_env = dict(self.base_env)
        run_env.update({
            "ANSIBLE_CONFIG": os.path.join(inputs, "ansible.cfg"),
            "ANSIBLE_HOME": os.path.join(work, "home"),
            "ANSIBLE_LOCAL_TEMP": os.path.join(work, "local_tmp"),
            "ANSIBLE_REMOTE_TEMP": os.path.join(work, "remote_tmp"),
            "ANSIBLE_CALLBACKS_ENABLED": "ansible.builtin.tree",
            "ANSIBLE_CALLBACK_TREE_DIR": os.path.join(work, "tree"),
            "ANSIBLE_LOG_PATH": os.path.join(work, "ansible.log"),
        })
        run_env.update(env or {})
        return work, inputs, run_env

    def _run(self, argv, work, run_env, timeout):
        started = time.monotonic()
        completed = subprocess.run(argv, cwd=work, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, timeout=timeout, check=False)
        elapsed = time.monotonic() - started
        return RunResult(completed.returncode, completed.stdout.decode("utf-8", "replace"),
                         completed.stderr.decode("utf-8", "replace"), elapsed, work)

    def playbook(self, playbook, inventory=None, extra_vars=None, env=None, extra_args=(), timeout=RUN_TIMEOUT):
        """Run a playbook (text, or a list of plays written as JSON, which is YAML)."""
        work, inputs, run_env = self._prepare(inventory, extra_vars, env)
        text = playbook if isinstance(playbook, str) else json.dumps(playbook, indent=1, ensure_ascii=False)
        path = os.path.join(inputs, "playbook.yml")
        with open(path, "wb") as handle:
            handle.write(text.encode("utf-8"))
        argv = [os.path.join(BIN_DIR, "ansible-playbook"), "-i", os.path.join(inputs, "inventory.ini"),
                "-e", "@" + os.path.join(inputs, "vars.json")] + list(extra_args) + [path]
        return self._run(argv, work, run_env, timeout)

    def adhoc(self, pattern, module, args, inventory=None, extra_vars=None, env=None, extra_args=(),
              timeout=RUN_TIMEOUT):
        """Run ``ansible PATTERN -m MODULE -a ARGS -t TREE`` (args as a dict, sent as JSON; ad hoc runs load the tree
        callback only through -t)."""
        work, inputs, run_env = self._prepare(inventory, extra_vars, env)
        argv = [os.path.join(BIN_DIR, "ansible"), pattern, "-i", os.path.join(inputs, "inventory.ini"),
                "-e", "@" + os.path.join(inputs, "vars.json"), "-m", module, "-a", json.dumps(args),
                "-t", os.path.join(work, "tree")] + list(extra_args)
        return self._run(argv, work, run_env, timeout)


def play(tasks, hosts="all", **keywords):
    """One play without fact gathering."""
    data = {"name": "jiraops.jira safety", "hosts": hosts, "gather_facts": False}
    data.update(keywords)
    data["tasks"] = tasks
    return data


def dump_results_task(names, filename="results.json"):
    """A run_once task writing the registered variables ``names`` of every play host to out_dir/filename,
    as {name: {host: result}}."""
    pairs = ", ".join("'%s': dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, "
                      "'%s')))" % (name, name) for name in names)
    return {"name": "Write the registered results out", "run_once": True,
            "ansible.builtin.copy": {"content": "{{ {%s} | to_nice_json }}" % pairs, "dest": "{{ out_dir }}/%s"
                                     % filename,
                                     "mode": "0600"}}


def breaker_copy_tasks():
    """Tasks (run once, last in a play) that copy this run's breaker directory to out_dir/breaker and list its modes.

    The breaker lives in the run's DEFAULT_LOCAL_TMP, which Ansible removes at the end of the run; the config lookup
    makes a new directory next to it, so the run's one is found in the parent."""
    return [
        {"name": "Find this run's breaker directory", "run_once": True,
         "ansible.builtin.find": {"paths": "{{ lookup('ansible.builtin.config', 'DEFAULT_LOCAL_TMP') | dirname }}",
                                  "patterns": "jiraops_jira_breaker", "file_type": "directory", "recurse": True},
         "register": "breaker_dirs"},
        {"name": "List the breaker files", "run_once": True,
         "ansible.builtin.find": {"paths": "{{ breaker_dirs.files | map(attribute='path') | list }}",
                                  "file_type": "any",
                                  "hidden": True},
         "register": "breaker_files"},
        {"name": "Copy the breaker directory out", "run_once": True,
         "ansible.builtin.copy": {"src": "{{ item.path }}/", "dest": "{{ out_dir }}/breaker/{{ index }}/",
                                  "remote_src": True},
         "loop": "{{ breaker_dirs.files }}", "loop_control": {"index_var": "index"}},
        {"name": "Write the breaker listing", "run_once": True,
         "ansible.builtin.copy": {"content": "{{ {'dirs': breaker_dirs.files, 'files': breaker_files.files} "
                                             "| to_nice_json }}",
                                  "dest": "{{ out_dir }}/breaker_listing.json", "mode": "0600"}},
    ]


def recap(stdout):
    """{host: {ok, changed, unreachable, failed, skipped, rescued, ignored}} from the PLAY RECAP."""
    hosts = {}
    for line in stdout.split("\n"):
        match = re.match(r"^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$", line.strip())
        if match:
            hosts[match.group(1)] = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2)))
    return hosts


# ---------------------------------------------------------------------------------------------------------------
# The secrets scanner
# ---------------------------------------------------------------------------------------------------------------

def _json_escaped(value):
    """The \\uXXXX forms of a value, lower- and upper-case hex (only when they differ from the value): as json.dumps
    writes them (non-ASCII only), and with every character escaped."""
    lower = json.dumps(value)[1:-1]
    upper = re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m.group(1).upper(), lower)
    every = "".join("\\u%04x" % ord(char) if ord(char) < 0x10000 else json.dumps(char)[1:-1] for char in value)
    return [form for form in (lower, upper, every, every.upper().replace("\\U", "\\u"), every.upper()) if form != value]


def _percent_every_byte(value, pattern):
    return "".join(pattern % byte for byte in value.encode("utf-8"))


PIECE = 6  # any run of this many characters of a secret's main forms is a leak


class SecretScanner:
    """Looks for secrets, and every form derived from them, in output, files and directories.

    Each form is looked for as written and in a whitespace-stripped copy of the data (a line-wrapped copy); any piece
    of PIECE characters of a secret's main forms (the value, base64 of user:password) is a hit too. A hit names the
    secret and the form by label, and where it was found; it never shows the secret."""

    def __init__(self):
        self.forms = []
        self.pieces = {}  # piece -> label of the form it comes from

    def _add(self, label, value):
        if value and all(value != known for dummy, known in self.forms):
            self.forms.append((label, value))

    def _add_pieces(self, label, value):
        for start in range(len(value) - PIECE + 1):
            self.pieces.setdefault(value[start:start + PIECE], label + " (a piece of %d characters)" % PIECE)

    def add_secret(self, label, value):
        """A password or token: the value, its URL-encoded (in every way), JSON-escaped, HTML-escaped, upper-cased and
        mis-decoded forms, and its pieces."""
        self._add(label, value)
        self._add_pieces(label, value)
        quoted = urllib.parse.quote(value, safe="")
        self._add(label + " (URL-encoded)", quoted)
        self._add(label + " (URL-encoded, lower-case hex)",
                  re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quoted))
        self._add(label + " (URL-encoded, '+' for space)", urllib.parse.quote_plus(value))
        self._add(label + " (URL-encoded, ':' kept)", urllib.parse.quote(value, safe=":"))
        self._add(label + " (URL-encoded, every byte)", _percent_every_byte(value, "%%%02X"))
        self._add(label + " (URL-encoded, every byte, lower-case hex)", _percent_every_byte(value, "%%%02x"))
        self._add(label + " (URL-encoded twice)", urllib.parse.quote(quoted, safe=""))
        for escaped in _json_escaped(value):
            self._add(label + " (JSON \\u-escaped)", escaped)
        self._add(label + " (HTML decimal entities)", "".join("&#%d;" % ord(char) for char in value))
        self._add(label + " (HTML hex entities)", "".join("&#x%x;" % ord(char) for char in value))
        self._add(label + " (HTML hex entities, upper-case)", "".join("&#x%X;" % ord(char) for char in value))
        self._add(label + " (upper-cased)", value.upper())
        self._add(label + " (Python escaped)", value.encode("unicode_escape").decode("ascii"))
        self._add(label + " (UTF-8 read as latin-1)", value.encode("utf-8").decode("latin-1"))
        for part in value.split(":"):
            if len(part) >= 8 and part != value:
                self._add(label + " (the part after/before ':')", part)

    def add_basic(self, label, user, password):
        """A Basic credential pair: the password forms, base64(user:password) in every form (and its pieces), the header
        value."""
        self.add_secret(label + " password", password)
        encoded = base64.b64encode(("%s:%s" % (user, password)).encode("utf-8")).decode("ascii")
        self.add_secret(label + " base64(user:password)", encoded)  # every encoding of the header holds one of these
        self._add(label + " base64(user:password) without padding", encoded.rstrip("="))
        self._add(label + " 'Basic <base64>' header value", "Basic " + encoded)

    def add_bearer(self, label, token):
        """A bearer token: its forms and the header value."""
        self.add_secret(label + " token", token)
        self._add(label + " 'Bearer <token>' header value", "Bearer " + token)

    def scan_bytes(self, where, data):
        """Hits ("label in where, line N") in one blob."""
        hits = []
        stripped = re.sub(rb"\s+", b"", data)
        for label, value in self.forms:
            needle = value.encode("utf-8")
            position = data.find(needle)
            if position >= 0:
                hits.append("%s: found in %s (line %d, %d occurrence(s))"
                            % (label, where, data.count(b"\n", 0, position) + 1, data.count(needle)))
            elif re.sub(rb"\s+", b"", needle) in stripped:
                hits.append("%s: found in %s, line-wrapped (with whitespace inside)" % (label, where))
        return hits + self._pieces_in(where, data)

    def _pieces_in(self, where, data):
        """One hit per form whose pieces occur, with how many pieces (each piece is searched: a few hundred
        searches)."""
        found = {}
        for piece, label in self.pieces.items():
            if piece.encode("utf-8") in data:
                found[label] = found.get(label, 0) + 1
        return ["%s: %d piece(s) found in %s" % (label, count, where) for label, count in sorted(found.items())]

    def scan_path(self, where, path):
        """Hits in a file, or in every file below a directory (names included)."""
        hits = []
        if not os.path.exists(path):
            return hits
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                return self.scan_bytes(where, handle.read())
        for folder, dirs, files in os.walk(path):
            for name in sorted(dirs + files):
                relative = os.path.relpath(os.path.join(folder, name), path)
                hits.extend(self.scan_bytes("%s: the name %s" % (where, relative),
                                            relative.encode("utf-8", "surrogateescape")))
                full = os.path.join(folder, name)
                if name in files and os.path.isfile(full) and not os.path.islink(full):
                    with open(full, "rb") as handle:
                        hits.extend(self.scan_bytes("%s/%s" % (where, relative), handle.read()))
        return hits

    def scan(self, targets):
        """Hits in (label, bytes-or-path) targets."""
        hits = []
        for where, target in targets:
            if isinstance(target, bytes):
                hits.extend(self.scan_bytes(where, target))
            else:
                hits.extend(self.scan_path(where, target))
        return hits


def assert_no_secrets(scanner, targets, context=""):
    """Fail with the list of places (never the secret itself) where a secret was found."""
    hits = scanner.scan(targets)
    assert not hits, "secret material found %s(%d hit(s)):\n  %s" % (
        context and context + " ", len(hits), "\n  ".join(hits))
