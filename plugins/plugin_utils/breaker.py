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
accepted them (client.login.outcome is OK only on Jira's own proof), tasks run in parallel without locking.
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
from ansible_collections.jiraops.jira.plugins.module_utils.urls import canonical_url, normalize_base_url

_RUN_KEY = os.urandom(32)
TRUSTED = "trusted"
# Sent, maybe reached Jira, and no verdict (a timeout after sending, a 5xx, an SSO page): sending the same unproven
# credentials again could be one more failed login, so they are held back for the rest of the run.
HELD_BACK = "held_back"


class NoEntry:
    """Stands in when the breaker does not apply (turned off, or no credentials)."""

    trusted = False

    @contextlib.contextmanager
    def serialized(self):
        yield

    def open_state(self):
        return None

    def refuse_if_open(self):
        return None

    def record(self, outcome):
        return None


class Entry:
    """The breaker's memory of one set of credentials: nothing, trusted, held back, or rejected."""

    def __init__(self, path):
        self.path = path

    def _read(self):
        try:
            with open(self.path) as handle:
                return handle.read().strip()
        except (IOError, OSError):
            return None

    @property
    def trusted(self):
        return self._read() == TRUSTED

    def open_state(self):
        """Why these credentials must not be sent (a rejected login state, or HELD_BACK), or None."""
        state = self._read()
        return state if state in login_state.REJECTED_STATES + (HELD_BACK,) else None

    @contextlib.contextmanager
    def serialized(self):
        """While the credentials are unproven in this run, let only one task at a time use them."""
        if self.trusted:
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

    def record(self, outcome):
        """Remember a task's login outcome (client.login.outcome). A rejection is never overwritten in the run; a proof
        overrides a hold-back (it came from Jira itself); a hold-back never demotes trusted credentials."""
        current = self._read()
        if current in login_state.REJECTED_STATES:
            return
        if outcome in login_state.REJECTED_STATES:
            self._write(outcome)
        elif outcome == login_state.OK and current != TRUSTED:
            self._write(TRUSTED)
        elif outcome == login_state.UNKNOWN and current is None:
            self._write(HELD_BACK)

    def _write(self, value):
        temporary = "%s.%d.tmp" % (self.path, os.getpid())
        fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(value)
        os.rename(temporary, self.path)


def open_error(state):
    if state == HELD_BACK:
        what = ("sent them and its answer did not show whether it accepted them (a timeout or a broken connection after "
                "sending, an error page, or a page that is not Jira's). Sending unproven credentials again could add a "
                "failed login toward a CAPTCHA lock, so they are held back")
        fix = ("Check that Jira is up and that url is Jira's base URL (a jira_auth_check without credentials costs no login), "
               "then run again.")
    else:
        what = "%s (login state %s). They are held back" % (
            "CAPTCHA-locked the account" if state == login_state.CAPTCHA else "rejected them", state)
        fix = ("Solve the CAPTCHA at Jira's login page, then run again." if state == login_state.CAPTCHA else
               "Correct the credentials (a different password is tried normally), then run again.")
    return CircuitOpenError(
        "Not sent: earlier in this run Jira %s until the run ends by the jiraops.jira circuit breaker, so that the account "
        "is not (further) locked. %s" % (what, fix),
        login_state=state if state != HELD_BACK else login_state.UNKNOWN, captcha_triggered=state == login_state.CAPTCHA,
        login_reason=[], login_url=None, denied_reason=None, circuit_breaker="open")


def entry_for(params, directory=None):
    """The breaker entry of a task's params, completed from the environment (NoEntry when it does not apply).

    One entry per Jira account and secret: the URL in its canonical spelling, the user name case-insensitively (Jira's
    are), the kind of secret and the secret itself."""
    secret = params.get("token") or params.get("password")
    if not params.get("circuit_breaker", True) or secret is None:
        return NoEntry()
    try:
        url = canonical_url(normalize_base_url(params.get("url")))
    except InputError:
        return NoEntry()  # the task fails on its url before sending anything
    username = params.get("username")
    identity = json.dumps([url, username.lower() if isinstance(username, str) else username,
                           "token" if params.get("token") else "password", secret])
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
