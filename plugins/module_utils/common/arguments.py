# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options every module of the collection shares (see doc_fragments/connection.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import math
import os
import re

from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError


def first_env(*names):
    """The first of these environment variables that is set and not empty, else None.

    An empty variable counts as unset: credential injectors (AWX, CI systems) often export every
    variable they know, empty when the credential has no such field.
    """
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    return None


def env_fallback(*names):
    """Ansible's env_fallback, with first_env's rule for empty variables."""
    value = first_env(*names)
    if value is None:
        raise AnsibleFallbackNotFound
    return value


CREDENTIAL_OPTIONS = ("username", "password", "token", "client_id", "client_secret")


def with_environment_credentials(params):
    """params with the credentials completed from the environment, the task's own first.

    Not argument-spec fallbacks: those are applied before the mutually-exclusive check, so JIRA_USERNAME
    exported for other tasks would make a task that sets token fail. Here a token or OAuth client set on the task
    ignores the other kinds in the environment, a user name or password set on the task ignores JIRA_TOKEN and
    JIRA_CLIENT_ID (and takes the missing half from JIRA_USERNAME or JIRA_PASSWORD/JIRA_API_TOKEN), and a task that
    sets none of them takes JIRA_TOKEN, else JIRA_CLIENT_ID and JIRA_CLIENT_SECRET, else JIRA_USERNAME and
    JIRA_PASSWORD.
    """
    resolved = dict(params)
    given = [name for name in CREDENTIAL_OPTIONS if params.get(name) is not None]
    if not given:
        if first_env("JIRA_TOKEN"):
            given = ["token"]
            resolved["token"] = first_env("JIRA_TOKEN")
        elif first_env("JIRA_CLIENT_ID"):
            given = ["client_id"]
    if "token" in given:
        return resolved
    halves = ("client_id", "client_secret") if set(given) & {"client_id", "client_secret"} else ("username", "password")
    for option in halves:
        if resolved.get(option) is None:
            resolved[option] = first_env(*ENVIRONMENT_NAMES[option])
    return resolved


ENVIRONMENT_NAMES = dict(username=("JIRA_USERNAME",), password=("JIRA_PASSWORD", "JIRA_API_TOKEN"),
                         client_id=("JIRA_CLIENT_ID",), client_secret=("JIRA_CLIENT_SECRET",))


CONNECTION_ARGUMENT_SPEC = dict(
    url=dict(type="str", required=True, fallback=(env_fallback, ["JIRA_URL"])),
    # username, password and token come from the environment too: see with_environment_credentials.
    username=dict(type="str", aliases=["user"]),
    password=dict(type="str", no_log=True, aliases=["api_token"]),
    token=dict(type="str", no_log=True),
    # OAuth 2.0 client credentials (Cloud service accounts, Data Center 10 application links): see login/oauth.py.
    client_id=dict(type="str"),
    client_secret=dict(type="str", no_log=True),
    oauth_token_url=dict(type="str", no_log=False, fallback=(env_fallback, ["JIRA_OAUTH_TOKEN_URL"])),
    # Jira Cloud's two doors: the site URL, or Atlassian's gateway for scoped tokens (see rest/route.py).
    api_route=dict(type="str", default="auto", choices=["auto", "site", "gateway"],
                   fallback=(env_fallback, ["JIRA_API_ROUTE"])),
    cloud_id=dict(type="str", fallback=(env_fallback, ["JIRA_CLOUD_ID"])),
    gateway_url=dict(type="str", default="https://api.atlassian.com", fallback=(env_fallback, ["JIRA_GATEWAY_URL"])),
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
    # Cloud or Data Center decides which search endpoint exists (see deployment.py).
    deployment=dict(type="str", default="auto", choices=["auto", "server", "cloud"],
                    fallback=(env_fallback, ["JIRA_DEPLOYMENT"])),
)

CONNECTION_MUTUALLY_EXCLUSIVE = [("token", "username"), ("token", "password"), ("client_id", "username"),
                                 ("client_id", "password"), ("client_id", "token"), ("client_secret", "username"),
                                 ("client_secret", "password"), ("client_secret", "token")]
CONNECTION_REQUIRED_BY = {"client_key": "client_cert"}
# An issue as the resource modules take it: a key (TEST-1) or a numeric id.
ISSUE_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_]*-[0-9]+|[0-9]+)$")


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


# The range of every numeric option of the collection: (option, whole numbers only, least, least allowed itself, what to
# give). A value outside it would send nothing useful (a timeout of 0 or nan, a wait of -5 s), loop, or turn a bound
# off, so it is refused before anything is sent. concurrent_pages is jira_request's own check: its top is the pool size.
NUMERIC_RANGES = (
    ("timeout", False, 0, False, "Give the seconds one exchange with Jira may take, such as 10 (the default)."),
    ("retries", True, 0, True, "Give 0 to never retry, or a small number such as 3 (the default)."),
    ("max_retry_wait", False, 0, True,
     "Give the most seconds to wait before a retry, such as 60 (the default); 0 retries at once."),
    ("max_response_bytes", True, 0, False,
     "Give the largest answer to read in bytes, such as 67108864 (64 MiB, the default)."),
    ("page_size", True, 1, True, "Give the items a page should hold, such as 100, or leave it out."),
    ("max_items", True, 1, True, "Give the most items to read, or leave it out to read them all."),
    ("max_pages", True, 1, True, "Give the most pages to read, such as 1000 (the default)."),
    ("warn_expiry_days", True, 0, True, "Give the days before a credential's end to warn from, such as 14 (the "
                                        "default); 0 warns only once it has expired."),
)


def check_values(params):
    """Raise InputError for the first numeric option of ``params`` outside its range (see NUMERIC_RANGES); options
    left out (None) or absent from the module are not checked."""
    for option, whole, least, inclusive, fix in NUMERIC_RANGES:
        value = params.get(option)
        if value is None:
            continue
        problem = _out_of_range(value, whole, least, inclusive)
        if problem:
            raise InputError(option, "is %r, %s" % (value, problem), fix)


def _out_of_range(value, whole, least, inclusive):
    """Why ``value`` is not allowed, in words, or None."""
    kind = "a whole number" if whole else "a number"
    bound = "%s %s" % ("at least" if inclusive else "more than", least)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not float(value).is_integer()):
        return "but must be %s, %s" % (kind, bound)
    if not math.isfinite(value):
        return "but must be a finite number, %s" % bound
    if value < least or (value == least and not inclusive):
        return "but must be %s" % bound
    return None
