# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The credential circuit breaker: within one ansible(-playbook) run, credentials that Jira rejected are not sent
again, so one wrong password on many hosts costs one failed login, not a CAPTCHA lock.

Write-ahead: before a request with credentials not yet proven in this run leaves the process, their entry says "in
flight" for this task; only Jira's verdict moves it on (proof: trusted; rejection: the rejection; no verdict: held
back; nothing sent or learnt: back to what it was). Whatever ends a task before that (the task keyword ``timeout:``,
Ctrl-C, a killed worker, a crashed module) leaves "in flight", which every later task refuses like a hold-back.

State lives in the run's one store (run_memory.RunMemory), of which this is a view: entries are named by an HMAC of
url + identity + secret under the run's key, and hold only a state. Credentials not yet proven in this run are used by
one task at a time (a file lock); once Jira has accepted them (client.login.outcome is OK only on Jira's own proof),
tasks run in parallel without locking. Credentials only the managed node knows (JIRA_PASSWORD exported there) still
get one entry per account, but no proof carries over to them: each task may hold other ones, so they are always
serialized.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import binascii
import contextlib
import os

from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import CircuitOpenError, InputError
from ansible_collections.jiraops.jira.plugins.module_utils.rest.urls import canonical_url, normalize_base_url
from ansible_collections.jiraops.jira.plugins.plugin_utils.run_memory import RUN

TRUSTED = "trusted"
# Sent, maybe reached Jira, and no verdict (a timeout after sending, a 5xx, an SSO page): sending the same unproven
# credentials again could be one more failed login, so they are held back for the rest of the run.
HELD_BACK = "held_back"
# Written before unproven credentials are sent, followed by the task's own id; left behind by a task that ended before
# Jira's verdict was read. Refused like HELD_BACK by every other task.
IN_FLIGHT = "in_flight"
DIRECTORY = "jiraops_jira_breaker"


class NoEntry:
    """Stands in when the breaker does not apply (turned off, or no credentials)."""

    trusted = False

    @contextlib.contextmanager
    def serialized(self):
        yield

    def open_state(self):
        return None

    def write_ahead(self):
        return None

    def record(self, outcome):
        return None


class Entry:
    """The breaker's memory of one set of credentials: nothing, in flight, trusted, held back, or rejected.

    One Entry object serves one task (one run of an action plugin): it is the owner of the "in flight" it writes."""

    proof_carries = True  # a proof from an earlier task of the run applies to this task's credentials

    def __init__(self, memory, path):
        self.memory = memory
        self.path = path
        self._mine = "%s %s" % (IN_FLIGHT, binascii.hexlify(os.urandom(8)).decode("ascii"))
        self._before = None  # the state this task's write-ahead replaced

    def _read(self):
        return (self.memory.read(self.path) or "").strip() or None

    def _proven(self, state):
        return self.proof_carries and state == TRUSTED

    @property
    def trusted(self):
        return self._proven(self._read())

    def open_state(self):
        """Why these credentials must not be sent (a rejected login state, HELD_BACK or IN_FLIGHT), or None."""
        state = self._read()
        if state in login_state.REJECTED_STATES + (HELD_BACK,):
            return state
        if state and state.startswith(IN_FLIGHT) and state != self._mine:
            return IN_FLIGHT  # another task sent them and ended before Jira's verdict was read
        return None

    @contextlib.contextmanager
    def serialized(self):
        """While the credentials are unproven in this run, let only one task at a time use them."""
        if self.trusted:
            yield
            return
        with self.memory.exclusive(self.path + ".lock"):
            yield

    def write_ahead(self):
        """The gate before every send of the credentials: refuse if the breaker is open, else say "in flight" unless
        Jira has proven them in this run. Called within serialized(), so no other task writes the entry meanwhile."""
        state = self.open_state()
        if state:
            raise open_error(state)
        current = self._read()
        if self._proven(current) or current == self._mine:
            return
        self._before = current
        self._write(self._mine)

    def record(self, outcome):
        """Remember a task's login outcome (client.login.outcome; None: nothing learnt). A rejection is never
        overwritten in the run; a proof overrides a hold-back (it came from Jira itself); a hold-back never demotes
        trusted credentials; a task that learnt nothing puts back what its write-ahead replaced."""
        current = self._read()
        if current in login_state.REJECTED_STATES:
            return
        if outcome in login_state.REJECTED_STATES:
            self._write(outcome)
        elif outcome == login_state.OK:
            if current != TRUSTED:
                self._write(TRUSTED)
        elif outcome == login_state.UNKNOWN:
            if current != TRUSTED:
                self._write(HELD_BACK)
        elif current == self._mine:
            self._restore()

    def _restore(self):
        if self._before is None:
            os.unlink(self.path)
        else:
            self._write(self._before)

    def _write(self, value):
        self.memory.write(self.path, value)


class TargetEntry(Entry):
    """The entry of credentials that only the managed node knows (its JIRA_PASSWORD, say): keyed by the account as far
    as the controller knows it. Another host may hold another password for it, so a proof never lets a task skip the
    lock or the write-ahead."""

    proof_carries = False


def open_error(state):
    if state in (HELD_BACK, IN_FLIGHT):
        what = ("sent them and its answer did not show whether it accepted them (a timeout or a broken connection "
                "after sending, an error page, or a page that is not Jira's)" if state == HELD_BACK else
                "got them from a task that ended before Jira's answer was read (the task keyword timeout, Ctrl-C, a "
                "killed worker, or a module that crashed)")
        what += (". Sending unproven credentials again could add a failed login toward a CAPTCHA lock, so they are "
                 "held back")
        fix = ("Check that Jira is up and that url is Jira's base URL (a jira_auth_check without credentials costs no "
               "login), then run again.")
    else:
        what = "%s (login state %s). They are held back" % (
            "CAPTCHA-locked the account" if state == login_state.CAPTCHA else "rejected them", state)
        fix = ("Solve the CAPTCHA at Jira's login page, then run again." if state == login_state.CAPTCHA else
               "Correct the credentials (a different password is tried normally), then run again.")
    return CircuitOpenError(
        "Not sent: earlier in this run Jira %s until the run ends by the jiraops.jira circuit breaker, so that the "
        "account is not (further) locked. %s" % (what, fix),
        login_state=login_state.CAPTCHA if state == login_state.CAPTCHA else (
            state if state in login_state.REJECTED_STATES else login_state.UNKNOWN),
        captcha_triggered=state == login_state.CAPTCHA, login_reason=[], login_url=None, denied_reason=None,
        circuit_breaker="open")


def entry_for(params, memory=RUN, target_may_hold_credentials=False):
    """The breaker entry of a task's params, completed from the environment (NoEntry when it does not apply).

    One entry per Jira account and secret: the URL in its canonical spelling, the user name case-insensitively (Jira's
    are), the kind of secret and the secret itself. ``target_may_hold_credentials``: the task runs as a module on a
    managed node, whose environment may complete what the controller does not know (then a TargetEntry for the account
    as far as it is known: the url and user name, or whatever of them the controller has)."""
    if not params.get("circuit_breaker", True):
        return NoEntry()
    secret = params.get("token") or params.get("password") or params.get("client_secret")
    username = params.get("username") or params.get("client_id")
    username = username.lower() if isinstance(username, str) else username
    if secret is None and not target_may_hold_credentials:
        return NoEntry()
    try:
        url = canonical_url(normalize_base_url(params.get("url")))
    except InputError:
        if secret is not None:
            return NoEntry()  # the task fails on its url before sending anything
        url = None  # the url may come from the target's JIRA_URL
    if secret is None:
        return TargetEntry(memory, memory.path(DIRECTORY, ["target", url, username]))
    kind = "token" if params.get("token") else "oauth_client" if params.get("client_secret") else "password"
    return Entry(memory, memory.path(DIRECTORY, [url, username, kind, secret]))
