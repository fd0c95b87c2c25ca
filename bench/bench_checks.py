# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What bench/run_bench.py checks about each run: every task did its work, on the expected path, every issue once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from bench_common import BenchError, tail


def calls_between(before, after):
    """(count, log entries) of the Jira requests jirasim served between two stats snapshots."""
    count = after["requests"] - before["requests"]
    log = after.get("log") or []
    return count, (log[-count:] if count > 0 else [])


def check_records(outcome, expected_tasks, check=None):
    """Every task of the playbook reported ok, and its result passes ``check``."""
    if outcome.record is None:
        raise BenchError("%s: the benchmark callback wrote no record; was the playbook run at all?\n%s"
                         % (outcome.label, tail(outcome.output)))
    records = outcome.record["records"]
    bad = [r for r in records if r["status"] != "ok"]
    if bad:
        raise BenchError("%s: %d task(s) did not succeed: %s" % (outcome.label, len(bad), json.dumps(bad[0])[:1000]))
    if len(records) != expected_tasks:
        raise BenchError("%s: %d task results, expected %d\n%s"
                         % (outcome.label, len(records), expected_tasks, tail(outcome.output)))
    for record in records:
        problem = check(record["summary"]) if check else None
        if problem:
            raise BenchError("%s: task %r did not do its work: %s (%s)"
                             % (outcome.label, record["task"], problem, json.dumps(record["summary"])[:500]))


def check_calls(label, before, after, expected, agent):
    """jirasim served exactly ``expected`` calls, all 200, from the expected client (so: the expected execution
    path)."""
    count, log = calls_between(before, after)
    if count != expected:
        raise BenchError("%s: jirasim served %d requests, expected %d" % (label, count, expected))
    for entry in log:
        if entry.get("status") != 200 or (agent and not re.search(agent, entry.get("agent") or "")):
            raise BenchError("%s: unexpected request in jirasim's log (status %s, agent %r, expected agent /%s/): %s %s"
                             % (label, entry.get("status"), entry.get("agent"), agent, entry.get("method"),
                                entry.get("path")))


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
        raise BenchError("%s: the issues returned are not exactly TEST-1..TEST-%d once each: %s"
                         % (label, expected, json.dumps(issues)))
    got = summary.get("pages") if summary.get("pages") is not None else summary.get("items")
    if pages is not None and got != pages:
        raise BenchError("%s: %r pages, expected %d" % (label, got, pages))
    return dict(issues, expected=expected, passed=True)
