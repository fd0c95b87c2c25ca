# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running one module's logic, the same way on the controller and on a managed node.

A module's logic is a function ``logic(params, client, check_mode, diff) -> result dict``;
a result with ``failed`` set is a failed task.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc
import os

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.jiraops.jira.plugins.module_utils.arguments import with_environment_credentials
from ansible_collections.jiraops.jira.plugins.module_utils.client import JiraClient
from ansible_collections.jiraops.jira.plugins.module_utils.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.jiraops.jira.plugins.module_utils.errors import JiraError
from ansible_collections.jiraops.jira.plugins.module_utils.masking import masked, secret_forms

# How the action plugin and the module it runs on a managed node talk about the circuit breaker: the plugin says in the
# module's environment that the credentials are proven in this run (so safe retries stay on), and the module returns
# what the task learnt about them under OUTCOME_KEY, which the plugin takes out of the result.
TRUSTED_VARIABLE = "JIRAOPS_JIRA_LOGIN_PROVEN"
OUTCOME_KEY = "_jiraops_jira_login_outcome"


def run_logic(logic, params, check_mode=False, diff=False, execution="module", gate=None, trusted=False, progress=None):
    """(result, secrets, login outcome): the task result, every secret-derived value to mask in it, and what the task
    learnt about the credentials (client.login.outcome).

    ``trusted``: Jira has proven these credentials earlier in this run. ``progress``: a function that shows a line
    while the task runs (the controller path's display; a module has nobody to tell before it returns)."""
    client = None
    # Decoding a large answer allocates hundreds of thousands of objects, and JSON holds no reference cycle:
    # the cycle collector would only walk them again and again. The task's process is short-lived anyway.
    collecting = gc.isenabled()
    gc.disable()
    try:
        client = JiraClient(params, execution=execution, gate=gate, trusted=trusted)
        # The client is the task's context: a long paged read reports through it (None: nowhere to report).
        client.progress = _masked_lines(progress, client.secrets)
        result = logic(params, client, check_mode, diff)
    except JiraError as exc:
        result = exc.result()
    finally:
        if client is not None:
            client.close()
        if collecting:
            gc.enable()
    if client is None:
        return result, (), None
    # Every form of every secret the client derived (it holds the password and token options too), in values and keys,
    # before Ansible's own masking: what a hostile server echoes back escaped or as a key never reaches the output.
    return masked(result, secret_forms(client.secrets)), client.secrets, client.login.outcome


def _masked_lines(show, secrets):
    """``show`` behind the same masking as the result: a line names an endpoint, and a path can hold anything."""
    if show is None:
        return None
    forms = secret_forms(secrets)
    return lambda line: show(masked(line, forms))


def run_as_module(module, logic):
    """main() of every module: run the logic and exit through AnsibleModule (which masks no_log values)."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    trusted = os.environ.get(TRUSTED_VARIABLE) == "1"
    result, secrets, outcome = run_logic(logic, with_environment_credentials(module.params), module.check_mode, module._diff,
                                         trusted=trusted)
    module.no_log_values.update(secrets)
    if outcome is not None:
        result[OUTCOME_KEY] = outcome
    if result.get("failed"):
        result.pop("failed")
        module.fail_json(**result)
    module.exit_json(**result)
