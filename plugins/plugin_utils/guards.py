# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Guarded creates, one at a time across the run's hosts (a view of the run's one store, run_memory.RunMemory).

A guarded create reads first and writes only when it finds nothing (jira_issue's match_jql, jira_comment's marker,
jira_attachment's file name, jira_request's guard_jql/guard_path). Six hosts running it at once would each read
nothing and each create one. So a task with a guard holds an exclusive lock named by its url, module and guard for the
whole task, on both execution paths: the first creates, the next finds what it created.

Each action plugin says what its guard is (``guard_of(params)``, next to its logic); this file knows no module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError
from ansible_collections.jiraops.jira.plugins.module_utils.rest.urls import canonical_url, normalize_base_url
from ansible_collections.jiraops.jira.plugins.plugin_utils.run_memory import RUN

DIRECTORY = "jiraops_jira_guard"


@contextlib.contextmanager
def serialized(module, url, guard, memory=RUN):
    """While the block runs, no other task of the run with the same ``module``, url and ``guard`` (a JSON value) runs;
    no lock when ``guard`` is None (the task is no guarded create)."""
    if guard is None:
        yield
        return
    try:
        url = canonical_url(normalize_base_url(url))
    except InputError:
        pass  # the url is not known here (the target's JIRA_URL): the guard still serializes under what is known
    with memory.exclusive(memory.path(DIRECTORY, [url, module, guard])):
        yield
