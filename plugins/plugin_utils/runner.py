# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two execution paths of every module, shared by the action plugins.

An API module needs no managed host: its work is an HTTP call. When the task runs locally, the
module's logic runs here, in the worker process, with the module's own argument spec (about 25 ms
instead of a third of a second, and the credentials never leave the controller). Otherwise the
module runs on the target as usual. Both paths give the same result, masked the same way, and both
go through the credential circuit breaker.

The variable ``jiraops_jira_execution`` (or the environment variable JIRAOPS_JIRA_EXECUTION) set to
``module`` forces the module path, for troubleshooting and tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import gc
import json
import os

from urllib.parse import unquote, urlsplit

from ansible.errors import AnsibleError
from ansible.module_utils.basic import remove_values
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.jiraops.jira.plugins.module_utils import task

from ansible_collections.jiraops.jira.plugins.module_utils.rest import transport
from ansible_collections.jiraops.jira.plugins.module_utils.common.arguments import with_environment_credentials
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import CircuitOpenError
from ansible_collections.jiraops.jira.plugins.module_utils.task import run_logic
from ansible_collections.jiraops.jira.plugins.plugin_utils import breaker, guards
from ansible_collections.jiraops.jira.plugins.plugin_utils.run_memory import ServerInfoMemory

display = Display()

EXECUTION_VARIABLE = "jiraops_jira_execution"
EXECUTION_CHOICES = ("auto", "controller", "module")
# A module that crashed or was killed: its credentials stay "in flight" in the breaker (held back for the run).
MODULE_ENDED_WITHOUT_ANSWER = object()

# Ansible imports this file once per run in its main process, and forks a worker for every task. What is made here
# serves every task of the run: requests imported (through client), the default SSL context (the system's CA store,
# 20 to 30 ms to load), and a session for the next task (see transport.prepare_sessions).
if transport.HAS_REQUESTS:
    try:
        transport.prepare_sessions({})
    except (OSError, ValueError):
        pass  # a task that needs it makes it again, and reports what is wrong


