# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The measured rounds of bench/run_bench.py: per task, ad hoc and bulk, interleaved case by case within a run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import math
import os
import re
import sys
import time
import urllib.parse

import raw_floor
from bench_cases import (PER_TASK_CASES, PER_TASK_ORDER, _connection_args, _uri_args, expected_calls, playbook_text,
                         task_lines, yaml_value)
from bench_checks import check_calls, check_issues, check_records, issue_counts
from bench_common import AGENT_CONTROLLER, AGENT_URI, BENCH_DIR, JQL, PASSWORD, USER, BenchError, median, progress, tail


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
            _connection_args(bulk_sim.url) + [("path", "/rest/api/2/search"),
                                              ("params", {"jql": JQL, "maxResults": args.page_size}),
                                              ("paginate", True)],
            ["      register: bulk"])]))
        # The same task writing the merged pages to a file (dest) instead of returning them through Ansible.
        self.dest_path = os.path.join(workdir, "bulk_issues.json")
        self.bulk_dest_playbooks = {}
        # Also with concurrent_pages: 1, to show what fetching pages concurrently buys on its own.
        for key, extra in (("bulk_request_dest", []), ("bulk_request_dest_one", [("concurrent_pages", 1)])):
            self.bulk_dest_playbooks[key] = self._write("%s.yml" % key, playbook_text(key, [task_lines(
                "jira_request paginate dest", "jiraops.jira.jira_request",
                _connection_args(bulk_sim.url) + [("path", "/rest/api/2/search"),
                                                  ("params", {"jql": JQL, "maxResults": args.page_size}),
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
            tasks = [task_lines("%s %d" % (case["key"], index + 1), case["module"], case["args"](url),
                                case.get("extra", ()))
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
            check_calls(label, before, after, expected_calls(case, tasks), case.get("agent"))
            if key == "empty":
                empties.append(outcome.wall)
            elif record:
                self._add("wall:" + key, outcome.wall)
        if record:
            # The baseline of this run: the median of its empty playbooks (start, middle, end), so that one
            # disturbed empty playbook does not shift every per-task cost of the run.
            self._add("wall:empty", median(empties))
            self._add("wall:empty_each", empties)
            progress("run %s per task: empty %s, %s"
                     % (run, "/".join("%.2fs" % e for e in empties),
                        ", ".join("%s %.2fs" % (c["key"], self.samples["wall:" + c["key"]][-1])
                                  for c in PER_TASK_CASES[1:])))

    def adhoc_round(self, run, record):
        cases = (
            ("adhoc_uri", "ansible.builtin.uri",
             "url=%s/rest/api/2/myself force_basic_auth=true url_username=%s url_password=%s"
             % (self.sim.url, USER, PASSWORD), 1, AGENT_URI),
            ("adhoc_auth", "jiraops.jira.jira_auth_check", "url=%s username=%s password=%s"
             % (self.sim.url, USER, PASSWORD), 2, AGENT_CONTROLLER),
        )
        for key, module, module_args, calls, agent in cases:
            label = "run%s-%s" % (run, key)
            before = self.sim.stats()
            outcome = self.runner.run(label, [self.tools["ansible"], "-i", self.inventory, "localhost", "-m", module,
                                              "-a", module_args])
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
        if summary != dict(count=self.args.bulk_issues, unique=self.args.bulk_issues,
                           exact=True) or pages != self.pages:
            raise BenchError("raw floor loop: fetched %s in %d pages, expected %d issues in %d pages"
                             % (summary, pages, self.args.bulk_issues, self.pages))
        del issues
        if record:
            self._add("raw_loop", elapsed)

        label = "run%s-bulk-raw-process" % run
        before = sim.stats()
        outcome = self.runner.run(label, [sys.executable, os.path.join(BENCH_DIR, "raw_floor.py"), sim.url, USER,
                                          PASSWORD, JQL, str(self.args.page_size)],
                                  memory=True, extra_env={"PYTHONDONTWRITEBYTECODE": "1"})
        check_calls(label, before, sim.stats(), self.pages, None)
        with open(outcome.output, "r", encoding="utf-8", errors="replace") as handle:
            lines = handle.read().strip().splitlines()
        fetched = json.loads(lines[-1]) if lines else {}
        if fetched != dict(count=self.args.bulk_issues, unique=self.args.bulk_issues, exact=True, pages=self.pages):
            raise BenchError("%s: fetched %s, expected %d issues in %d pages"
                             % (label, fetched, self.args.bulk_issues, self.pages))
        if record:
            self._add("raw_process", outcome.wall, outcome.peak_kb)

        for key, path, agent in (("bulk_request", self.bulk_playbook, AGENT_CONTROLLER),
                                 ("bulk_uri_loop", self.uri_loop_playbook, AGENT_URI)):
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
                     % ((run,) + tuple(self.samples[k][-1]
                                       for k in ("bulk_empty", "raw_loop", "raw_process", "bulk_request",
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
