#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: jira_auth_check
short_description: Tell whether Jira credentials work, as whom, with which rights, and whether the account is
  CAPTCHA-locked
version_added: 0.1.0
description:
  - Logs in to Jira's REST API with HTTP Basic (user name and password, or Cloud e-mail and API token) or a Data Center
    personal access token, and returns what happened as structured results, so that a pipeline can gate on auth health.
  - Reads C(GET /rest/api/2/myself) with the credentials sent pre-emptively, then, when O(server_info) is set,
    C(serverInfo), and, when O(permissions) is set, C(mypermissions).
  - Tells apart a working login, the anonymous user, wrong credentials (including a 200 answer that Jira served
    anonymously or with the C(X-Seraph-LoginReason) header V(AUTHENTICATED_FAILED)), a CAPTCHA lock
    (V(AUTHENTICATION_DENIED)), Basic auth disabled on the instance, an unreachable server, and an answer that is not
    Jira's.
  - Healthy means Jira said so. The login counts only when C(/myself) answers with a JSON user object naming the user
    (C(name) on Data Center, C(accountId) on Cloud). A 200 HTML page from an SSO front, a portal or a wrong base URL, a
    redirect to one, a proxy's error page or a JSON answer that is not a user is RV(login_state=unexpected_response),
    and the message names the status, content type, page title and final URL.
  - When Jira authenticates the given user name as a user with another name (more than a difference of case), the result
    carries a warning, since a directory or an alias can map logins to users.
  - It never changes anything in Jira and always returns RV(ignore:changed=false). After a failed login it sends the
    credentials no more (server information is then read anonymously), so one check costs at most one failed login.
