# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running one module's logic, the same way on the controller and on a managed node.

A module's logic is a function ``logic(params, client, task) -> result dict``, where ``task`` is the task context
(common/context.py: check mode, diff, progress, what the run knows of the server); a result with ``failed`` set is a
failed task.

What crosses between the run's memory (plugin_utils/run_memory.py) and a task, both ways and on both paths:
- in: whether Jira has proven the credentials in this run (``trusted``), and what serverInfo said to an earlier task
  (``server_info``). run_logic takes both; on the module path they travel in the module's environment
  (TRUSTED_VARIABLE, SERVER_INFO_VARIABLE).
- out: what the task learnt about the credentials (the login outcome) and what it read of serverInfo that the run did
  not know. run_logic returns both; on the module path they travel in the result (OUTCOME_KEY, SERVER_INFO_KEY),
  which the action plugin takes out again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc
import json
import os

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state
from ansible_collections.jiraops.jira.plugins.module_utils.common.context import TaskContext
from ansible_collections.jiraops.jira.plugins.module_utils.common.arguments import with_environment_credentials
from ansible_collections.jiraops.jira.plugins.module_utils.rest.client import JiraClient
from ansible_collections.jiraops.jira.plugins.module_utils.rest.route import Route
from ansible_collections.jiraops.jira.plugins.module_utils.rest.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import JiraError
from ansible_collections.jiraops.jira.plugins.module_utils.login.masking import masked, secret_forms

# How the action plugin and the module it runs on a managed node talk about the circuit breaker: the plugin says in the
# module's environment that the credentials are proven in this run (so safe retries stay on), and the module always
# returns what the task learnt about them under OUTCOME_KEY (NOTHING_LEARNT when nothing), which the plugin takes out of
# the result: a result without it comes from a module that crashed or was killed. The outcome is the one KEY of a dict
# ({state: True}): no_log masking (remove_values) masks values, never keys, so a password such as 'wrong' cannot turn
# 'wrong_credentials' into something else on its way back.
TRUSTED_VARIABLE = "JIRAOPS_JIRA_LOGIN_PROVEN"
OUTCOME_KEY = "_jiraops_jira_login_outcome"
NOTHING_LEARNT = "nothing_learnt"
OUTCOMES = (login_state.CAPTCHA, login_state.WRONG_CREDENTIALS, login_state.UNKNOWN, login_state.OK, NOTHING_LEARNT)
# The same for the run's memory of what serverInfo said: the plugin gives what an earlier task read as JSON in the
# module's environment, and takes what the module read from the result.
SERVER_INFO_VARIABLE = "JIRAOPS_JIRA_SERVER_INFO"
SERVER_INFO_KEY = "_jiraops_jira_server_info"
INTERNAL = "internal"  # error_kind of a failure the collection did not foresee (see internal_error)


def run_logic(logic, params, check_mode=False, diff=False, execution="module", gate=None, trusted=False,
              server_info=None, progress=None):
    """(result, secrets, login outcome, serverInfo learnt): the task result, every secret-derived value to mask in it,
    what the task learnt about the credentials (client.login.outcome), and what it read of serverInfo that
    ``server_info`` did not hold (for the run's memory; None when nothing).

    ``trusted``: Jira has proven these credentials earlier in this run. ``server_info``: what serverInfo said to an
    earlier task of this run. ``progress``: a function that shows a line while the task runs (the controller path's
    display; a module has nobody to tell before it returns)."""
    client, crashed, context = None, False, None
    sent = SendRecord(gate)
    # Decoding a large answer allocates hundreds of thousands of objects, and JSON holds no reference cycle:
    # the cycle collector would only walk them again and again. The task's process is short-lived anyway.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with _SiteReads(params, execution) as read_site:
            route = Route(params, server_info, read_site)
        client = JiraClient(route.params, execution=execution, gate=sent.gate, trusted=trusted)
        # A long paged read reports through the context (None: nowhere to report), masked like the result.
        context = TaskContext(check_mode, diff, execution, _masked_lines(progress, client), server_info, route.name)
        context.learn_server_info(route.learnt)
        result = logic(route.params, client, context)
    except JiraError as exc:
        result = exc.result()
    except Exception as exc:  # the closed boundary: whatever went wrong ends as a result that says so, no traceback
        result, crashed = internal_error(exc, sent.credentials_sent), True
    finally:
        if client is not None:
            client.close()
        if collecting:
            gc.enable()
    if client is None:
        return result, (), None, None
    outcome = client.login.outcome
    if outcome is None and crashed and sent.credentials_sent:
        outcome = login_state.UNKNOWN  # they may have reached Jira and nobody read the answer
    learnt = context.server_info_learnt if context is not None else None
    # Every form of every secret the client derived (it holds the password and token options too), in values and keys,
    # before Ansible's own masking: what a hostile server echoes back escaped or as a key never reaches the output.
    return masked(result, secret_forms(client.secrets)), client.secrets, outcome, learnt


