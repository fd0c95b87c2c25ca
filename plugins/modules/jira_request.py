#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: jira_request
short_description: Make any Jira REST call, idempotently, with paging and safe retries
version_added: 0.1.0
description:
  - Sends one call to Jira's REST API (or, with O(paginate), every page of it) with the credentials sent pre-emptively,
    and fails when Jira rejected them or served the call as the anonymous user although credentials were given.
  - "Idempotent by method: V(GET) and V(HEAD) never report changed. V(PUT) and V(PATCH) read the current state first
    (O(read_before_write)) and write nothing when every desired value already holds. V(DELETE) of something already
    absent (404) is unchanged. V(POST) creates are made idempotent by a guard (O(guard_jql) or O(guard_path)): when it
    finds a match, nothing is created."
  - "Searches sent as V(POST) (paths ending in C(/search) or C(/search/jql)) are reads: never changed, and run in check
    mode."
  - Retries only what is safe to retry (see O(retries)); a create is never sent twice when it may have reached Jira.
requirements:
  - requests (where the module runs; on the controller path, in the controller's Python)
author:
  - jiraops.jira maintainers (@jiraops)
extends_documentation_fragment:
  - jiraops.jira.connection
options:
  method:
    description:
      - The HTTP method.
    type: str
    default: GET
    choices: [GET, POST, PUT, DELETE, PATCH, HEAD]
    version_added: 0.1.0
  path:
    description:
      - The REST path relative to O(url), for example V(/rest/api/2/issue/TEST-1).
      - A full URL below O(url) (such as a C(self) link from an earlier answer) is accepted too. A path that would leave
        O(url) (another host, C(//host), a C(..) segment) is refused before anything is sent.
      - Put query parameters in O(params), not in the path.
    type: str
    required: true
    version_added: 0.1.0
  params:
    description:
      - Query parameters. Lists are joined with commas and booleans sent as V(true)/V(false), as Jira expects.
    type: dict
    default: {}
    version_added: 0.1.0
  body:
    description:
      - The request body, sent as JSON. A mapping or a list, or a string holding JSON text.
    type: raw
    version_added: 0.1.0
  headers:
    description:
      - Extra request headers. C(Authorization), C(Cookie), C(Proxy-Authorization), C(Host) and C(Content-Length) are
        refused, because the collection manages them.
    type: dict
    default: {}
    version_added: 0.1.0
  status_code:
    description:
      - The statuses that count as success. By default any 2xx.
      - For V(DELETE), a 404 always means already absent (unchanged).
    type: list
    elements: int
    version_added: 0.1.0
  read_before_write:
    description:
      - For V(PUT) and V(PATCH), read O(read_path) (or O(path)) first and write only when a desired value differs; the
        comparison is a deep subset, so O(body=fields.summary) matches a full issue. Costs one GET per task.
      - A body that cannot be compared, such as one using Jira's C(update) verbs (add, remove, set), is always written
        and reported as changed; use C(changed_when) if you know better.
      - For V(DELETE), read first so that an absent resource is reported unchanged and the diff shows what was deleted.
    type: bool
    default: true
    version_added: 0.1.0
  read_path:
    description:
      - Where to read the current state for V(PUT), V(PATCH) and V(DELETE), when it is not O(path).
    type: str
    version_added: 0.1.0
  guard_jql:
    description:
      - For V(POST) creates, a JQL query that finds the thing if it already exists, for example
        V(project = TEST AND summary ~ "\\"Nightly build failed\\"").
      - When it matches, nothing is created, RV(changed=false) and RV(json) is the first match.
      - The search goes to C(/rest/api/3/search/jql) on Jira Cloud and to C(/rest/api/2/search) on Jira Data Center;
        O(deployment) says which one Jira is.
    type: str
    version_added: 0.1.0
  guard_path:
    description:
      - For V(POST) creates, a path to read that answers 200 when the thing already exists and 404 when it does not,
        for example V(/rest/api/2/project/OPS). An answer that is a list or a page counts as a match when it is not
        empty.
    type: str
    version_added: 0.1.0
  paginate:
    description:
      - Follow Jira's paging (C(startAt)/C(maxResults)/C(total), C(startAt)/C(isLast)/C(values) and C(nextPageToken))
        and return every item in one list, under the key the first page used (C(issues), C(values), C(comments), ...).
      - For a search sent as V(POST), the position goes into the body.
      - Paging that does not advance (a page that asks for a position already fetched, holds the same items as the one
        before, or carries an empty C(nextPageToken) without C(isLast)) stops with an error naming the endpoint, and so
        does a page whose C(startAt), C(total) or C(maxResults) is not a whole number. See also O(max_pages).
      - The result says how many pages (RV(pages)) and items (RV(item_count)) were read, and how long it took
        (RV(seconds)).
      - "On the controller path (see the collection's README), a long paged read shows a progress line at C(-v) every 20
        pages or 5 seconds, such as C(jira_request: 40 pages, 40,000 items, 2,100 items/s) followed by the method and
        path: counts and the endpoint only, masked like the result. On the module path (a managed host, or
        C(jiraops_jira_execution=module)) there is no progress to show, since a module says nothing until it returns."
      - An answer returned in the result (no O(dest)) of more than 10,000 items or 10 MB of JSON adds a warning that
        suggests O(dest), to stream it to a file, and C(fields) in O(params) or O(body), to ask Jira for fewer fields.
    type: bool
    default: false
    version_added: 0.1.0
  page_size:
    description:
      - The C(maxResults) to ask for on each page with O(paginate).
      - Without it, a C(maxResults) in O(params) (or, for a search sent as V(POST), in O(body)) is kept; without either,
        the largest page the endpoint family allows is asked for, as follows.
      - "C(/rest/api/2/search) and C(/rest/api/latest/search) (Data Center): V(1000), Jira's
        C(jira.search.views.default.max)."
      - "C(/rest/api/3/search/jql) (Cloud) asking for no C(fields), or for C(id) and C(key) only: V(5000), the maximum
        Atlassian documents for ids and keys. With any other field: V(100), the page Jira trims whole issues to."
      - "Agile issue lists (C(/rest/agile/1.0/.../issue), C(.../backlog)): V(1000), bounded like search. Other agile
        lists (boards, sprints, epics): V(50), Jira Software's cap."
      - "Comments and worklogs of an issue (C(.../issue/KEY/comment), C(.../issue/KEY/worklog)): V(5000), never a
        smaller page than Jira's own default (Data Center sends them all unless asked for fewer)."
      - "Any other endpoint: V(100), twice Jira's usual default of 50."
      - Jira caps each page at what the endpoint allows (an administrator may set a lower cap) and says so in the page.
        Paging always follows the pages Jira sent, each starting where the one before really ended, never the size asked
        for.
      - A whole number, 1 or more.
    type: int
    version_added: 0.1.0
  max_items:
    description:
      - With O(paginate), stop after this many items. A whole number, 1 or more.
    type: int
    version_added: 0.1.0
  concurrent_pages:
    description:
      - With O(paginate), how many pages may be requested at once, once the first page tells where every later page
        starts (C(startAt) with C(total)). Jira prepares them in parallel while the pages already received are decoded;
        the items still come back in Jira's order, each page checked against where the one before it ended.
      - Pages that are only known one at a time (C(nextPageToken), or C(isLast) without C(total)) are always fetched one
        at a time.
      - V(1) fetches one page at a time. At least V(1), at most V(16).
    type: int
    default: 4
    version_added: 0.1.0
  max_pages:
    description:
      - With O(paginate), the most pages one task fetches. When Jira has more, the task fails and says so (nothing
        partial is returned as if it were whole); raise it, set O(max_items) for a part, a larger O(page_size), or
        narrow the query.
      - At most O(concurrent_pages) pages are requested ahead of the ones received, whatever the C(total).
      - A page that repeats the one before, or asks for a position already read, fails the task at once (the server does
        not advance), whatever O(max_pages) allows.
      - A whole number, 1 or more.
    type: int
    default: 1000
    version_added: 0.2.0
  dest:
    description:
      - For reads, write the answer (with O(paginate), the merged pages, as JSON) to this file where the module runs,
        instead of returning it in RV(json) or RV(content). The task returns RV(dest) and RV(size).
      - With O(paginate), each page's items are copied into the file as Jira sent them (after checking that the page is
        valid JSON), and the decoded page is then dropped. A bulk export is not encoded again, and the decoded pages are
        not kept.
      - Meant for bulk exports. Ansible copies a task's result several times (to the main process, into the registered
        variable, to the output callback); for thousands of issues those copies cost more than fetching them.
      - The file is replaced atomically, and only when its content (compared by SHA-256, read in chunks) or its mode
        changes; RV(changed) says whether it did. Check mode does not write it. An existing file keeps its mode, a new
        one follows the umask, unless O(mode) is set. A failed write leaves no temporary file behind.
      - Only a regular file, or a file to create in an existing directory, is accepted (checked before anything is
        sent).
      - An answer that contains the task's password, token or Authorization header (something echoes the request) is
        not written; the task fails instead, since no masking reaches a file.
    type: path
    version_added: 0.1.0
  mode:
    description:
      - The permissions of the O(dest) file, as for M(ansible.builtin.copy), as an octal string such as V('0640') (quote
        it in YAML). Without it an existing file keeps its mode and a new one follows the umask.
    type: raw
    version_added: 0.2.0
attributes:
  check_mode:
    description: Reads run; writes are not sent. V(PUT), V(PATCH) and V(DELETE) predict RV(changed) from a read, V(POST)
      from its guard.
    support: full
  diff_mode:
    description: Returns RV(diff) with the affected part of the resource before and after.
    support: full
  action_group:
    description: Use C(group/jiraops.jira.jira) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - jiraops.jira.jira
seealso:
  - module: jiraops.jira.jira_auth_check
  - name: Jira REST API
    description: Atlassian's reference of the REST resources.
    link: https://docs.atlassian.com/software/jira/docs/api/REST/latest/
"""

EXAMPLES = r"""
- name: File an issue once, however often the playbook runs
  jiraops.jira.jira_request:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    method: POST
    path: /rest/api/2/issue
    guard_jql: project = TEST AND summary ~ "\"Nightly build failed\""
    body:
      fields:
        project: {key: TEST}
        issuetype: {name: Task}
        summary: Nightly build failed
  register: filed

- name: Set the summary (unchanged when it already is)
  jiraops.jira.jira_request:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    method: PUT
    path: "/rest/api/2/issue/{{ filed.json.key }}"
    body:
      fields:
        summary: Nightly build failed (investigating)

- name: Every issue of a project, all pages of 1000 (Data Center; on Jira Cloud the path is /rest/api/3/search/jql)
  jiraops.jira.jira_request:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    path: /rest/api/2/search
    params:
      jql: project = TEST ORDER BY key
      fields: [summary, status]
    paginate: true
  register: all_issues

- name: Export every issue of a project to a file (bulk; nothing large goes through Ansible's result)
  jiraops.jira.jira_request:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    path: /rest/api/2/search
    params:
      jql: project = TEST ORDER BY key
    paginate: true
    dest: /tmp/test-issues.json

- name: Delete an issue (unchanged when already gone)
  jiraops.jira.jira_request:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    method: DELETE
    path: /rest/api/2/issue/TEST-1
"""

RETURN = r"""
status:
  description: The HTTP status of the last call that decided the result (null in check mode when nothing was sent).
  returned: always
  type: int
  sample: 200
json:
  description:
    - The decoded JSON answer. With O(paginate), the first page with every page's items merged under its items key.
    - For a create the guard matched, the match; for an unchanged update, the current state read.
  returned: when Jira answered with JSON, and O(dest) is not set
  type: raw
  sample: {"id": "10001", "key": "TEST-26", "self": "https://jira.example.com/rest/api/2/issue/10001"}
content:
  description: The answer body as text, when it is not JSON.
  returned: when Jira answered with a body that is not JSON
  type: str
  sample: <html>...</html>
headers:
  description: The answer's headers, names lower-cased, C(set-cookie) removed.
  returned: when Jira answered
  type: dict
  sample: {"content-type": "application/json;charset=UTF-8", "x-arequestid": "1158x1253552x2"}
url:
  description: The URL called.
  returned: always
  type: str
  sample: https://jira.example.com/rest/api/2/issue/TEST-1
method:
  description: The method of the call that decided the result (a GET when a read showed that no write was needed).
  returned: always
  type: str
  sample: PUT
changed:
  description:
    - Whether Jira was (or in check mode would be) changed.
    - Also true on a failed task when Jira answered a write with 2xx but its answer could not be read.
  returned: always
  type: bool
  sample: false
diff:
  description: The affected part of the resource before and after.
  returned: in diff mode, for writes
  type: dict
  sample: {"before": {"fields": {"summary": "old"}}, "after": {"fields": {"summary": "new"}}}
pages:
  description: How many pages were read (1 without O(paginate); 0 when check mode sent nothing).
  returned: always
  type: int
  sample: 3
item_count:
  description:
    - How many items the paged read returned (or wrote to O(dest)), after O(max_items).
    - Read it as C(result.item_count); a key named C(items) would be shadowed by the dict's C(items) method in
      templates.
  returned: with O(paginate), when Jira's answer is a page
  type: int
  sample: 2500
seconds:
  description:
    - The wall time of the paged read, from the first request to the last page merged, in seconds, rounded to 0.01.
    - It differs from run to run; leave it out when comparing results.
  returned: with O(paginate), when Jira's answer is a page
  type: float
  sample: 1.37
retries:
  description: How many times a call was sent again (after 429, 503 or a broken connection of a repeatable call).
  returned: always
  type: int
  sample: 0
login_state:
  description:
    - What the last answer says about the login, as in M(jiraops.jira.jira_auth_check) (V(ok), V(anonymous),
      V(wrong_credentials), V(captcha), ...).
    - V(unknown) when the credentials were sent and the answer carries no verdict on them (a 5xx or a page from
      something in front of Jira, a timeout after sending); credentials not yet proven in the run are then not sent
      again.
  returned: always
  type: str
  sample: ok
captcha_triggered:
  description: Jira refused the login without checking the password (CAPTCHA); log in once in a browser at
    RV(login_url).
  returned: always
  type: bool
  sample: false
login_url:
  description: Where a CAPTCHA can be solved.
  returned: always
  type: str
  sample: https://jira.example.com/login.jsp
login_reason:
  description: The values of C(X-Seraph-LoginReason).
  returned: always
  type: list
  elements: str
  sample: [OK]
denied_reason:
  description: The reason part of C(X-Authentication-Denied-Reason).
  returned: always
  type: str
  sample: CAPTCHA_CHALLENGE
dest:
  description: The file the answer was written to (O(dest)).
  returned: when O(dest) is set
  type: str
  sample: /tmp/issues.json
size:
  description: The size of what was written to O(dest), in bytes.
  returned: when O(dest) is set
  type: int
  sample: 15482113
error_kind:
  description: The kind of failure (V(bad_input), V(login), V(communication), V(response), V(circuit_open), V(internal),
    an unexpected error inside the collection, whose message names only the exception's type).
  returned: failure
  type: str
  sample: response
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
msg:
  description: What happened, when there is more to say than the status.
  returned: sometimes
  type: str
  sample: "Already as desired: nothing written."
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.jiraops.jira.plugins.module_utils.request import logic as request_logic
from ansible_collections.jiraops.jira.plugins.module_utils.task import run_as_module


def main():
    module = AnsibleModule(supports_check_mode=True, **request_logic.MODULE_KWARGS)
    run_as_module(module, request_logic.run)


if __name__ == "__main__":
    main()
