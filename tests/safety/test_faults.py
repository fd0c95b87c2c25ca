# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network and server faults: what is retried (and how often), what fails cleanly, and what is never sent twice."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

import pytest

from safety_support import AnsibleRunner, dump_results_task, play

REQUEST = "jiraops.jira.jira_request"
FRED = {"username": "fred", "password": "fred"}
PATHS = ("controller", "module")
PYTHON_REPR = re.compile(r"\b[A-Z][a-z]+[A-Z]\w*\(|<[a-z_.]+ object at 0x")
NEW_ISSUE = {"fields": {"project": {"key": "TEST"}, "summary": "created under a reset", "issuetype": {"name": "Task"}}}

# (id, fault to arm (action, match, count, spec) or None, task args, expected: ("ok", retries) or ("failed", message
# part),
#  requests that must reach the faulted path)
FAULT_CASES = [
    ("storm_429_http_date", None, dict(FRED, path="/rest/api/2/project/TEST", retries=3, max_retry_wait=5),
     ("ok", 3), ("/rest/api/2/project/TEST", 4)),
    ("slow_past_timeout", ("delay", {"path": "/rest/api/2/issue/TEST-8"}, 0, {"seconds": 3}),
     dict(FRED, path="/rest/api/2/issue/TEST-8", timeout=1, retries=3),
     ("failed", "no answer within 1.0 seconds (timeout)"), ("/rest/api/2/issue/TEST-8", 4)),
    ("truncate_once", ("truncate", {"path": "/rest/api/2/issue/TEST-4"}, 1, {}),
     dict(FRED, path="/rest/api/2/issue/TEST-4"),
     ("ok", 1), ("/rest/api/2/issue/TEST-4", 2)),
    ("truncate_always", ("truncate", {"path": "/rest/api/2/issue/TEST-5"}, 0, {}),
     dict(FRED, path="/rest/api/2/issue/TEST-5"),
     ("failed", "the connection broke while the answer was being read"), ("/rest/api/2/issue/TEST-5", 4)),
    ("reset_once", ("reset", {"path": "/rest/api/2/issue/TEST-6"}, 1, {}), dict(FRED, path="/rest/api/2/issue/TEST-6"),
     ("ok", 1), ("/rest/api/2/issue/TEST-6", 2)),
    ("reset_always", ("reset", {"path": "/rest/api/2/issue/TEST-7"}, 0, {}),
     dict(FRED, path="/rest/api/2/issue/TEST-7"),
     ("failed", "the connection failed or broke"), ("/rest/api/2/issue/TEST-7", 4)),
    ("burst_503", ("status", {"path": "/rest/api/2/issue/TEST-9"}, 3, {"status": 503}),
     dict(FRED, path="/rest/api/2/issue/TEST-9", retries=3, max_retry_wait=1), ("ok", 3),
     ("/rest/api/2/issue/TEST-9", 4)),
    ("retry_after_too_long", ("status", {"path": "/rest/api/2/priority"}, 0, {"status": 429, "retry_after": "120"}),
     dict(FRED, path="/rest/api/2/priority", max_retry_wait=60), ("failed", "with 429"), ("/rest/api/2/priority", 1)),
    ("post_reset_after_processing", ("reset", {"method": "POST", "path": "/rest/api/2/issue"}, 0, {"after": True}),
     dict(FRED, method="POST", path="/rest/api/2/issue", body=NEW_ISSUE),
     ("failed", "The request may have reached Jira, so it was not sent again"), ("/rest/api/2/issue", 1)),
    ("post_reset_before_processing", ("reset", {"method": "POST", "path": "/rest/api/2/issue/TEST-3/comment"}, 0, {}),
     dict(FRED, method="POST", path="/rest/api/2/issue/TEST-3/comment", body={"body": "once"}),
     ("failed", "The request may have reached Jira, so it was not sent again"),
     ("/rest/api/2/issue/TEST-3/comment", 1)),
]

# The 429 storm is armed from the playbook, right before its task, so that its Retry-After HTTP date lies ahead.
ARM_429 = [
    {"name": "Pick a moment 4 seconds ahead",
     "ansible.builtin.set_fact": {"retry_at": "{{ (now(utc=true).timestamp() + 4) | int }}"}},
    {"name": "Arm a 429 storm whose Retry-After is that moment as an HTTP date",
     "ansible.builtin.uri": {
         "url": "{{ url }}/_jirasim/faults", "method": "POST", "body_format": "json", "status_code": 201,
         "body": {"action": "status", "count": 3, "match": {"path": "/rest/api/2/project/TEST"}, "status": 429,
                  "retry_after": "{{ '%a, %d %b %Y %H:%M:%S GMT' | strftime(retry_at | int, utc=true) }}"}}},
]


def _stamp(name):
    return {"name": "Time stamp " + name, "ansible.builtin.set_fact": {name: "{{ now(utc=true).timestamp() }}"}}


# Retries are for credentials Jira has proven in the run (an unproven password that may have reached Jira is never sent
# again: test_breaker_invariants.py); so the run proves fred's first, as any real playbook's first call does.
PROVE = {"name": "Prove the credentials",
         "jiraops.jira.jira_auth_check": dict(FRED, url="{{ url }}", server_info=False)}


