#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: what the collection's tasks cost next to ansible.builtin.uri, debug and a raw requests loop.

Everything runs against a jirasim this script starts on a free port of 127.0.0.1 (and stops at the end,
also on error). Playbooks, inventory, callback, Ansible's temp directories and a snapshot of the
installed collection live in one temporary directory; nothing is written into the repository tree.
The snapshot is a checked copy (FILES.json checksums) of jiraops.jira as found on
ANSIBLE_COLLECTIONS_PATH, taken at the start, so a concurrent `make install` cannot change or break
the collection under a running benchmark.

Sections (each measured --runs times, interleaved case by case within a run; medians of the runs,
ratios taken pair by pair within a run, then the median of those):

1. per task: playbooks of --tasks tasks of one kind; per-task cost = (wall time - empty playbook) / tasks, where
   the empty playbook of a run is the median of three (start, middle and end of the round).
2. ad hoc: one `ansible localhost -m ...` each, wall time.
3. bulk: one paginated jira_request search of --bulk-issues issues against a requests.Session loop
   (in-process, loop only; and as its own process) and a uri task looping over the page offsets.

Every benchmarked command must exit 0, and every task result is checked (HTTP status, health, the
execution path from jirasim's request log, and for the bulk case that every issue came back exactly
once); any failure aborts with exit code 2. Targets that are not met are reported, with exit code 0.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import hashlib
import itertools
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

# The helpers next to this script are imported from the repository tree: leave no __pycache__ there.
sys.dont_write_bytecode = True
BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
if BENCH_DIR not in sys.path:
    sys.path.insert(0, BENCH_DIR)

import raw_floor  # noqa: E402  (after dont_write_bytecode, on purpose)

REPO_ROOT = os.path.dirname(BENCH_DIR)
COLLECTION = ("jiraops", "jira")
USER = "svc-ci"
PASSWORD = "pa:ss:w0rd"
JQL = "project = TEST ORDER BY key"
TIME_BIN = "/usr/bin/time"
COMMAND_TIMEOUT = 1800
AGENT_CONTROLLER = r"^jiraops\.jira/\S+ \(controller\) "
AGENT_MODULE = r"^jiraops\.jira/\S+ \(module\) "
AGENT_URI = r"^ansible-httpget"


class BenchError(Exception):
    """The benchmark could not measure what it means to measure."""


# ---------------------------------------------------------------------------------------------------------------------
# the cases

def _connection_args(url):
    return [("url", url), ("username", USER), ("password", PASSWORD)]


def _uri_args(url):
    return [("url", url), ("force_basic_auth", True), ("url_username", USER), ("url_password", PASSWORD)]


def _check_status_200(summary):
    return None if summary.get("status") == 200 else "HTTP status %r, not 200" % (summary.get("status"),)


def _check_healthy(summary):
    if summary.get("healthy") is True and summary.get("login_state") == "ok":
        return None
    return "healthy=%r login_state=%r" % (summary.get("healthy"), summary.get("login_state"))


# key, title, module, args(url), extra task lines, jirasim calls per task, User-Agent of those calls, result check
PER_TASK_CASES = (
    dict(key="empty", title="empty playbook (0 tasks)", module=None),
    dict(key="debug", title="ansible.builtin.debug", module="ansible.builtin.debug", args=lambda url: [("msg", "floor")],
         calls=0),
    dict(key="uri", title="ansible.builtin.uri GET /myself", module="ansible.builtin.uri",
         args=lambda url: _uri_args(url + "/rest/api/2/myself"), calls=1, agent=AGENT_URI, check=_check_status_200),
    dict(key="auth_controller", title="jira_auth_check (controller path)", module="jiraops.jira.jira_auth_check",
         args=_connection_args, calls=2, agent=AGENT_CONTROLLER, check=_check_healthy),
    dict(key="auth_module", title="jira_auth_check (module path)", module="jiraops.jira.jira_auth_check",
         args=_connection_args, extra=["      vars:", "        jiraops_jira_execution: module"], calls=2, agent=AGENT_MODULE,
         check=_check_healthy),
    dict(key="request", title="jira_request GET /myself (controller path)", module="jiraops.jira.jira_request",
         args=lambda url: _connection_args(url) + [("path", "/rest/api/2/myself")], calls=1, agent=AGENT_CONTROLLER,
         check=_check_status_200),
    # Over https, with the certificate checked against the system's CA store (SSL_CERT_FILE names a copy of it
    # holding jirasim's certificate too): what a real Jira costs, TLS handshake and CA store included.
    dict(key="auth_https", title="jira_auth_check (controller path, https, system CA store)", module="jiraops.jira.jira_auth_check",
         args=_connection_args, calls=2, agent=AGENT_CONTROLLER, check=_check_healthy, sim="tls"),
)
# The order of one per-task round: the empty playbook (the baseline) at the start, in the middle and at the end.
PER_TASK_ORDER = ("empty", "debug", "uri", "auth_controller", "empty", "auth_module", "request", "auth_https", "empty")


def yaml_value(value):
    """JSON is YAML: every value goes into the playbooks as JSON."""
    return json.dumps(value)


def playbook_text(name, tasks):
    """A play on localhost (connection local, no facts) with the given task blocks."""
    lines = ["---", "- name: %s" % yaml_value(name), "  hosts: localhost", "  gather_facts: false", "  connection: local"]
    if not tasks:
        lines.append("  tasks: []")
    else:
        lines.append("  tasks:")
        for task in tasks:
            lines.extend(task)
    return "\n".join(lines) + "\n"


def task_lines(name, module, args, extra=()):
    lines = ["    - name: %s" % yaml_value(name), "      %s:" % module]
    lines.extend("        %s: %s" % (key, yaml_value(value)) for key, value in args)
    lines.extend(extra)
    return lines


