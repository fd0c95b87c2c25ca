# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cases of bench/run_bench.py: which tasks each playbook holds, and how each result is checked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from bench_common import AGENT_CONTROLLER, AGENT_MODULE, AGENT_URI, PASSWORD, USER


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


def _myself_then_server_info_once(tasks):
    """jira_auth_check: /myself every task, serverInfo once per run and url (on both paths)."""
    return tasks + 1


# key, title, module, args(url), extra task lines, jirasim calls per task (or a function of the task count), User-Agent
# of those calls, result check
PER_TASK_CASES = (
    dict(key="empty", title="empty playbook (0 tasks)", module=None),
    dict(key="debug", title="ansible.builtin.debug", module="ansible.builtin.debug",
         args=lambda url: [("msg", "floor")],
         calls=0),
    dict(key="uri", title="ansible.builtin.uri GET /myself", module="ansible.builtin.uri",
         args=lambda url: _uri_args(url + "/rest/api/2/myself"), calls=1, agent=AGENT_URI, check=_check_status_200),
    dict(key="auth_controller", title="jira_auth_check (controller path)", module="jiraops.jira.jira_auth_check",
         args=_connection_args, calls=_myself_then_server_info_once, agent=AGENT_CONTROLLER, check=_check_healthy),
    dict(key="auth_module", title="jira_auth_check (module path)", module="jiraops.jira.jira_auth_check",
         args=_connection_args, extra=["      vars:", "        jiraops_jira_execution: module"],
         calls=_myself_then_server_info_once,
         agent=AGENT_MODULE,
         check=_check_healthy),
    dict(key="request", title="jira_request GET /myself (controller path)", module="jiraops.jira.jira_request",
         args=lambda url: _connection_args(url) + [("path", "/rest/api/2/myself")], calls=1, agent=AGENT_CONTROLLER,
         check=_check_status_200),
    # Over https, with the certificate checked against the system's CA store (SSL_CERT_FILE names a copy of it
    # holding jirasim's certificate too): what a real Jira costs, TLS handshake and CA store included.
    dict(key="auth_https", title="jira_auth_check (controller path, https, system CA store)",
         module="jiraops.jira.jira_auth_check",
         args=_connection_args, calls=_myself_then_server_info_once, agent=AGENT_CONTROLLER, check=_check_healthy,
         sim="tls"),
)
# The order of one per-task round: the empty playbook (the baseline) at the start, in the middle and at the end.
PER_TASK_ORDER = ("empty", "debug", "uri", "auth_controller", "empty", "auth_module", "request", "auth_https", "empty")


def expected_calls(case, tasks):
    """How many calls jirasim should see for ``tasks`` tasks of a case."""
    calls = case.get("calls", 0)
    return calls(tasks) if callable(calls) else calls * tasks


def yaml_value(value):
    """JSON is YAML: every value goes into the playbooks as JSON."""
    return json.dumps(value)


def playbook_text(name, tasks):
    """A play on localhost (connection local, no facts) with the given task blocks."""
    lines = ["---", "- name: %s" % yaml_value(name), "  hosts: localhost", "  gather_facts: false",
             "  connection: local"]
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
