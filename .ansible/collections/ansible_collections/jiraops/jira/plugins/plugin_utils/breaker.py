# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The credential circuit breaker: within one ansible(-playbook) run, credentials that Jira
rejected are not sent again, so one wrong password on many hosts costs one failed login, not a
CAPTCHA lock.

State lives in the run's own local temp directory (shared by all forks, removed at the end of the
run). Entries are named by an HMAC of url + identity + secret under a random key that exists only
in the memory of this run: nothing on disk can be turned back into a secret. The key is made when
this file is imported, which Ansible's strategy does in the main process before it forks workers,
so every fork of one run shares it.

Credentials not yet proven in this run are tried by one task at a time (a file lock); once Jira has
accepted them, tasks run in parallel without locking.
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

from ansible_collections.jiraops.jira.plugins.module_utils import login_state
from ansible_collections.jiraops.jira.plugins.module_utils.errors import CircuitOpenError, InputError
from ansible_collections.jiraops.jira.plugins.module_utils.urls import normalize_base_url

_RUN_KEY = os.urandom(32)
TRUSTED = "trusted"


class NoEntry:
    """Stands in when the breaker does not apply (turned off, or no credentials)."""

    @contextlib.contextmanager
    def serialized(self):
        yield

    def open_state(self):
        return None

    def refuse_if_open(self):
        return None

    def record(self, state):
        return None


class Entry:
    """The breaker's memory of one set of credentials."""

    def __init__(self, path):
        self.path = path

    def _read(self):
        try:
            with open(self.path) as handle:
                return handle.read().strip()
        except (IOError, OSError):
            return None

    def open_state(self):
        """The login state Jira answered when it rejected these credentials, or None."""
        state = self._read()
        return state if state in login_state.REJECTED_STATES else None

    @contextlib.contextmanager
    def serialized(self):
        """While the credentials are unproven in this run, let only one task at a time use them."""
        if self._read() == TRUSTED:
            yield
            return
        fd = os.open(self.path + ".lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def refuse_if_open(self):
        state = self.open_state()
        if state:
            raise open_error(state)

    def record(self, state):
        if state in login_state.REJECTED_STATES:
            self._write(state)
        elif state == login_state.OK and self._read() != TRUSTED:
            self._write(TRUSTED)

    def _write(self, value):
        temporary = "%s.%d.tmp" % (self.path, os.getpid())
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(value)
        os.rename(temporary, self.path)


def open_error(state):
    what = "CAPTCHA-locked the account" if state == login_state.CAPTCHA else "rejected them"
    return CircuitOpenError(
        "Not sent: earlier in this run Jira %s (login state %s). The jiraops.jira circuit breaker keeps these credentials "
        "from being sent again until the run ends, so that the account is not (further) locked by CAPTCHA. Correct the "
        "credentials (a different password is tried normally), or set circuit_breaker: false." % (what, state),
        login_state=state, captcha_triggered=state == login_state.CAPTCHA, login_reason=[], login_url=None,
        denied_reason=None, circuit_breaker="open")


def entry_for(params, directory=None):
    """The breaker entry of a task's validated params (NoEntry when it does not apply)."""
    secret = params.get("token") or params.get("password")
    if not params.get("circuit_breaker", True) or secret is None:
        return NoEntry()
    try:
        url = normalize_base_url(params.get("url"))
    except InputError:
        return NoEntry()  # the task fails on its url before sending anything
    identity = json.dumps([url, params.get("username"), "token" if params.get("token") else "password", secret])
    name = hmac.new(_RUN_KEY, identity.encode("utf-8"), hashlib.sha256).hexdigest()
    return Entry(os.path.join(directory or breaker_directory(), name))


def breaker_directory():
    directory = os.path.join(C.DEFAULT_LOCAL_TMP, "jiraops_jira_breaker")
    if not os.path.isdir(directory):
        try:
            os.mkdir(directory, 0o700)
        except FileExistsError:
            pass  # another fork made it first
    return directory
