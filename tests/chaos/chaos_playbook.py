# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turns a Scenario into what ansible-playbook (or ansible) runs: the play, the inventory, variables and environment.

Secrets never appear in the playbook text (ansible-core quotes playbook lines back in its error reports): they come
from the extra-vars file, the environment, or the target's interpreter wrapper.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat
import sys

from chaos_scenario import ISSUE_FOR, MAX_PAGES, MAX_RETRY_WAIT

COLLECTION = "jiraops.jira."


def connection_args(scenario):
    """The connection options a task carries itself, for the scenario's credential source."""
    creds = scenario.creds
    args = {"timeout": scenario.timeout, "retries": scenario.retries, "max_retry_wait": MAX_RETRY_WAIT}
    if scenario.source in ("options", "target_env"):
        args["url"] = "{{ chaos_url }}"
        if creds.bearer:
            args["token"] = "{{ chaos_secret }}"
        else:
            login, secret = option_names(creds)
            args[login] = "{{ chaos_login }}"
            if scenario.source == "options":
                args[secret] = "{{ chaos_secret }}"
    return args


def option_names(creds):
    """(the option that names the credential, the option of its secret): username and password, or the OAuth
    client's."""
    return ("client_id", "client_secret") if creds.oauth else ("username", "password")


def defaults_args(scenario):
    """module_defaults for group/jiraops.jira.jira (credential source module_defaults)."""
    if scenario.creds.bearer:
        return {"url": "{{ chaos_url }}", "token": "{{ chaos_secret }}"}
    login, secret = option_names(scenario.creds)
    return {"url": "{{ chaos_url }}", login: "{{ chaos_login }}", secret: "{{ chaos_secret }}"}


def module_args(scenario, task):
    """(module name, its own options) for one task."""
    guard = task.guard
    if task.module == "auth_check":
        return "jira_auth_check", {}
    if task.module == "request_get":
        return "jira_request", {"path": "/rest/api/2/issue/TEST-1"}
    if task.module == "request_paged":
        if scenario.flavor == "cloud":
            path, params = "/rest/api/3/search/jql", {"jql": "project = TEST", "fields": "summary"}
        else:
            path, params = "/rest/api/2/project/TEST/version", {}
        return "jira_request", {"path": path, "params": params, "paginate": True, "page_size": 5,
                                "max_pages": MAX_PAGES}
    if task.module == "request_guarded_post":
        body = {"fields": {"project": {"key": "TEST"}, "summary": guard, "issuetype": {"name": "Task"}}}
        return "jira_request", {"method": "POST", "path": "/rest/api/2/issue", "body": body,
                                "guard_jql": 'project = TEST AND summary ~ "%s"' % guard}
    if task.module == "issue_create":
        return "jira_issue", {"match_jql": 'project = TEST AND summary ~ "%s"' % guard, "project": "TEST",
                              "summary": guard}
    if task.module == "comment_marker":
        return "jira_comment", {"issue": ISSUE_FOR["comment_marker"], "body": "chaos comment %s" % guard,
                                "marker": guard}
    return "jira_attachment", {"issue": ISSUE_FOR["attachment"], "content": "chaos attachment %s\n" % guard,
                               "filename": guard + ".txt"}


def collection_task(scenario, task, ignore_errors=True):
    name, own = module_args(scenario, task)
    args = dict(connection_args(scenario))
    args.update(own)
    data = {"name": "chaos %d %s (%s)" % (task.index, name, task.construct), COLLECTION + name: args,
            "register": task.register}
    if ignore_errors:
        data["ignore_errors"] = True
    return data


def wrap(scenario, task, include_dir):
    """(tasks, handlers) for one task in its construct."""
    construct = task.construct
    if construct == "block_rescue":
        rescue = {"name": "chaos rescue %d" % task.index, "ansible.builtin.debug": {"msg": "rescued"}}
        return [{"name": "chaos block %d" % task.index, "block": [collection_task(scenario, task, False)],
                 "rescue": [rescue]}], []
    if construct == "handler":
        notify = {"name": "chaos notify %d" % task.index, "ansible.builtin.debug": {"msg": "notify"},
                  "changed_when": True,
                  "notify": "chaos handler %d" % task.index}
        handler = dict(collection_task(scenario, task), name="chaos handler %d" % task.index)
        return [notify], [handler]
    if construct == "include_tasks":
        path = os.path.join(include_dir, "include-%d.yml" % task.index)
        with open(path, "w") as handle:
            handle.write(json.dumps([collection_task(scenario, task)], indent=1))
        return [{"name": "chaos include %d" % task.index, "ansible.builtin.include_tasks": path}], []
    data = collection_task(scenario, task)
    if construct == "loop":
        data["loop"] = [1, 2, 3]
    elif construct == "until":
        data.update({"until": "%s is succeeded" % task.register, "retries": 2, "delay": 0})
    elif construct == "delegate_to":
        data["delegate_to"] = "localhost"
    elif construct == "task_timeout":
        data["timeout"] = task.task_timeout
        if task.looped:
            data["loop"] = [1, 2, 3]
    return [data], []


