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
import json
import os
import shlex
import shutil
import signal
import ssl
import sys
import tempfile
import time

# The modules next to this script are imported from the repository tree: leave no __pycache__ there.
sys.dont_write_bytecode = True
BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
if BENCH_DIR not in sys.path:
    sys.path.insert(0, BENCH_DIR)

# The parts, one job each (after dont_write_bytecode, on purpose): bench_cases (what is run), bench_measure (jirasim,
# the collection snapshot, timed commands), bench_checks (did each run do its work), bench_rounds (the measured
# rounds), bench_report (medians, ratios, targets, the table).
from bench_common import REPO_ROOT, BenchError, progress  # noqa: E402
from bench_measure import Jirasim, Runner, snapshot_collection  # noqa: E402
from bench_report import machine_info, report, results as bench_results  # noqa: E402
from bench_rounds import Bench  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Benchmark the jiraops.jira modules against uri, debug and a raw requests loop.")
    parser.add_argument("--runs", type=int, help="measured runs; medians are taken over them (default 5)")
    parser.add_argument("--tasks", type=int, help="tasks per playbook in the per-task section (default 20)")
    parser.add_argument("--bulk-issues", type=int, help="issues in the bulk search (default 5000)")
    parser.add_argument("--page-size", type=int,
                        help="maxResults per page in the bulk section, also jirasim's cap (default 1000)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes for a smoke test: runs 1, tasks 2, bulk 200 issues in pages of 50")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    parser.add_argument("--keep-temp", action="store_true",
                        help="keep the temporary directory (playbooks, outputs) and print where it is")
    args = parser.parse_args(argv)
    defaults = dict(runs=1, tasks=2, bulk_issues=200,
                    page_size=50) if args.quick else dict(runs=5, tasks=20, bulk_issues=5000, page_size=1000)
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
    JIRA_* and JIRAOPS_JIRA_EXECUTION settings, plus ours. The names returned are the dropped ones not set again
    here."""
    env = dict(os.environ)
    dropped = sorted(k for k in env
                     if (k.startswith("ANSIBLE_") or k.startswith("JIRA_") or k == "JIRAOPS_JIRA_EXECUTION")
                     and k not in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS"))
    for key in dropped + ["ANSIBLE_COLLECTIONS_PATHS"]:
        env.pop(key, None)
    for name in ("local_tmp", "remote_tmp", "home", "callback_plugins"):
        os.mkdir(os.path.join(workdir, name))
    shutil.copyfile(os.path.join(BENCH_DIR, "jiraops_bench.py"),
                    os.path.join(workdir, "callback_plugins", "jiraops_bench.py"))
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
        sims.append(Jirasim(workdir, "bulk",
                            ["--issues", str(args.bulk_issues), "--max-results-cap", str(args.page_size)]))
        sims.append(Jirasim(workdir, "tls", ["--tls-cert", cert, "--tls-key", key], cafile=cert))
        info = machine_info(tools, runner)
        progress("jirasim %s (per task, ad hoc) and %s (bulk: %d issues); workspace %s"
                 % (sims[0].url, sims[1].url, args.bulk_issues, workdir))
        started = time.time()
        bench = Bench(args, workdir, runner, sims[0], sims[1], sims[2], tools)
        bench.run_all()
        results = bench_results(bench)
        info["load_average_before"] = [round(v, 2) for v in load_before]
        info["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
        info["duration_s"] = round(time.time() - started, 1)
        results.update(command=command, machine=info, collection=collection_info, ignored_environment=dropped,
                       settings=dict(runs=args.runs, tasks=args.tasks, bulk_issues=args.bulk_issues,
                                     page_size=args.page_size, quick=args.quick))
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


if __name__ == "__main__":
    sys.exit(main())
