# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task context: what the functions of one task share, made once per task by task.run_logic.

Every module's logic is ``run(params, client, task)``: ``params`` are the validated options, ``client`` the one
JiraClient of the task, and ``task`` this context. Nothing else is shared, and nothing is added to an object after it
is built: whoever needs one of these takes it from the context.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# What serverInfo says about a Jira that the collection keeps: the same for every user (no one's secret).
# cloudId is not serverInfo's: Jira Cloud's /_edge/tenant_info tells it (rest/route.py), and it is as public.
SERVER_INFO_KEYS = ("baseUrl", "version", "versionNumbers", "deploymentType", "buildNumber", "serverTitle", "cloudId")


def is_server_info(info):
    """Whether ``info`` is serverInfo's answer as Jira gives it: an object that names its deploymentType."""
    return isinstance(info, dict) and isinstance(info.get("deploymentType"), str)


def kept_server_info(info):
    """The keys of SERVER_INFO_KEYS in ``info``, when it is serverInfo's answer; else None."""
    if not is_server_info(info):
        return None
    return dict((key, info[key]) for key in SERVER_INFO_KEYS if key in info)


class TaskContext:
    """One task: check mode, diff, where it runs, where a long read reports, and what the run knows of the server.

    ``progress``: a function that shows a line while the task runs, already masked like the result (None on the module
    path: a module has nobody to tell before it returns). ``server_info``: what serverInfo said to an earlier task of
    this run for the same url (the run's memory, plugin_utils/run_memory.py), or None.
    ``route``: site or gateway, the door the task's credentials go through (rest/route.py).
    """

    def __init__(self, check_mode=False, diff=False, execution="module", progress=None, server_info=None, route="site"):
        self.route = route  # site or gateway: the door the task's credentials go through (rest/route.py)
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)
        self.execution = execution
        self.progress = progress
        self._given = kept_server_info(server_info)
        self._read = None

    @property
    def server_info(self):
        """serverInfo's answer as this task knows it (read by it, or given by an earlier task), or None."""
        return self._read or self._given

    def learn_server_info(self, info):
        """Keep a serverInfo answer this task read, if it is Jira's."""
        kept = kept_server_info(info)
        if kept is not None:
            self._read = dict(self.server_info or {}, **kept)

    @property
    def server_info_learnt(self):
        """What this task read of serverInfo that the run did not know yet (all of it, or a key such as the cloudId):
        what the run's memory should keep."""
        if self._read is None or (self._given is not None and set(self._read) <= set(self._given)):
            return None
        return self._read

    def without_diff(self, result):
        """``result`` without its diff when the task did not ask for one (--diff)."""
        if not self.diff:
            result.pop("diff", None)
        return result
