# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one thing one ansible(-playbook) run keeps on the controller for all its forks, and its view of serverInfo.

RunMemory is the store: a private directory per view in the run's own local temp directory (removed with it at the
end of the run), files named by an HMAC under a random key, written whole (0600) and locked across forks. The key
exists only in the memory of this run: nothing on disk can be turned back into what it names (a secret, a JQL guard).
It is made when this file is imported, which Ansible's strategy does in the main process (through the action plugins)
before it forks workers, so every fork of one run shares it (RUN).

Its views, each a few lines over the store:
- breaker.py: what Jira said about each set of credentials (the circuit breaker, with its write-ahead);
- guards.py: one lock per guarded create, so hosts create one after the other;
- ServerInfoMemory below: what serverInfo said about each url.

serverInfo lives in one form per side: in a task, its TaskContext (module_utils/common/context.py); across the tasks of
the run, ServerInfoMemory. It is handed over one way (module_utils/task.py, "What crosses"): run_logic takes what the
memory knows (``server_info``) and returns what the task read that the memory did not know; the action plugin
(runner.py) reads and keeps it here, on both paths.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import fcntl
import hashlib
import hmac
import json
import os

from ansible import constants as C

from ansible_collections.jiraops.jira.plugins.module_utils.common.context import is_server_info
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError
from ansible_collections.jiraops.jira.plugins.module_utils.login.masking import MASK  # also the mask of no_log values
from ansible_collections.jiraops.jira.plugins.module_utils.rest.urls import canonical_url, normalize_base_url


class RunMemory:
    """The run's store: ``root`` is the run's local temp directory (Ansible's, when None), ``key`` the run's key."""

    def __init__(self, root=None, key=None):
        self._root = root
        self._key = key or os.urandom(32)

    def name_for(self, parts):
        """The file name of ``parts`` (a list of JSON values) for this run."""
        return hmac.new(self._key, json.dumps(parts).encode("utf-8"), hashlib.sha256).hexdigest()

    def directory(self, view):
        """The private directory (0700) of ``view``, made on first use."""
        path = os.path.join(self._root or C.DEFAULT_LOCAL_TMP, view)
        if not os.path.isdir(path):
            try:
                os.mkdir(path, 0o700)
            except FileExistsError:
                pass  # another fork made it first
        return path

    def path(self, view, parts):
        """Where ``view`` keeps what it knows of ``parts``."""
        return os.path.join(self.directory(view), self.name_for(parts))

    @staticmethod
    def read(path):
        """The text kept at ``path``, or None."""
        try:
            with open(path) as handle:
                return handle.read()
        except (IOError, OSError):
            return None

    @staticmethod
    def write(path, text):
        """Keep ``text`` at ``path`` (0600), whole: a fork reading at the same time sees the old text or the new."""
        temporary = "%s.%d.tmp" % (path, os.getpid())
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.rename(temporary, path)

    @staticmethod
    @contextlib.contextmanager
    def exclusive(path):
        """Hold an exclusive lock on ``path`` (made 0600, empty) across every fork of the run. The kernel releases it
        when the holder ends in any way, killed included."""
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


RUN = RunMemory()


class ServerInfoMemory:
    """What serverInfo said about each url (Cloud or Data Center, which version), for the rest of the run.

    The first task of a run that reads serverInfo (jira_auth_check, or a search with ``deployment: auto``) leaves the
    answer here; every later task of the run against the same Jira (the url in its canonical form) takes it from here
    instead of asking again. Nothing secret is kept: the keys of context.SERVER_INFO_KEYS, which Jira tells anyone.
    """

    VIEW = "jiraops_jira_deployment"

    def __init__(self, memory=RUN):
        self.memory = memory

    def known(self, url):
        """serverInfo's answer as a task of this run read it for ``url`` (a dict naming its deploymentType), or None."""
        path = self._path(url)
        text = self.memory.read(path) if path is not None else None
        try:
            info = json.loads(text) if text else None
        except ValueError:
            return None
        return info if is_server_info(info) else None

    def remember(self, url, info):
        """Keep ``info`` for ``url``, unless it is not serverInfo's answer, or no_log masking changed it on its way back
        from a module (a password that also occurs in a version number, say)."""
        path = self._path(url)
        if path is not None and is_server_info(info) and MASK not in json.dumps(info):
            self.memory.write(path, json.dumps(info))

    def _path(self, url):
        try:
            return self.memory.path(self.VIEW, ["server_info", canonical_url(normalize_base_url(url))])
        except InputError:
            return None