# ---------------------------------------------------------------------------------------------------------------------
# small helpers

def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def progress(message):
    sys.stderr.write("[bench] %s\n" % message)
    sys.stderr.flush()


def tail(path, lines=40):
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except (IOError, OSError):
        return "(no output)"


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_json(url, method="GET", opener=_OPENER):
    """jirasim's control API (no auth, no proxy)."""
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with opener.open(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


# ---------------------------------------------------------------------------------------------------------------------
# jirasim

class Jirasim:
    """One jirasim process on a free port of 127.0.0.1."""

    def __init__(self, workdir, name, args, cafile=None):
        self.name = name
        self.opener = _OPENER
        if cafile:  # an https jirasim: its control API is read trusting its own certificate
            self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                      urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=cafile)))
        self.log_path = os.path.join(workdir, "jirasim-%s.log" % name)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.path.join(REPO_ROOT, "tests") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # no __pycache__ in tests/jirasim
        self.command = [sys.executable, "-m", "jirasim", "--host", "127.0.0.1", "--port", "0"] + list(args)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                                     env=env, cwd=workdir)
        self.url = self._wait_for_banner()

    def _wait_for_banner(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.log_path, "r", encoding="utf-8", errors="replace") as handle:
                first = handle.readline()
            match = re.match(r"jirasim listening on (https?://\S+)\s*$", first)
            if match:
                return match.group(1)
            if self.proc.poll() is not None:
                raise BenchError("jirasim (%s) exited with %s before listening:\n%s" % (self.name, self.proc.returncode, tail(self.log_path)))
            time.sleep(0.05)
        raise BenchError("jirasim (%s) did not print its listening line within %d s:\n%s" % (self.name, timeout, tail(self.log_path)))

    def stats(self):
        return http_json(self.url + "/_jirasim/stats", opener=self.opener)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log.close()


def calls_between(before, after):
    """(count, log entries) of the Jira requests jirasim served between two stats snapshots."""
    count = after["requests"] - before["requests"]
    log = after.get("log") or []
    return count, (log[-count:] if count > 0 else [])


# ---------------------------------------------------------------------------------------------------------------------
# the collection snapshot

def _collection_dir(root):
    for candidate in (os.path.join(root, "ansible_collections", *COLLECTION), os.path.join(root, *COLLECTION)):
        if os.path.isfile(os.path.join(candidate, "MANIFEST.json")):
            return candidate
    return None


def find_installed_collection():
    paths = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.environ.get("ANSIBLE_COLLECTIONS_PATHS") or ""
    roots = [path for path in paths.split(os.pathsep) if path]
    source = "ANSIBLE_COLLECTIONS_PATH"
    if not roots:
        roots = [os.path.join(REPO_ROOT, "build", "collections")]
        source = "build/collections (ANSIBLE_COLLECTIONS_PATH is not set)"
    for root in roots:
        found = _collection_dir(os.path.expanduser(root))
        if found:
            return found, source
    raise BenchError("jiraops.jira is not installed in %s (%s). Run `make install` (or `make bench`, which installs first)."
                     % (os.pathsep.join(roots), source))


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _snapshot_problems(copy):
    """What is wrong with a copied collection according to its own FILES.json ([] when it is complete)."""
    try:
        with open(os.path.join(copy, "FILES.json"), "r", encoding="utf-8") as handle:
            files = json.load(handle)["files"]
    except (IOError, OSError, ValueError, KeyError) as exc:
        return ["FILES.json unreadable: %s" % exc]
    problems = []
    for entry in files:
        if entry.get("ftype") != "file":
            continue
        path = os.path.join(copy, entry["name"])
        if not os.path.isfile(path):
            problems.append("missing %s" % entry["name"])
        elif entry.get("chksum_sha256") and _sha256(path) != entry["chksum_sha256"]:
            problems.append("checksum of %s" % entry["name"])
    return problems


def snapshot_collection(workdir, attempts=10):
    """(collections path of a checked private copy, info): a concurrent reinstall cannot touch it."""
    source, where = find_installed_collection()
    root = os.path.join(workdir, "collections")
    copy = os.path.join(root, "ansible_collections", *COLLECTION)
    problems = []
    for dummy in range(attempts):
        shutil.rmtree(root, ignore_errors=True)
        try:
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            problems = _snapshot_problems(copy)
        except (IOError, OSError, shutil.Error) as exc:
            problems = ["copy failed: %s" % exc]
        if not problems:
            with open(os.path.join(copy, "MANIFEST.json"), "r", encoding="utf-8") as handle:
                version = json.load(handle)["collection_info"]["version"]
            return root, dict(source=source, found_via=where, version=version, files_sha256=_sha256(os.path.join(copy, "FILES.json")))
        time.sleep(1)  # probably caught a `make install` half way: try again
    raise BenchError("Could not take a consistent copy of %s: %s" % (source, "; ".join(problems[:5])))


# ---------------------------------------------------------------------------------------------------------------------
# running and checking commands

class Outcome:
    def __init__(self, label, wall, returncode, output, record, peak_kb):
        self.label = label
        self.wall = wall
        self.returncode = returncode
        self.output = output
        self.record = record
        self.peak_kb = peak_kb