def _playbook():
    tasks = [PROVE] + list(ARM_429)
    for case_id, dummy, args, dummy2, dummy3 in FAULT_CASES:
        task_args = dict(args, url="{{ url }}")
        tasks.extend([
            _stamp("start_" + case_id),
            {"name": case_id, REQUEST: task_args, "register": case_id, "ignore_errors": True},
            _stamp("end_" + case_id),
        ])
    names = [case[0] for case in FAULT_CASES]
    stamps = ["start_" + name for name in names] + ["end_" + name for name in names] + ["retry_at"]
    tasks.append(dump_results_task(names))
    tasks.append(dump_results_task(stamps, "stamps.json"))
    return [play(tasks, hosts="localhost")]


def _requests_to(stats, path):
    return sum(1 for entry in stats["log"] if entry["path"] == path)


def _settled_stats(sim, timeout=10):
    """jirasim's stats once the requests held by the delay fault have been logged (after their delay)."""
    deadline = time.monotonic() + timeout
    while True:
        stats = sim.stats()
        if _requests_to(stats, "/rest/api/2/issue/TEST-8") >= 4 or time.monotonic() > deadline:
            return stats
        time.sleep(0.2)


@pytest.fixture(scope="module")
def fault_runs(module_sim, ansible_env, tmp_path_factory):
    """The fault playbook, once per execution path: {path: (results, elapsed per case, jirasim stats, run)}."""
    runs = {}
    for execution in PATHS:
        module_sim.reset()
        before = module_sim.stats()
        for dummy, fault, dummy2, dummy3, dummy4 in FAULT_CASES:
            if fault:
                action, match, count, spec = fault
                module_sim.fault(action, match=match, count=count, **spec)
        runner = AnsibleRunner(ansible_env, str(tmp_path_factory.mktemp("faults_%s" % execution)))
        run = runner.playbook(_playbook(), extra_vars={"url": module_sim.url, "jiraops_jira_execution": execution})
        assert run.rc == 0, run.describe()
        results = dict((name, hosts["localhost"]) for name, hosts in run.out_json("results.json").items())
        stamps = dict((name, float(hosts["localhost"])) for name, hosts in run.out_json("stamps.json").items())
        elapsed = dict((case[0], stamps["end_" + case[0]] - stamps["start_" + case[0]]) for case in FAULT_CASES)
        elapsed["retry_at"], elapsed["end_storm_429_http_date"] = stamps["retry_at"], stamps["end_storm_429_http_date"]
        stats = _settled_stats(module_sim)
        stats["issues_created_delta"] = stats["issues_created"] - before["issues_created"]
        runs[execution] = (results, elapsed, stats, run)
    return runs


@pytest.mark.parametrize("execution", PATHS)
@pytest.mark.parametrize("case_id,fault,args,expected,requests", FAULT_CASES, ids=[case[0] for case in FAULT_CASES])
def test_fault(fault_runs, execution, case_id, fault, args, expected, requests):
    """Each fault: the outcome, the retries, and exactly how many requests reached the faulted path."""
    results, elapsed, stats, dummy = fault_runs[execution]
    result = results[case_id]
    outcome, detail = expected
    if outcome == "ok":
        assert not result.get("failed"), result.get("msg")
        assert result["status"] == 200 and result["retries"] == detail, (result["status"], result.get("retries"))
    else:
        assert result.get("failed"), "%s did not fail" % case_id
        assert detail in result["msg"], result["msg"]
        # Words, not a Python repr such as IncompleteRead(1741 bytes read, ...).
        assert not PYTHON_REPR.search(result["msg"]) and result["msg"].count("(") == result["msg"].count(")"), \
            result["msg"]
    path, count = requests
    assert _requests_to(stats, path) == count, [(e["method"], e["path"], e["status"],
                                                 e["fault"]) for e in stats["log"] if e["path"] == path]


@pytest.mark.parametrize("execution", PATHS)
def test_slow_answers_fail_within_bound(fault_runs, execution, timings):
    """delay 3 s, timeout 1, retries 3: 4 attempts of 1 s plus backoff 0.5 + 1 + 2 s; it must end in under 15 s."""
    results, elapsed, dummy, dummy2 = fault_runs[execution]
    took = elapsed["slow_past_timeout"]
    timings.append("slow_past_timeout (%s path): failed after %.1f s (bound 15 s)" % (execution, took))
    assert 4.0 <= took < 15.0, took
    assert "no answer within 1.0 seconds (timeout)" in results["slow_past_timeout"]["msg"]


@pytest.mark.parametrize("execution", PATHS)
def test_429_http_date_is_honoured(fault_runs, execution, timings):
    """The 429s carry Retry-After as an HTTP date about 4 s ahead: the client waits until then, and not for its own
    backoff (1 + 2 + 4 s), so the call ends after that moment and in less than 6.5 s."""
    elapsed = fault_runs[execution][1]
    took = elapsed["storm_429_http_date"]
    timings.append("storm_429_http_date (%s path): succeeded after 3 retries in %.1f s" % (execution, took))
    assert elapsed["end_storm_429_http_date"] >= elapsed["retry_at"], "the call ended before the Retry-After date"
    assert took < 6.5, took


@pytest.mark.parametrize("execution", PATHS)
def test_post_under_reset_is_not_sent_twice(fault_runs, execution):
    """A create whose connection broke after Jira processed it is not re-sent: exactly one issue was created."""
    results, dummy, stats, run = fault_runs[execution]
    assert stats["issues_created_delta"] == 1
    assert results["post_reset_after_processing"]["request_may_have_reached_jira"] is True
    assert "Traceback" not in run.output
