# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How bench/run_bench.py measures: a jirasim process, a checked snapshot of the collection, timed commands."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import itertools
import json
import os
import re
import shlex
import shutil
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

from bench_common import _OPENER, COLLECTION, COMMAND_TIMEOUT, REPO_ROOT, TIME_BIN, BenchError, http_json, tail


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
        env["PYTHONPATH"] = os.path.join(REPO_ROOT,
                                         "tests") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
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
                raise BenchError("jirasim (%s) exited with %s before listening:\n%s"
                                 % (self.name, self.proc.returncode, tail(self.log_path)))
            time.sleep(0.05)
        raise BenchError("jirasim (%s) did not print its listening line within %d s:\n%s"
                         % (self.name, timeout, tail(self.log_path)))

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
    raise BenchError("jiraops.jira is not installed in %s (%s). Run `make install` (or `make bench`, which installs "
                     "first)." % (os.pathsep.join(roots), source))


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
            return root, dict(source=source, found_via=where, version=version,
                              files_sha256=_sha256(os.path.join(copy, "FILES.json")))
        time.sleep(1)  # probably caught a `make install` half way: try again
    raise BenchError("Could not take a consistent copy of %s: %s" % (source, "; ".join(problems[:5])))


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
        self.memory_method = ("/usr/bin/time -v: maximum resident set size of the largest process of the command's "
                              "process tree"
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
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                                    env=env, cwd=self.workdir)
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