requirements:
  - requests (where the module runs; on the controller path, in the controller's Python)
author:
  - jiraops.jira maintainers (@jiraops)
extends_documentation_fragment:
  - jiraops.jira.connection
options:
  server_info:
    description:
      - Also read C(/rest/api/2/serverInfo) and return RV(server).
      - serverInfo is read once per run and O(url), on the controller and on managed nodes alike; later tasks of the run
        against the same Jira take what it said then (what Jira tells anyone, such as its version, build, deployment
        type and base URL).
    type: bool
    default: true
    version_added: 0.1.0
  permissions:
    description:
      - Permission keys the account must hold, for example V(BROWSE_PROJECTS) or V(CREATE_ISSUES).
      - Any key the account lacks is listed in RV(missing_permissions) and makes the check unhealthy.
    type: list
    elements: str
    default: []
    version_added: 0.1.0
  project:
    description:
      - A project key or id to check O(permissions) in. Without it, permissions are checked globally
        (a project permission then counts when the account holds it in any project).
    type: str
    version_added: 0.1.0
  fail_on_unhealthy:
    description:
      - Fail the task when the check is not healthy (RV(healthy=false)). Every result field is returned either way.
      - Set to V(false) to branch on RV(login_state) in the playbook instead.
    type: bool
    default: true
    version_added: 0.1.0
  warn_expiry_days:
    description:
      - A credential that expires within this many days stays healthy, adds a warning and sets
        RV(credential.expiring_soon). Only Jira Data Center tells an expiry (of a personal access token); no API tells
        that of a Jira Cloud API token, so RV(credential.expires_at) is then null.
    type: int
    default: 14
    version_added: 0.3.0
attributes:
  check_mode:
    description: The module only reads, so check mode runs it in full.
    support: full
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: none
  action_group:
    description: Use C(group/jiraops.jira.jira) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - jiraops.jira.jira
seealso:
  - module: jiraops.jira.jira_request
  - name: Which credential for which Jira
    description: The kinds of credential, their routes and expiry, and what jira_auth_check says about each.
    link: https://github.com/jiraops/jira/blob/main/docs/identities.md
"""

EXAMPLES = r"""
- name: Gate the pipeline on Jira credentials (fails unless healthy)
  jiraops.jira.jira_auth_check:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    permissions: [BROWSE_PROJECTS, CREATE_ISSUES]
    project: TEST

- name: Check a Data Center personal access token and branch on the answer
  jiraops.jira.jira_auth_check:
    url: "{{ jira_url }}"
    token: "{{ jira_token }}"
    fail_on_unhealthy: false
  register: jira_auth

- name: Tell a person what to do about a CAPTCHA lock
  ansible.builtin.debug:
    msg: "Log in once at {{ jira_auth.login_url }} to clear the CAPTCHA."
  when: jira_auth.captcha_triggered

- name: Warn a week ahead that the token needs renewing
  ansible.builtin.debug:
    msg: "The Jira token expires on {{ jira_auth.credential.expires_at }}: renew it."
  when: jira_auth.credential.expiring_soon

# On Jira Cloud, a service account's e-mail as username (or client_id and client_secret) goes through Atlassian's
# gateway by itself; a person's token made with scopes needs api_route: gateway (see docs/identities.md).
- name: Check OAuth 2.0 client credentials (a Cloud service account, or a Data Center 10 application link)
  jiraops.jira.jira_auth_check:
    url: "{{ jira_url }}"
    client_id: "{{ jira_client_id }}"
    client_secret: "{{ jira_client_secret }}"
    permissions: [BROWSE_PROJECTS, CREATE_ISSUES]
"""

RETURN = r"""
healthy:
  description: The credentials authenticated and the account holds every permission in O(permissions).
  returned: always
  type: bool
  sample: true
authenticated:
  description: Jira accepted the credentials (not served as anonymous, not rejected).
  returned: always
  type: bool
  sample: true
login_state:
  description:
    - What happened to the login.
    - V(ok) accepted; V(anonymous) no credentials were given; V(wrong_credentials) rejected, or served as the anonymous
      user; V(captcha) Jira refused without checking the password (CAPTCHA); V(not_authorised) authenticated but
      refused; V(basic_auth_disabled) the instance refuses Basic auth; V(unreachable) no answer; V(unexpected_response)
      an answer that is not Jira's (an SSO sign-in page, a portal, a wrong base URL, a 404 or 500 from a proxy);
      V(unknown) the credentials were sent and no verdict came back (a timeout or reset after sending, a 5xx);
      V(insufficient_scope) Jira Cloud accepted the token but it lacks a scope the call needs (see
      RV(missing_scopes)); V(gateway_required) the site URL refused credentials only Atlassian's gateway takes (a
      service account's, an OAuth 2.0 client's; set O(api_route=gateway)); V(token_expired) the server says the OAuth
      2.0 access token expired; none of these three counts as a wrong password;
      V(wrong_credentials) or V(captcha) also when the circuit breaker refused to send credentials Jira rejected earlier
      in the run, V(unknown) when it holds back credentials whose earlier attempt got no verdict.
  returned: always
  type: str
  sample: ok
captcha_triggered:
  description: Jira has locked the account behind a CAPTCHA; it rejects every REST login, even with the right password,
    until the user logs in once in a browser at RV(login_url) or an administrator resets the failed login count.
  returned: always
  type: bool
  sample: false
login_url:
  description: Where the user can solve the CAPTCHA, from C(X-Authentication-Denied-Reason).
  returned: always
  type: str
  sample: https://jira.example.com/login.jsp
login_reason:
  description: The values of C(X-Seraph-LoginReason), split on commas.
  returned: always
  type: list
  elements: str
  sample: [OK]
denied_reason:
  description: The reason part of C(X-Authentication-Denied-Reason), for example C(CAPTCHA_CHALLENGE).
  returned: always
  type: str
  sample: CAPTCHA_CHALLENGE
status:
  description: The HTTP status of C(GET /rest/api/2/myself); null when Jira was not reached.
  returned: always
  type: int
  sample: 200
route:
  description: The door of Jira the credentials went through, V(site) or V(gateway) (see O(api_route)).
  returned: always
  type: str
  sample: site
  version_added: 0.3.0
cloud_id:
  description: The cloudId of the Jira Cloud site, when the task knew it (given, or read for the gateway route).
  returned: always
  type: str
  sample: null
  version_added: 0.3.0