class Runner:
    """Runs commands in the workspace with one environment, timed, optionally with their peak memory."""

    def __init__(self, workdir, env):
        self.workdir = workdir
        self.env = env
        self.logs = os.path.join(workdir, "logs")
        os.mkdir(self.logs)
        self._counter = itertools.count(1)
        self.memory_method = ("/usr/bin/time -v: maximum resident set size of the largest process of the command's process tree"
                              if os.access(TIME_BIN, os.X_OK) else
                              "os.wait4() rusage ru_maxrss: the largest process of the command's process tree")

    def run(self, label, argv, memory=False, extra_env=None):
        number = next(self._counter)
        base = os.path.join(self.logs, "%04d-%s" % (number, re.sub(r"[^A-Za-z0-9_.-]+", "_", label)))
        output, record_path, time_path = base + ".out", base + ".record.json", base + ".time"
        env = dict(self.env)
        env["JIRAOPS_BENCH_RECORD"] = record_path
        env.update(extra_env or {})
        use_time = memory and os.access(TIME_BIN, os.X_OK)
        command = ([TIME_BIN, "-v", "-o", time_path] if use_time else []) + list(argv)
        peak_kb = None
        with open(output, "wb") as handle:
            started = time.perf_counter()
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=self.workdir)
            watchdog = threading.Timer(COMMAND_TIMEOUT, proc.kill)
            watchdog.start()
            try:
                if memory and not use_time:
                    dummy, status, usage = os.wait4(proc.pid, 0)
                    proc.returncode = os.waitstatus_to_exitcode(status)
                    peak_kb = usage.ru_maxrss
                else:
                    proc.wait()
            except BaseException:
                proc.kill()  # interrupted (SIGTERM, Ctrl-C): leave no benchmarked command behind
                proc.wait()
                raise
            finally:
                watchdog.cancel()
            wall = time.perf_counter() - started
        if use_time:
            peak_kb = _max_rss_from_time(time_path)
        record = None
        if os.path.exists(record_path):
            with open(record_path, "r", encoding="utf-8") as handle:
                record = json.load(handle)
        outcome = Outcome(label, wall, proc.returncode, output, record, peak_kb)
        if proc.returncode != 0:
            raise BenchError("%s failed (exit code %s): %s\n--- last lines of its output (%s):\n%s"
                             % (label, proc.returncode, " ".join(shlex.quote(a) for a in argv), output, tail(output)))
        return outcome


def _max_rss_from_time(path):
    with open(path, "r", encoding="utf-8", errors="replace") as handle:
        match = re.search(r"Maximum resident set size \(kbytes\): *([0-9]+)", handle.read())
    return int(match.group(1)) if match else None


def check_records(outcome, expected_tasks, check=None):
    """Every task of the playbook reported ok, and its result passes ``check``."""
    if outcome.record is None:
        raise BenchError("%s: the benchmark callback wrote no record; was the playbook run at all?\n%s" % (outcome.label, tail(outcome.output)))
    records = outcome.record["records"]
    bad = [r for r in records if r["status"] != "ok"]
    if bad:
        raise BenchError("%s: %d task(s) did not succeed: %s" % (outcome.label, len(bad), json.dumps(bad[0])[:1000]))
    if len(records) != expected_tasks:
        raise BenchError("%s: %d task results, expected %d\n%s" % (outcome.label, len(records), expected_tasks, tail(outcome.output)))
    for record in records:
        problem = check(record["summary"]) if check else None
        if problem:
            raise BenchError("%s: task %r did not do its work: %s (%s)" % (outcome.label, record["task"], problem, json.dumps(record["summary"])[:500]))


def check_calls(label, before, after, expected, agent):
    """jirasim served exactly ``expected`` calls, all 200, from the expected client (so: the expected execution path)."""
    count, log = calls_between(before, after)
    if count != expected:
        raise BenchError("%s: jirasim served %d requests, expected %d" % (label, count, expected))
    for entry in log:
        if entry.get("status") != 200 or (agent and not re.search(agent, entry.get("agent") or "")):
            raise BenchError("%s: unexpected request in jirasim's log (status %s, agent %r, expected agent /%s/): %s %s"
                             % (label, entry.get("status"), entry.get("agent"), agent, entry.get("method"), entry.get("path")))


def issue_counts(issues):
    """The callback's summary of a list of issues (see jiraops_bench.summarize), for issues read from a file."""
    keys = [issue.get("key") if isinstance(issue, dict) else None for issue in issues]
    numbers = [int(match.group(1)) for match in (re.match(r"^TEST-([0-9]+)$", key or "") for key in keys) if match]
    return dict(count=len(keys), unique=len(set(keys)), test_keys=len(numbers), min=min(numbers) if numbers else None,
                max=max(numbers) if numbers else None)


def check_issues(label, summary, expected, pages=None):
    """Every issue TEST-1..TEST-expected came back exactly once (and, when given, in ``pages`` pages)."""
    issues = summary.get("issues") or {}
    wanted = dict(count=expected, unique=expected, test_keys=expected, min=1, max=expected)
    if any(issues.get(key) != value for key, value in wanted.items()):
        raise BenchError("%s: the issues returned are not exactly TEST-1..TEST-%d once each: %s" % (label, expected, json.dumps(issues)))
    got = summary.get("pages") if summary.get("pages") is not None else summary.get("items")
    if pages is not None and got != pages:
        raise BenchError("%s: %r pages, expected %d" % (label, got, pages))
    return dict(issues, expected=expected, passed=True)


# ---------------------------------------------------------------------------------------------------------------------
# the benchmark