class JiraAction(ActionBase):
    """Base of the collection's action plugins: subclasses name their module's spec and logic."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False
    _VALID_ARGS = frozenset()
    module_kwargs = None
    logic = None
    validator = None
    _module_environment = {}
    _host = None

    def __init_subclass__(cls, **kwargs):
        super(JiraAction, cls).__init_subclass__(**kwargs)
        # Made once per run, when the main process imports the action plugin; every task's worker forks from it.
        cls.validator = ArgumentSpecValidator(**cls.module_kwargs)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        super(JiraAction, self).run(tmp, task_vars)
        execution = self._execution_path(task_vars)
        self._host = task_vars.get("inventory_hostname")
        try:
            return self._run_task(task_vars, execution)
        except AnsibleError:
            raise  # Ansible's own (an unreachable host, say): Ansible reports it
        except Exception as exc:  # the closed boundary of this plugin's own code, as run_logic's is of the logic's
            # Credentials this task wrote ahead as in flight stay so: the breaker holds them back for the run.
            return self._masked_url(task.internal_error(exc, True), self._url_secrets(self._task.args))

    def _run_task(self, task_vars, execution):
        environment = self._task_environment()
        with _applied(environment):
            params, error, secrets = self._validate()
            credentials = with_environment_credentials(params if params else self._known_args())
        url_secrets = self._url_secrets(params or self._task.args)
        if error and execution != "module":
            return self._masked_url(self._invalid(error, secrets), url_secrets)
        entry = breaker.entry_for(credentials, target_may_hold_credentials=execution == "module")
        guard = self.guard_of(params) if params else None
        with guards.serialized(self._task.resolved_action or self._task.action, credentials.get("url"), guard):
            with entry.serialized():
                # An open breaker is answered by the logic here on both paths (nothing is sent, and the result has the
                # same shape), unless the credentials are the target's (the logic here would miss them).
                answer_here = params and entry.open_state() and not isinstance(entry, breaker.TargetEntry)
                if execution == "module" and not answer_here:
                    result, outcome = self._run_module_guarded(task_vars, entry, credentials)
                else:
                    with _applied(environment):  # e.g. a proxy set for the task, as the module would see it
                        result, outcome = self._run_here(credentials, params, entry, secrets)
                if outcome is not MODULE_ENDED_WITHOUT_ANSWER:
                    entry.record(outcome)
        return self._masked_url(result, url_secrets)

    def _run_module_guarded(self, task_vars, entry, credentials):
        """(result, login outcome) of the module on the target, written ahead in the breaker."""
        try:
            entry.write_ahead()  # the module sends the credentials: "in flight" until its outcome says otherwise
        except CircuitOpenError as exc:  # arguments that did not validate here, for credentials held back
            return exc.result(), None
        server_infos = ServerInfoMemory()
        known = server_infos.known(credentials.get("url"))
        result = self._run_module(task_vars, entry.trusted, known)
        outcome = self._module_outcome(result)
        server_infos.remember(credentials.get("url"), result.pop(task.SERVER_INFO_KEY, None))
        return result, outcome

    @staticmethod
    def guard_of(params):
        """What makes this task a guarded create (a JSON value), or None; see plugin_utils/guards.py."""
        return None

    def _compute_environment_string(self, raw_environment_out=None):
        """The task's environment, plus what this plugin tells the module it runs (see _run_module)."""
        environment = {}
        super(JiraAction, self)._compute_environment_string(environment)
        environment.update(self._module_environment)
        if isinstance(raw_environment_out, dict):
            raw_environment_out.clear()
            raw_environment_out.update(environment)
        return self._connection._shell.env_prefix(**environment)

    def _execution_path(self, task_vars):
        """'controller' or 'module' for this task."""
        default = os.environ.get("JIRAOPS_JIRA_EXECUTION", "auto")
        wanted = self._templar.template(task_vars.get(EXECUTION_VARIABLE, default))
        if wanted not in EXECUTION_CHOICES:
            wanted = "auto"
        if wanted == "module":
            return "module"
        if wanted == "controller":
            return "controller"
        local = getattr(self._connection, "transport", None) == "local"
        return "controller" if local and not self._play_context.become else "module"

    def _task_environment(self):
        """The task's `environment:` as strings."""
        extra = {}
        self._compute_environment_string(raw_environment_out=extra)
        return dict((str(k), str(v)) for k, v in extra.items())

    def _validate(self):
        """(validated params or None when they have errors, the validation result, the task's no_log values)."""
        validation = self.validator.validate(self._task.args)
        secrets = no_log_values(self.module_kwargs["argument_spec"], validation.validated_parameters)
        if validation.error_messages:
            return None, validation, secrets
        return validation.validated_parameters, None, secrets

    def _invalid(self, validation, secrets):
        error = validation.errors[0]
        msg = validation.errors.msg
        if isinstance(error, UnsupportedError):
            msg = "Unsupported parameters for (%s) module: %s" % (self._task.resolved_action or self._task.action, msg)
        return self._masked(dict(failed=True, changed=False, msg=msg), secrets, {})

    def _run_here(self, credentials, params, entry, secrets):
        """(result, login outcome): the logic run in this process; ``credentials`` are ``params`` completed from the
        environment, ``secrets`` the task's no_log values."""
        # This worker is a fork of the whole controller, so each garbage collection would walk every object
        # Ansible holds while a large answer is parsed. The worker ends with the task: freezing them costs nothing.
        gc.freeze()
        # serverInfo is read once per run and url, not once per task (see plugin_utils/run_memory.py).
        server_infos = ServerInfoMemory()
        known = server_infos.known(credentials.get("url"))
        result, derived, outcome, learnt = run_logic(
            self.logic, credentials, self._task.check_mode, self._task.diff, "controller", gate=entry.write_ahead,
            trusted=entry.trusted, server_info=known, progress=self._progress_display(secrets))
        if learnt:
            server_infos.remember(credentials.get("url"), learnt)
        return self._masked(result, set(secrets) | set(derived), params), outcome

    def _progress_display(self, secrets):
        """Where a long paged read says how far it is: a line at -v, masked like the result (run_logic masks every
        form of the client's secrets first, wherever they came from; this adds the task's no_log values)."""
        no_log = set(secrets)
        host = self._host
        return lambda line: display.v(remove_values(line, no_log), host=host)

    def _run_module(self, task_vars, trusted=False, server_info=None):
        """The module's result. Its arguments are a copy: _execute_module adds internal keys to the dict it gets, and
        the task's own args are validated again on every until/loop retry."""
        self._module_environment = {task.TRUSTED_VARIABLE: "1"} if trusted else {}
        if server_info:
            self._module_environment[task.SERVER_INFO_VARIABLE] = json.dumps(server_info)
        try:
            return self._execute_module(module_name=self._task.resolved_action or self._task.action,
                                        module_args=dict(self._task.args), task_vars=task_vars)
        finally:
            self._module_environment = {}

    @staticmethod
    def _module_outcome(result):
        """What the module learnt about the credentials, taken out of its result: a login outcome, None (nothing
        learnt), or MODULE_ENDED_WITHOUT_ANSWER (it crashed or was killed, and may have sent them). The outcome is a
        key, which no_log masking leaves as it was (task.carried_outcome)."""
        carried = result.pop(task.OUTCOME_KEY, None)
        if carried is None:
            # Every run of the module's logic returns the key; a module that answered without it was refused by
            # AnsibleModule's own checks before its logic ran, and one whose answer is not JSON ended half way.
            return None if result.get("_ansible_parsed") else MODULE_ENDED_WITHOUT_ANSWER
        return task.outcome_carried(carried)

    def _known_args(self):
        """The connection options of a task whose arguments did not validate here (its url may come from the target's
        JIRA_URL), as far as they are known: enough to name its breaker entry."""
        args = self._task.args
        known = dict((name, args.get(name, args.get(alias))) for name, alias in
                     (("url", "url"), ("username", "user"), ("password", "api_token"), ("token", "token"),
                      ("client_id", "client_id"), ("client_secret", "client_secret")))
        known = dict((name, value) for name, value in known.items() if isinstance(value, str))
        known["circuit_breaker"] = boolean(args.get("circuit_breaker", True), strict=False)
        return known

    @staticmethod
    def _url_secrets(params):
        """The userinfo of a url like https://user:secret@host or https://TOKEN@host: refused before anything is sent,
        but it would be echoed in invocation.module_args, so it is masked like a no_log value, as written and decoded.
        With a password the user name is the account's (shown elsewhere too); without one it is often a token, so it
        is masked."""
        url = params.get("url")
        try:
            parts = urlsplit(url) if isinstance(url, str) else None
            secret = (parts.password or parts.username) if parts else None
            secrets = [secret] if secret else []
        except ValueError:
            return set()
        return set(form for secret in secrets for form in (secret, unquote(secret)) if form)

    @staticmethod
    def _masked_url(result, url_secrets):
        return remove_values(result, url_secrets) if url_secrets else result

    @staticmethod
    def _masked(result, no_log_values, params):
        result.setdefault("invocation", {"module_args": params})
        # Jira's answer can be megabytes, and remove_values walks it object by object (0.9 s for 5,000 issues).
        # run_logic has already masked every form of every secret in it (the password and token options included), so
        # only the rest of the result goes through remove_values here.
        bodies = dict((key, result.pop(key)) for key in ("json", "content") if key in result)
        masked = remove_values(result, no_log_values)
        masked.update(bodies)
        return masked


@contextlib.contextmanager
def _applied(environment):
    """os.environ with the task's environment added, as the module would see it: while options fall back to
    environment variables, and while the logic runs (a proxy, for example)."""
    if not environment:  # the usual task: rewriting os.environ would cost about 0.5 ms for nothing
        yield
        return
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def no_log_values(argument_spec, params):
    """The values of the no_log options of ``argument_spec`` in ``params`` (a validation result's public
    validated_parameters, which hold the values from environment fallbacks and defaults too), as strings, the way
    Ansible masks them: every string inside a list or dict value, numbers as text, never a bool or None; suboptions
    searched too."""
    found = set()
    for name, option in argument_spec.items():
        value = params.get(name) if isinstance(params, dict) else None
        if option.get("no_log", False) and value:
            found.update(_strings_in(value))
        if option.get("options") and value is not None:
            for each in value if isinstance(value, list) else [value]:
                found.update(no_log_values(option["options"], each))
    return found


def _strings_in(value):
    if isinstance(value, bytes):
        value = value.decode("utf-8", "surrogateescape")
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return [text for each in value for text in _strings_in(each)]
    if value is None or isinstance(value, bool):
        return []
    return [str(value)]
