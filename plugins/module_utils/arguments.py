# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every module of the collection shares (see doc_fragments/connection.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os

from ansible.module_utils.errors import AnsibleFallbackNotFound


def env_fallback(*names):
    """The first of these environment variables that is set and not empty.

    Unlike Ansible's env_fallback, an empty variable counts as unset: credential injectors (AWX,
    CI systems) often export every variable they know, empty when the credential has no such field.
    """
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    raise AnsibleFallbackNotFound

CONNECTION_ARGUMENT_SPEC = dict(
    url=dict(type="str", required=True, fallback=(env_fallback, ["JIRA_URL"])),
    username=dict(type="str", aliases=["user"], fallback=(env_fallback, ["JIRA_USERNAME"])),
    password=dict(type="str", no_log=True, aliases=["api_token"], fallback=(env_fallback, ["JIRA_PASSWORD", "JIRA_API_TOKEN"])),
    token=dict(type="str", no_log=True, fallback=(env_fallback, ["JIRA_TOKEN"])),
    validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["JIRA_VALIDATE_CERTS"])),
    ca_path=dict(type="path", fallback=(env_fallback, ["JIRA_CA_PATH"])),
    client_cert=dict(type="path"),
    client_key=dict(type="path", no_log=False),
    use_proxy=dict(type="bool", default=True),
    timeout=dict(type="float", default=10, fallback=(env_fallback, ["JIRA_TIMEOUT"])),
    retries=dict(type="int", default=3),
    max_retry_wait=dict(type="float", default=60),
    max_response_bytes=dict(type="int", default=64 * 1024 * 1024),
    circuit_breaker=dict(type="bool", default=True),
)

CONNECTION_MUTUALLY_EXCLUSIVE = [("token", "username"), ("token", "password")]
CONNECTION_REQUIRED_BY = {"client_key": "client_cert"}


def connection_spec(**module_options):
    """A module's argument spec: the shared connection options plus its own."""
    spec = copy.deepcopy(CONNECTION_ARGUMENT_SPEC)
    spec.update(module_options)
    return spec


def module_kwargs(argument_spec, mutually_exclusive=()):
    """Everything AnsibleModule needs besides the spec; the controller-side validator takes the same."""
    return dict(
        argument_spec=argument_spec,
        mutually_exclusive=list(CONNECTION_MUTUALLY_EXCLUSIVE) + list(mutually_exclusive),
        required_by=dict(CONNECTION_REQUIRED_BY),
    )