class Bench:

    def __init__(self, args, workdir, runner, sim, bulk_sim, tls_sim, tools):
        self.args = args
        self.workdir = workdir
        self.runner = runner
        self.sim = sim
        self.bulk_sim = bulk_sim
        self.sims = dict(main=sim, tls=tls_sim)
        self.tools = tools
        self.inventory = os.path.join(workdir, "inventory.ini")
        with open(self.inventory, "w", encoding="utf-8") as handle:
            handle.write("localhost ansible_connection=local\n")
        self.samples = {}
        self.peaks = {}
        self.bulk_checks = []
        self.pages = int(math.ceil(args.bulk_issues / float(args.page_size)))
        self.playbooks = {}
        for case in PER_TASK_CASES:
            for count in (1, args.tasks):
                self.playbooks[(case["key"], count)] = self._per_task_playbook(case, count)
        self.bulk_empty = self.playbooks[("empty", 1)]
        self.bulk_playbook = self._write("bulk_jira_request.yml", playbook_text("bulk jira_request", [task_lines(
            "jira_request paginate", "jiraops.jira.jira_request",
            _connection_args(bulk_sim.url) + [("path", "/rest/api/2/search"), ("params", {"jql": JQL, "maxResults": args.page_size}),
                                              ("paginate", True)],
            ["      register: bulk"])]))
        # The same task writing the merged pages to a file (dest) instead of returning them through Ansible.
        self.dest_path = os.path.join(workdir, "bulk_issues.json")
        self.bulk_dest_playbooks = {}
        # Also with concurrent_pages: 1, to show what fetching pages concurrently buys on its own.
        for key, extra in (("bulk_request_dest", []), ("bulk_request_dest_one", [("concurrent_pages", 1)])):
            self.bulk_dest_playbooks[key] = self._write("%s.yml" % key, playbook_text(key, [task_lines(
                "jira_request paginate dest", "jiraops.jira.jira_request",
                _connection_args(bulk_sim.url) + [("path", "/rest/api/2/search"), ("params", {"jql": JQL, "maxResults": args.page_size}),
                                                  ("paginate", True), ("dest", self.dest_path)] + extra,
                ["      register: bulk"])]))
        offsets = list(range(0, args.bulk_issues, args.page_size))
        query = urllib.parse.urlencode({"jql": JQL, "maxResults": args.page_size}, quote_via=urllib.parse.quote)
        self.uri_loop_playbook = self._write("bulk_uri_loop.yml", playbook_text("bulk uri loop", [task_lines(
            "uri loop over the page offsets", "ansible.builtin.uri",
            _uri_args("%s/rest/api/2/search?%s&startAt={{ item }}" % (bulk_sim.url, query)),
            ["      loop: %s" % yaml_value(offsets), "      register: pages"])]))

    def _write(self, name, text):
        path = os.path.join(self.workdir, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def _per_task_playbook(self, case, count):
        tasks = []
        if case["module"]:
            url = self.sims[case.get("sim", "main")].url
            tasks = [task_lines("%s %d" % (case["key"], index + 1), case["module"], case["args"](url), case.get("extra", ()))
                     for index in range(count)]
        return self._write("per_task_%s_%d.yml" % (case["key"], count), playbook_text("bench %s" % case["key"], tasks))

    def _add(self, key, value, peak_kb=None):
        self.samples.setdefault(key, []).append(value)
        if peak_kb is not None:
            self.peaks.setdefault(key, []).append(peak_kb)

    def playbook(self, label, path, memory=False):
        return self.runner.run(label, [self.tools["ansible-playbook"], "-i", self.inventory, path], memory=memory)

    # -- sections ------------------------------------------------------------------------------------------------------

    def per_task_round(self, run, tasks, record):
        cases = dict((case["key"], case) for case in PER_TASK_CASES)
        empties = []
        for key in PER_TASK_ORDER:
            case = cases[key]
            label = "run%s-per-task-%s" % (run, key)
            sim = self.sims[case.get("sim", "main")]
            before = sim.stats()
            outcome = self.playbook(label, self.playbooks[(key, tasks)])
            after = sim.stats()
            check_records(outcome, tasks if case["module"] else 0, case.get("check"))
            check_calls(label, before, after, case.get("calls", 0) * tasks, case.get("agent"))
            if key == "empty":
                empties.append(outcome.wall)
            elif record:
                self._add("wall:" + key, outcome.wall)
        if record:
            # The baseline of this run: the median of its empty playbooks (start, middle, end), so that one
            # disturbed empty playbook does not shift every per-task cost of the run.
            self._add("wall:empty", median(empties))
            self._add("wall:empty_each", empties)
            progress("run %s per task: empty %s, %s" % (run, "/".join("%.2fs" % e for e in empties),
                                                        ", ".join("%s %.2fs" % (c["key"], self.samples["wall:" + c["key"]][-1]) for c in PER_TASK_CASES[1:])))

    def adhoc_round(self, run, record):
        cases = (
            ("adhoc_uri", "ansible.builtin.uri", "url=%s/rest/api/2/myself force_basic_auth=true url_username=%s url_password=%s"
             % (self.sim.url, USER, PASSWORD), 1, AGENT_URI),
            ("adhoc_auth", "jiraops.jira.jira_auth_check", "url=%s username=%s password=%s" % (self.sim.url, USER, PASSWORD), 2, AGENT_CONTROLLER),
        )
        for key, module, module_args, calls, agent in cases:
            label = "run%s-%s" % (run, key)
            before = self.sim.stats()
            outcome = self.runner.run(label, [self.tools["ansible"], "-i", self.inventory, "localhost", "-m", module, "-a", module_args])
            after = self.sim.stats()
            with open(outcome.output, "r", encoding="utf-8", errors="replace") as handle:
                if not re.search(r"^localhost \| SUCCESS", handle.read(), re.MULTILINE):
                    raise BenchError("%s: no 'localhost | SUCCESS' in its output:\n%s" % (label, tail(outcome.output)))
            check_calls(label, before, after, calls, agent)
            if record:
                self._add(key, outcome.wall)

    def bulk_round(self, run, record):
        sim = self.bulk_sim
        outcome = self.playbook("run%s-bulk-empty" % run, self.bulk_empty, memory=True)
        check_records(outcome, 0)
        if record:
            self._add("bulk_empty", outcome.wall, outcome.peak_kb)

        session = raw_floor.new_session(USER, PASSWORD)
        try:
            before = sim.stats()
            started = time.perf_counter()
            issues, pages = raw_floor.fetch_all(session, sim.url, JQL, self.args.page_size)
            elapsed = time.perf_counter() - started
        finally:
            session.close()
        check_calls("raw floor loop", before, sim.stats(), self.pages, None)
        summary = raw_floor.summarize(issues)
        if summary != dict(count=self.args.bulk_issues, unique=self.args.bulk_issues, exact=True) or pages != self.pages:
            raise BenchError("raw floor loop: fetched %s in %d pages, expected %d issues in %d pages" % (summary, pages, self.args.bulk_issues, self.pages))
        del issues
        if record:
            self._add("raw_loop", elapsed)

        label = "run%s-bulk-raw-process" % run
        before = sim.stats()
        outcome = self.runner.run(label, [sys.executable, os.path.join(BENCH_DIR, "raw_floor.py"), sim.url, USER, PASSWORD, JQL, str(self.args.page_size)],
                                  memory=True, extra_env={"PYTHONDONTWRITEBYTECODE": "1"})
        check_calls(label, before, sim.stats(), self.pages, None)
        with open(outcome.output, "r", encoding="utf-8", errors="replace") as handle:
            lines = handle.read().strip().splitlines()
        fetched = json.loads(lines[-1]) if lines else {}
        if fetched != dict(count=self.args.bulk_issues, unique=self.args.bulk_issues, exact=True, pages=self.pages):
            raise BenchError("%s: fetched %s, expected %d issues in %d pages" % (label, fetched, self.args.bulk_issues, self.pages))
        if record:
            self._add("raw_process", outcome.wall, outcome.peak_kb)

        for key, path, agent in (("bulk_request", self.bulk_playbook, AGENT_CONTROLLER), ("bulk_uri_loop", self.uri_loop_playbook, AGENT_URI)):
            label = "run%s-%s" % (run, key)
            before = sim.stats()
            outcome = self.playbook(label, path, memory=True)
            check_calls(label, before, sim.stats(), self.pages, agent)
            check_records(outcome, 1)
            summary = outcome.record["records"][0]["summary"]
            if key == "bulk_uri_loop" and (summary.get("item_failed") or summary.get("item_statuses") != ["200"]):
                raise BenchError("%s: not every page answered 200: %s" % (label, json.dumps(summary)[:500]))
            verified = check_issues(label, summary, self.args.bulk_issues, self.pages)
            if record:
                self._add(key, outcome.wall, outcome.peak_kb)
                self._add(key + ":callback_seconds", outcome.record["records"][0]["seconds"])
                self.bulk_checks.append(dict(verified, case=key, run=run))
        self.bulk_dest_round(run, record)
        if record:
            progress("run %s bulk: empty %.2fs, raw loop %.3fs, raw process %.2fs, jira_request %.2fs, with dest %.2fs "
                     "(one page at a time %.2fs), uri loop %.2fs"
                     % ((run,) + tuple(self.samples[k][-1] for k in ("bulk_empty", "raw_loop", "raw_process", "bulk_request",
                                                                     "bulk_request_dest", "bulk_request_dest_one", "bulk_uri_loop"))))

    def bulk_dest_round(self, run, record):
        """jira_request paginate with dest: every run writes the file anew, and the file must hold every issue once."""
        for key, path in sorted(self.bulk_dest_playbooks.items()):
            label = "run%s-%s" % (run, key)
            if os.path.exists(self.dest_path):
                os.unlink(self.dest_path)
            before = self.bulk_sim.stats()
            outcome = self.playbook(label, path, memory=True)
            check_calls(label, before, self.bulk_sim.stats(), self.pages, AGENT_CONTROLLER)
            check_records(outcome, 1)
            summary = outcome.record["records"][0]["summary"]
            with open(self.dest_path, encoding="utf-8") as handle:
                summary["issues"] = issue_counts(json.load(handle).get("issues") or [])
            verified = check_issues(label, summary, self.args.bulk_issues, self.pages)
            if record:
                self._add(key, outcome.wall, outcome.peak_kb)
                self.bulk_checks.append(dict(verified, case=key, run=run))

    def warm_up(self):
        """One untimed round: fills caches, and proves every case works before anything is timed."""
        progress("warm-up round (1 task per case, not timed)")
        self.per_task_round("0", 1, record=False)
        self.adhoc_round("0", record=False)
        self.bulk_round("0", record=False)

    def run_all(self):
        self.warm_up()
        for run in range(1, self.args.runs + 1):
            self.per_task_round(run, self.args.tasks, record=True)
            self.adhoc_round(run, record=True)
            self.bulk_round(run, record=True)
        return self.results()

    # -- results -------------------------------------------------------------------------------------------------------

    def results(self):
        tasks = self.args.tasks
        runs = range(self.args.runs)
        wall = dict((case["key"], self.samples["wall:" + case["key"]]) for case in PER_TASK_CASES)  # the empty one: median of 3 per run
        cost = dict((key, [(wall[key][i] - wall["empty"][i]) / tasks for i in runs]) for key in wall if key != "empty")
        rows = []

        def row(section, key, title, unit, values_s, wall_s, vs=None, peak_key=None, extra=None):
            entry = dict(section=section, key=key, title=title, unit=unit,
                         median_ms=_ms(median(values_s)), runs_ms=[_ms(v) for v in values_s],
                         min_ms=_ms(min(values_s)), max_ms=_ms(max(values_s)),
                         wall_median_ms=_ms(median(wall_s)), wall_runs_ms=[_ms(v) for v in wall_s])
            for name, values in (vs or {}).items():
                entry["vs_" + name] = _round(median(values), 4)
                entry["vs_%s_runs" % name] = [_round(v, 4) for v in values]
            if peak_key and self.peaks.get(peak_key):
                entry["peak_mb"] = round(median(self.peaks[peak_key]) / 1024.0, 1)
            entry.update(extra or {})
            rows.append(entry)

        row("per task", "empty", "empty playbook (0 tasks; per run the median of 3)", "ms per playbook", wall["empty"], wall["empty"],
            extra=dict(each_runs_ms=[[_ms(v) for v in each] for each in self.samples["wall:empty_each"]]))
        for case in PER_TASK_CASES[1:]:
            key = case["key"]
            row("per task", key, case["title"], "ms per task", cost[key], wall[key],
                vs=dict(uri=[ratio(cost[key][i], cost["uri"][i]) for i in runs], debug=[ratio(cost[key][i], cost["debug"][i]) for i in runs]))

        adhoc_uri, adhoc_auth = self.samples["adhoc_uri"], self.samples["adhoc_auth"]
        row("ad hoc", "adhoc_uri", "ansible localhost -m ansible.builtin.uri", "ms per command", adhoc_uri, adhoc_uri,
            vs=dict(uri=[1.0 for i in runs]))
        row("ad hoc", "adhoc_auth", "ansible localhost -m jiraops.jira.jira_auth_check", "ms per command", adhoc_auth, adhoc_auth,
            vs=dict(uri=[ratio(adhoc_auth[i], adhoc_uri[i]) for i in runs]))

        empty_b = self.samples["bulk_empty"]
        raw_loop = self.samples["raw_loop"]
        bulk_task = [self.samples["bulk_request"][i] - empty_b[i] for i in runs]
        loop_task = [self.samples["bulk_uri_loop"][i] - empty_b[i] for i in runs]
        title = "%d issues, %d pages of %d" % (self.args.bulk_issues, self.pages, self.args.page_size)
        row("bulk", "raw_loop", "raw floor: requests.Session loop, in-process (%s)" % title, "ms per fetch", raw_loop, raw_loop,
            vs=dict(raw=[1.0 for i in runs], uri_loop=[ratio(raw_loop[i], loop_task[i]) for i in runs]))
        row("bulk", "raw_process", "raw floor as a process (python start + import requests + loop)", "ms per process",
            self.samples["raw_process"], self.samples["raw_process"],
            vs=dict(raw=[ratio(self.samples["raw_process"][i], raw_loop[i]) for i in runs],
                    uri_loop=[ratio(self.samples["raw_process"][i], loop_task[i]) for i in runs]), peak_key="raw_process")
        row("bulk", "bulk_request", "jira_request paginate: true (task = playbook - empty playbook)", "ms per task", bulk_task,
            self.samples["bulk_request"],
            vs=dict(raw=[ratio(bulk_task[i], raw_loop[i]) for i in runs], uri_loop=[ratio(bulk_task[i], loop_task[i]) for i in runs],
                    raw_process=[ratio(bulk_task[i], self.samples["raw_process"][i]) for i in runs]),
            peak_key="bulk_request", extra=dict(callback_task_median_ms=_ms(median(self.samples["bulk_request:callback_seconds"]))))
        for key, title in (("bulk_request_dest", "jira_request paginate: true, dest: file (task = playbook - empty playbook)"),
                           ("bulk_request_dest_one", "the same with concurrent_pages: 1 (one page at a time, as the floor)")):
            dest_task = [self.samples[key][i] - empty_b[i] for i in runs]
            row("bulk", key, title, "ms per task", dest_task, self.samples[key],
                vs=dict(raw=[ratio(dest_task[i], raw_loop[i]) for i in runs], uri_loop=[ratio(dest_task[i], loop_task[i]) for i in runs],
                        raw_process=[ratio(dest_task[i], self.samples["raw_process"][i]) for i in runs]),
                peak_key=key)
        row("bulk", "bulk_uri_loop", "uri with loop over the page offsets (task = playbook - empty playbook)", "ms per task", loop_task,
            self.samples["bulk_uri_loop"],
            vs=dict(raw=[ratio(loop_task[i], raw_loop[i]) for i in runs], uri_loop=[1.0 for i in runs]), peak_key="bulk_uri_loop",
            extra=dict(callback_task_median_ms=_ms(median(self.samples["bulk_uri_loop:callback_seconds"]))))
        row("bulk", "bulk_empty", "empty playbook (bulk baseline, same memory wrapper)", "ms per playbook", empty_b, empty_b, peak_key="bulk_empty")

        by_key = dict((r["key"], r) for r in rows)
        targets = [
            _target("jira_auth_check controller path <= 0.10x uri per task (goal 0.05x)", by_key["auth_controller"].get("vs_uri"), 0.10, goal=0.05),
            _target("jira_auth_check controller path <= 2x debug per task", by_key["auth_controller"].get("vs_debug"), 2.0),
            _target("jira_auth_check module path <= 1.0x uri per task", by_key["auth_module"].get("vs_uri"), 1.0),
            _target("ad hoc jira_auth_check <= 1.0x ad hoc uri", by_key["adhoc_auth"].get("vs_uri"), 1.0),
            _target("bulk paging <= 1.5x raw requests.Session floor (items returned in the result)", by_key["bulk_request"].get("vs_raw"), 1.5),
            _target("bulk paging <= 1.5x raw requests.Session floor (items written to dest)", by_key["bulk_request_dest"].get("vs_raw"), 1.5),
        ]
        return dict(cases=rows, targets=targets, bulk_check=dict(passed=all(c["passed"] for c in self.bulk_checks) and bool(self.bulk_checks),
                                                                 checks=self.bulk_checks))


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000.0, 2)