missing_scopes:
  description:
    - Scopes the token lacks for the check (V(read:jira-user), V(read:jira-work), V(write:jira-work)), where known
      (Jira's "scope does not match" answer, or an OAuth 2.0 access token's scopes against O(permissions)).
  returned: always
  type: list
  elements: str
  sample: []
  version_added: 0.3.0
credential:
  description: What kind of credential the task holds, and when it expires where Jira tells.
  returned: when the check ran
  type: dict
  version_added: 0.3.0
  contains:
    kind:
      description: V(password), V(api_token), V(scoped_token), V(service_account_token), V(pat), V(oauth_client) or
        V(none).
      type: str
      sample: pat
    expires_at:
      description: The end of a Data Center personal access token (its C(expiringAt)); null where no API tells it.
      type: str
      sample: "2027-06-21T10:00:00.000+0000"
    expires_in_days:
      description: Whole days until RV(credential.expires_at), or null.
      type: int
      sample: 200
    expiring_soon:
      description: Whether it expires within O(warn_expiry_days).
      type: bool
      sample: false
    scopes:
      description: The scopes of the OAuth 2.0 access token, as the token endpoint named them (OAuth 2.0 only).
      type: list
      elements: str
      returned: with O(client_id)
    access_token_expires_in:
      description: Seconds the access token was issued for (OAuth 2.0 only).
      type: float
      returned: with O(client_id)
auth_type:
  description: How the credentials were sent, V(basic), V(bearer), V(oauth) (an OAuth 2.0 access token as Bearer) or
    V(none).
  returned: always
  type: str
  sample: basic
url:
  description: The Jira base URL used.
  returned: always
  type: str
  sample: https://jira.example.com
user:
  description: Who the credentials belong to. Keys absent on the deployment (C(name) and C(key) on Cloud, C(account_id)
    on Server/Data Center) are null.
  returned: when authenticated
  type: dict
  sample:
    name: fred
    key: JIRAUSER10000
    account_id: null
    display_name: Fred Flintstone
    email: fred@example.com
    active: true
    time_zone: Europe/Berlin
server:
  description:
    - What the server says about itself (read anonymously when the login failed; once per run and O(url), see
      O(server_info)). Null when O(server_info=false) or unreadable.
  returned: always
  type: dict
  sample:
    base_url: https://jira.example.com
    version: 9.12.2
    version_numbers: [9, 12, 2]
    deployment_type: Server
    build_number: 9120002
    server_title: Jira
permissions:
  description: For each key in O(permissions), whether the account holds it.
  returned: always
  type: dict
  sample: {BROWSE_PROJECTS: true, CREATE_ISSUES: false}
missing_permissions:
  description: The keys of O(permissions) the account lacks.
  returned: always
  type: list
  elements: str
  sample: [CREATE_ISSUES]
circuit_breaker:
  description: V(open) when the credential circuit breaker refused to send credentials that Jira rejected earlier in
    this run.
  returned: when the breaker refused
  type: str
  sample: open
request_may_have_reached_jira:
  description:
    - On a failure of a call that is not safe to repeat (a create, an upload, a transition, a comment) whose fate is
      unknown (a timeout, a broken connection after sending, a 5xx or 429 that Jira did not sign), V(true) - the call
      was sent once and not again, and may or may not have been done. Look in Jira before running again; the modules
      read before they write, so a run again finds what was done.
    - On an RV(error_kind=internal) failure, whether a request had gone out before it.
  returned: on some failures
  type: bool
  sample: true
error_kind:
  description: What kind of error stopped the check (V(communication), V(response), V(circuit_open), V(bad_input),
    V(internal), an unexpected error inside the collection, whose message names only the exception's type).
  returned: on error
  type: str
  sample: communication
msg:
  description: A sentence a person can act on.
  returned: always
  type: str
  sample: Authenticated to Jira 9.12.2 at https://jira.example.com as fred (Fred Flintstone).
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.jiraops.jira.plugins.module_utils import auth_check
from ansible_collections.jiraops.jira.plugins.module_utils.task import run_as_module


def main():
    module = AnsibleModule(supports_check_mode=True, **auth_check.MODULE_KWARGS)
    run_as_module(module, auth_check.run)


if __name__ == "__main__":
    main()