class _SiteReads:
    """The anonymous GETs at the site that the route needs (rest/route.py): one client without any credentials for all
    of them, made only when one is needed, and closed as soon as the route is decided."""

    def __init__(self, params, execution):
        self._params = dict(params, username=None, password=None, token=None, client_id=None, client_secret=None)
        self._execution = execution
        self._client = None

    def __call__(self, path):
        if self._client is None:
            self._client = JiraClient(self._params, execution=self._execution)
        return self._client.request("GET", path, anonymous=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self._client is not None:
            self._client.close()
        return False


class SendRecord:
    """The client's gate (called before every send that carries the credentials), noting that it was called."""

    def __init__(self, gate):
        self._gate = gate
        self.credentials_sent = False

    def gate(self):
        if self._gate is not None:
            self._gate()  # the circuit breaker: raises instead of sending, or writes ahead that they are in flight
        self.credentials_sent = True


def internal_error(exc, credentials_sent):
    """The failed result of an exception nobody expected. Only its type is named: its text can hold anything the task
    held, a secret included."""
    if credentials_sent:
        sent = ("A request with the credentials may have reached Jira (if the task writes, look at Jira before running "
                "it again); unless Jira had accepted them earlier in this run, the circuit breaker holds them back "
                "until it ends.")
    else:
        sent = "No request with the credentials had been sent."
    return dict(failed=True, changed=False, error_kind=INTERNAL, request_may_have_reached_jira=credentials_sent,
                msg="The task failed inside the jiraops.jira collection: an unexpected %s was raised (its text is not "
                    "shown, as it can hold a secret). %s Run it again; if it fails the same way, report it to the "
                    "collection's maintainers with the task and the Jira version." % (type(exc).__name__, sent))


def _masked_lines(show, client):
    """``show`` behind the same masking as the result: a line names an endpoint, and a path can hold anything. The
    client's secrets are read at each line: an OAuth 2.0 access token is issued, and renewed, while the task runs."""
    if show is None:
        return None
    return lambda line: show(masked(line, secret_forms(client.secrets)))


def _decoded_object(text):
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def carried_outcome(outcome):
    """The login outcome as the module returns it under OUTCOME_KEY: the one key of a dict, which masking leaves
    alone."""
    return {NOTHING_LEARNT if outcome is None else outcome: True}


def outcome_carried(carried):
    """The login outcome in what carried_outcome made (None: nothing learnt); anything else is the cautious UNKNOWN."""
    states = list(carried) if isinstance(carried, dict) else []
    if len(states) != 1 or states[0] not in OUTCOMES:
        return login_state.UNKNOWN
    return None if states[0] == NOTHING_LEARNT else states[0]


def run_as_module(module, logic):
    """main() of every module: run the logic and exit through AnsibleModule (which masks no_log values)."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR,
                         **{OUTCOME_KEY: carried_outcome(None)})
    trusted = os.environ.get(TRUSTED_VARIABLE) == "1"
    known = _decoded_object(os.environ.get(SERVER_INFO_VARIABLE))
    result, secrets, outcome, learnt = run_logic(logic, with_environment_credentials(module.params), module.check_mode,
                                                 module._diff, trusted=trusted, server_info=known)
    module.no_log_values.update(secrets)
    result[OUTCOME_KEY] = carried_outcome(outcome)
    if learnt:
        result[SERVER_INFO_KEY] = learnt
    if result.get("failed"):
        result.pop("failed")
        module.fail_json(**result)
    module.exit_json(**result)