def results_task(scenario):
    """Each host writes what its tasks registered (the results are outputs the scan covers)."""
    pairs = ", ".join("'%s': %s | default(None)" % (task.register, task.register) for task in scenario.tasks)
    return {"name": "chaos results",
            "ansible.builtin.copy": {"content": "{{ {%s} | to_nice_json }}" % pairs,
                                     "dest": "{{ out_dir }}/results-{{ inventory_hostname }}.json", "mode": "0600"}}


def playbook(scenario, include_dir):
    """The plays (a list, written as JSON)."""
    tasks, handlers = [], []
    for task in scenario.tasks:
        more, more_handlers = wrap(scenario, task, include_dir)
        tasks.extend(more)
        handlers.extend(more_handlers)
    if handlers:
        tasks.append({"name": "chaos flush handlers", "ansible.builtin.meta": "flush_handlers"})
    tasks.append(results_task(scenario))
    data = {"name": "chaos %d" % scenario.seed, "hosts": "all", "gather_facts": False, "tasks": tasks,
            "strategy": scenario.strategy}
    if handlers:
        data["handlers"] = handlers
    if scenario.serial:
        data["serial"] = scenario.serial
    if scenario.source == "module_defaults":
        data["module_defaults"] = {"group/jiraops.jira.jira": defaults_args(scenario)}
    return [data]


def adhoc_args(scenario):
    """(module, args) for ``ansible all -m``."""
    task = scenario.tasks[0]
    name, own = module_args(scenario, task)
    args = dict(connection_args(scenario))
    args.update(own)
    return COLLECTION + name, args


def interpreter_wrapper(scenario, directory):
    """A python that exports JIRA_PASSWORD (JIRA_CLIENT_SECRET for an OAuth client) and execs the real one:
    credentials only the target knows."""
    name = "JIRA_CLIENT_SECRET" if scenario.creds.oauth else "JIRA_PASSWORD"
    path = os.path.join(directory, "python-with-jira-secret")
    with open(path, "w") as handle:
        handle.write("#!/bin/sh\n%s=\"$(cat '%s')\"\nexport %s\nexec '%s' \"$@\"\n"
                     % (name, os.path.join(directory, "target-secret"), name, sys.executable))
    with open(os.path.join(directory, "target-secret"), "wb") as handle:
        handle.write(scenario.creds.sent_secret.encode("utf-8"))
    os.chmod(path, stat.S_IRWXU)
    return path


def inventory(scenario, interpreter):
    lines = ["[jira]"]
    lines.extend("host%02d ansible_connection=local" % number for number in range(1, scenario.hosts + 1))
    lines.extend(["", "[all:vars]", "ansible_python_interpreter=%s" % interpreter, ""])
    return "\n".join(lines)


def run_inputs(scenario, proxy_url, directory):
    """(inventory, extra vars, environment) of the run."""
    creds = scenario.creds
    interpreter = interpreter_wrapper(scenario, directory) if scenario.source == "target_env" else sys.executable
    variables = {"chaos_url": proxy_url, "chaos_login": creds.login, "chaos_secret": creds.sent_secret,
                 "jiraops_jira_execution": scenario.execution}
    env = {}
    if scenario.source == "controller_env":
        env["JIRA_URL"] = proxy_url
        if creds.bearer:
            env["JIRA_TOKEN"] = creds.sent_secret
        elif creds.oauth:
            env.update({"JIRA_CLIENT_ID": creds.login, "JIRA_CLIENT_SECRET": creds.sent_secret})
        else:
            env.update({"JIRA_USERNAME": creds.login, "JIRA_PASSWORD": creds.sent_secret})
    if scenario.source == "target_env":
        del variables["chaos_secret"]
    return inventory(scenario, interpreter), variables, env
