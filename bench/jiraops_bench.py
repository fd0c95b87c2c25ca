# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stdout callback of bench/run_bench.py: ansible.builtin.default, plus a record of every task result.

run_bench.py copies this file into its temporary callback directory and makes it the stdout callback
of every benchmarked playbook. It prints exactly what the default callback prints and works on the
result copy the default callback already made, so it costs what the default callback costs (a second
callback plugin would get, and pay for, its own deep copy of every result, which would distort the
bulk case). At the end of the playbook it writes, to the file named by JIRAOPS_BENCH_RECORD, one
entry per task result: its status, how long the controller saw it take, and a summary that lets
run_bench.py check the task really did its work (HTTP status, health, and for searches how many
issues came back, how many distinct, and whether they are exactly TEST-1..TEST-N).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: jiraops_bench
type: stdout
short_description: The default screen output, plus a record of each task result for the benchmark
description:
  - Prints what ansible.builtin.default prints, and writes a JSON summary of each task result to
    E(JIRAOPS_BENCH_RECORD).
extends_documentation_fragment:
  - default_callback
  - result_format_callback
requirements:
  - set as stdout callback
"""

import json
import os
import re
import time

from ansible.plugins.callback.default import CallbackModule as DefaultCallbackModule

_TEST_KEY = re.compile(r"^TEST-([0-9]+)$")


def _issues_of(data):
    """The issues a result carries: json.issues, or for a loop every item's json.issues. None when none."""
    found = None
    answers = [data.get("json")]
    answers.extend(item.get("json") for item in data.get("results") or [] if isinstance(item, dict))
    for answer in answers:
        if isinstance(answer, dict) and isinstance(answer.get("issues"), list):
            found = (found or []) + answer["issues"]
    return found


def summarize(data):
    """What run_bench.py checks about one task result."""
    summary = dict((key, data.get(key)) for key in ("status", "healthy", "login_state", "pages", "changed"))
    if data.get("msg") and (data.get("failed") or data.get("unreachable")):
        summary["msg"] = str(data.get("msg"))[:500]
    results = data.get("results")
    if isinstance(results, list):
        summary["items"] = len(results)
        summary["item_statuses"] = sorted(set(str(item.get("status")) for item in results if isinstance(item, dict)))
        summary["item_failed"] = sum(1 for item in results if isinstance(item, dict) and item.get("failed"))
    issues = _issues_of(data)
    if issues is not None:
        keys = [issue.get("key") if isinstance(issue, dict) else None for issue in issues]
        numbers = [int(match.group(1)) for match in (_TEST_KEY.match(key or "") for key in keys) if match]
        summary["issues"] = dict(count=len(keys), unique=len(set(keys)), test_keys=len(numbers),
                                 min=min(numbers) if numbers else None, max=max(numbers) if numbers else None)
    return summary


class CallbackModule(DefaultCallbackModule):
    """ansible.builtin.default with a record of each task result."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "jiraops_bench"

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._bench_records = []
        self._bench_task_started = None
        self._bench_playbook_started = None

    def v2_playbook_on_start(self, playbook):
        self._bench_playbook_started = time.time()
        super(CallbackModule, self).v2_playbook_on_start(playbook)

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._bench_task_started = time.time()
        super(CallbackModule, self).v2_playbook_on_task_start(task, is_conditional)

    def _bench_record(self, status, result, summary):
        started = self._bench_task_started
        self._bench_records.append(dict(
            status=status,
            task=result.task.get_name(),
            action=result.task.action,
            seconds=(time.time() - started) if started else None,
            summary=summary,
        ))

    # Summaries are taken before the default callback runs: it deletes a loop's 'results' from the result it shows.

    def v2_runner_on_ok(self, result):
        summary = summarize(result.result)
        super(CallbackModule, self).v2_runner_on_ok(result)
        self._bench_record("ok", result, summary)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        summary = summarize(result.result)
        super(CallbackModule, self).v2_runner_on_failed(result, ignore_errors=ignore_errors)
        self._bench_record("ignored" if ignore_errors else "failed", result, summary)

    def v2_runner_on_unreachable(self, result):
        summary = summarize(result.result)
        super(CallbackModule, self).v2_runner_on_unreachable(result)
        self._bench_record("unreachable", result, summary)

    def v2_runner_on_skipped(self, result):
        summary = summarize(result.result)
        super(CallbackModule, self).v2_runner_on_skipped(result)
        self._bench_record("skipped", result, summary)

    def v2_playbook_on_stats(self, stats):
        super(CallbackModule, self).v2_playbook_on_stats(stats)
        path = os.environ.get("JIRAOPS_BENCH_RECORD")
        if path:
            ended = time.time()
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(dict(records=self._bench_records, playbook_started=self._bench_playbook_started,
                               playbook_ended=ended), handle)