def _round(value, digits):
    return None if value is None else round(value, digits)


def _target(name, value, limit, goal=None):
    target = dict(name=name, value=value, limit=limit, passed=value is not None and value <= limit)
    if goal is not None:
        target["goal"] = goal
        target["goal_met"] = value is not None and value <= goal
    return target


# ---------------------------------------------------------------------------------------------------------------------
# report

def _fmt_ms(value):
    return "-" if value is None else "%.1f" % value


def _fmt_ratio(value):
    if value is None:
        return "-"
    return "%.3fx" % value if value < 10 else "%.1fx" % value


def render_table(rows):
    header = ["section", "case", "median ms", "unit", "vs uri", "vs debug", "vs raw floor", "vs uri loop", "peak MB", "runs min..max ms"]
    lines = []
    for r in rows:
        lines.append([r["section"], r["title"], _fmt_ms(r["median_ms"]), r["unit"], _fmt_ratio(r.get("vs_uri")), _fmt_ratio(r.get("vs_debug")),
                      _fmt_ratio(r.get("vs_raw")), _fmt_ratio(r.get("vs_uri_loop")),
                      "-" if r.get("peak_mb") is None else "%.1f" % r["peak_mb"], "%s..%s" % (_fmt_ms(r["min_ms"]), _fmt_ms(r["max_ms"]))])
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines)]
    numeric = set(range(2, len(header)))

    def fmt(cells):
        return "| " + " | ".join(str(c).rjust(w) if i in numeric else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"

    out = [fmt(header), "|" + "|".join((("-" * (w + 1)) + ":") if i in numeric else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|"]
    out.extend(fmt(cells) for cells in lines)
    return "\n".join(out)


def render_targets(targets):
    lines = []
    for t in targets:
        value = "n/a (a denominator was <= 0: too noisy)" if t["value"] is None else "%.3fx" % t["value"]
        line = "- %s %s: %s (limit %.2fx)" % ("PASS" if t["passed"] else "FAIL", t["name"], value, t["limit"])
        if "goal" in t:
            line += "; goal %.2fx %s" % (t["goal"], "met" if t["goal_met"] else "not met")
        lines.append(line)
    return "\n".join(lines)


def machine_info(tools, runner):
    info = dict(cores=os.cpu_count(), python="%s (%s)" % (platform.python_version(), sys.executable), platform=platform.platform())
    try:
        info["usable_cores"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        with open("/proc/cpuinfo", "r", encoding="utf-8") as handle:
            models = re.findall(r"^model name\s*:\s*(.+)$", handle.read(), re.MULTILINE)
        if models:
            info["cpu"] = models[0].strip()
        with open("/proc/meminfo", "r", encoding="utf-8") as handle:
            match = re.search(r"^MemTotal:\s*([0-9]+) kB", handle.read(), re.MULTILINE)
        if match:
            info["memory_gb"] = round(int(match.group(1)) / 1048576.0, 1)
    except (IOError, OSError):
        pass
    version = subprocess.run([tools["ansible-playbook"], "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=runner.env,
                             cwd=runner.workdir, check=False).stdout.decode("utf-8", "replace")
    match = re.search(r"core ([0-9][^\]\s]*)", version)
    info["ansible_core"] = match.group(1) if match else version.strip().splitlines()[0] if version.strip() else "unknown"
    info["requests"] = raw_floor.requests.__version__
    info["memory_measured_with"] = runner.memory_method
    return info


# ---------------------------------------------------------------------------------------------------------------------
# main

def parse_args(argv):
    parser = argparse.ArgumentParser(description="Benchmark the jiraops.jira modules against uri, debug and a raw requests loop.")
    parser.add_argument("--runs", type=int, help="measured runs; medians are taken over them (default 5)")
    parser.add_argument("--tasks", type=int, help="tasks per playbook in the per-task section (default 20)")
    parser.add_argument("--bulk-issues", type=int, help="issues in the bulk search (default 5000)")
    parser.add_argument("--page-size", type=int, help="maxResults per page in the bulk section, also jirasim's cap (default 1000)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes for a smoke test: runs 1, tasks 2, bulk 200 issues in pages of 50")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    parser.add_argument("--keep-temp", action="store_true", help="keep the temporary directory (playbooks, outputs) and print where it is")
    args = parser.parse_args(argv)
    defaults = dict(runs=1, tasks=2, bulk_issues=200, page_size=50) if args.quick else dict(runs=5, tasks=20, bulk_issues=5000, page_size=1000)
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    for name in ("runs", "tasks", "bulk_issues", "page_size"):
        if getattr(args, name) < 1:
            parser.error("--%s must be 1 or more" % name.replace("_", "-"))
    return args


def find_tools():
    tools = {}
    for name in ("ansible", "ansible-playbook"):
        beside = os.path.join(os.path.dirname(sys.executable), name)
        tools[name] = beside if os.access(beside, os.X_OK) else shutil.which(name)
        if not tools[name]:
            raise BenchError("%s not found next to %s or on PATH" % (name, sys.executable))
    return tools


def bench_environment(workdir, collections):
    """(env, names dropped): the one environment of every benchmarked command, the caller's without its ANSIBLE_*,
    JIRA_* and JIRAOPS_JIRA_EXECUTION settings, plus ours. The names returned are the dropped ones not set again here."""
    env = dict(os.environ)
    dropped = sorted(k for k in env if (k.startswith("ANSIBLE_") or k.startswith("JIRA_") or k == "JIRAOPS_JIRA_EXECUTION")
                     and k not in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS"))
    for key in dropped + ["ANSIBLE_COLLECTIONS_PATHS"]:
        env.pop(key, None)
    for name in ("local_tmp", "remote_tmp", "home", "callback_plugins"):
        os.mkdir(os.path.join(workdir, name))
    shutil.copyfile(os.path.join(BENCH_DIR, "jiraops_bench.py"), os.path.join(workdir, "callback_plugins", "jiraops_bench.py"))
    config = os.path.join(workdir, "ansible.cfg")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write("[defaults]\n")
    no_proxy = ",".join(v for v in (env.get("NO_PROXY") or env.get("no_proxy"), "127.0.0.1", "localhost") if v)
    env.update({
        "ANSIBLE_CONFIG": config,
        "ANSIBLE_COLLECTIONS_PATH": collections,
        "ANSIBLE_HOME": os.path.join(workdir, "home"),
        "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "local_tmp"),
        "ANSIBLE_REMOTE_TEMP": os.path.join(workdir, "remote_tmp"),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_CALLBACK_PLUGINS": os.path.join(workdir, "callback_plugins"),
        "ANSIBLE_STDOUT_CALLBACK": "jiraops_bench",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "NO_PROXY": no_proxy,
        "no_proxy": no_proxy,
    })
    return env, [key for key in dropped if key not in env]


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _terminate)
    command = " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)
    workdir = tempfile.mkdtemp(prefix="jiraops-bench-")
    sims = []
    try:
        load_before = os.getloadavg()
        tools = find_tools()
        collections, collection_info = snapshot_collection(workdir)
        env, dropped = bench_environment(workdir, collections)
        cert, key = tls_files(workdir, env)
        os.environ["NO_PROXY"] = os.environ["no_proxy"] = env["NO_PROXY"]  # the in-process raw floor too
        runner = Runner(workdir, env)
        sims.append(Jirasim(workdir, "main", []))
        sims.append(Jirasim(workdir, "bulk", ["--issues", str(args.bulk_issues), "--max-results-cap", str(args.page_size)]))
        sims.append(Jirasim(workdir, "tls", ["--tls-cert", cert, "--tls-key", key], cafile=cert))
        info = machine_info(tools, runner)
        progress("jirasim %s (per task, ad hoc) and %s (bulk: %d issues); workspace %s" % (sims[0].url, sims[1].url, args.bulk_issues, workdir))
        started = time.time()
        results = Bench(args, workdir, runner, sims[0], sims[1], sims[2], tools).run_all()
        info["load_average_before"] = [round(v, 2) for v in load_before]
        info["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
        info["duration_s"] = round(time.time() - started, 1)
        results.update(command=command, machine=info, collection=collection_info, ignored_environment=dropped,
                       settings=dict(runs=args.runs, tasks=args.tasks, bulk_issues=args.bulk_issues, page_size=args.page_size, quick=args.quick))
        report(results)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump(results, handle, indent=2, sort_keys=True)
                handle.write("\n")
        return 0
    except BenchError as exc:
        sys.stderr.write("\nBENCHMARK ERROR: %s\n" % exc)
        if not args.keep_temp:
            sys.stderr.write("(rerun with --keep-temp to keep the playbooks and outputs)\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("\nBENCHMARK INTERRUPTED\n")
        return 130
    finally:
        for sim in sims:
            sim.stop()
        if args.keep_temp:
            sys.stderr.write("[bench] workspace kept: %s\n" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def tls_files(workdir, env):
    """(certificate, key) for the https jirasim, and SSL_CERT_FILE in ``env`` naming a copy of the system's CA
    bundle with that certificate added: the collection then verifies jirasim as it verifies any public Jira."""
    sys.path.insert(0, os.path.join(REPO_ROOT, "tests", "safety"))
    try:
        from safety_support import self_signed_cert
    finally:
        sys.path.pop(0)
    cert, key = self_signed_cert(workdir)
    paths = ssl.get_default_verify_paths()
    bundle = os.path.join(workdir, "ca-bundle.pem")
    with open(bundle, "wb") as out:
        for source in (paths.cafile or paths.openssl_cafile, cert):
            if source and os.path.isfile(source):
                with open(source, "rb") as handle:
                    out.write(handle.read().rstrip(b"\n") + b"\n")
    env["SSL_CERT_FILE"] = bundle
    return cert, key


def report(results):
    info = results["machine"]
    settings = results["settings"]
    print("## jiraops.jira benchmark")
    print("")
    print("command: %s" % results["command"])
    print("machine: %s cores (%s usable), %s, %s GB RAM; %s" % (info.get("cores"), info.get("usable_cores", "?"), info.get("cpu", "?"),
                                                                info.get("memory_gb", "?"), info.get("platform")))
    print("python %s; ansible-core %s; requests %s" % (info["python"], info["ansible_core"], info["requests"]))
    print("collection: jiraops.jira %s, snapshot of %s (FILES.json sha256 %s)"
          % (results["collection"]["version"], results["collection"]["source"], results["collection"]["files_sha256"][:12]))
    print("load average before %s, after %s; took %ss" % (info["load_average_before"], info["load_average_after"], info["duration_s"]))
    print("settings: %d runs, %d tasks per playbook, bulk %d issues in pages of %d%s"
          % (settings["runs"], settings["tasks"], settings["bulk_issues"], settings["page_size"], " (--quick)" if settings["quick"] else ""))
    if results["ignored_environment"]:
        print("ignored from the environment: %s" % ", ".join(results["ignored_environment"]))
    print("peak MB: %s" % info["memory_measured_with"])
    print("medians of the runs; ratios are medians of per-run ratios (each pair from the same run). Per task = (playbook - empty playbook) / tasks.")
    print("")
    print(render_table(results["cases"]))
    print("")
    check = results["bulk_check"]
    print("bulk check: %s (every issue TEST-1..TEST-%d returned exactly once by jira_request and by the uri loop, in every run)"
          % ("passed" if check["passed"] else "FAILED", settings["bulk_issues"]))
    print("")
    print("targets:")
    print(render_targets(results["targets"]))
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
