#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: jira_issue
short_description: Create, update, move to a status or delete one Jira issue, idempotently
version_added: 0.2.0
description:
  - Manages one issue, found by O(key) or by a JQL query (O(match_jql)). With O(state=present) it is created when
    O(match_jql) finds none, its fields are updated only where they differ, and it is moved to O(status) only when it
    has another status. With O(state=absent) it is deleted when it exists.
  - The issue is read once; a field is written only when its desired value does not already hold (the comparison of
    M(jiraops.jira.jira_request)'s V(PUT)), so a second run with the same options reports no change and sends no write.
  - On Jira Cloud the module speaks REST v3, where the description is sent as Atlassian Document Format made from the
    text; on Jira Data Center it speaks REST v2 and sends the text. O(deployment) says which Jira it is (by default
    serverInfo is asked once).
  - A create is never sent twice when it may have reached Jira (a broken connection after sending it fails the task
    instead); running the task again finds the issue with O(match_jql).
author:
  - jiraops.jira maintainers (@jiraops)
extends_documentation_fragment:
  - jiraops.jira.connection
options:
  key:
    description:
      - The key (or numeric id) of an existing issue, for example V(OPS-12).
      - With O(state=present) an issue that does not exist fails the task; use O(match_jql) to create issues.
      - Exactly one of O(key) and O(match_jql) is required.
    type: str
    version_added: 0.2.0
  match_jql:
    description:
      - A JQL query that finds the issue, for example V(project = OPS AND labels = nightly-build).
      - No match with O(state=present) creates the issue (then O(project) and O(summary) are required); more than one
        match fails the task and lists the keys found.
      - Give the issue an identity of its own that the task does not change (a label, or a summary that stays the same),
        so that the next run finds it again.
    type: str
    version_added: 0.2.0
  project:
    description:
      - The project key, for creating. An existing issue in another project fails the task (issues are not moved).
    type: str
    version_added: 0.2.0
  issuetype:
    description:
      - The issue type's name. On create the default is V(Task); on an existing issue it is changed only when given.
    type: str
    version_added: 0.2.0
  summary:
    description:
      - The summary.
    type: str
    version_added: 0.2.0
  description:
    description:
      - The description, as plain text. On Jira Cloud it is sent as Atlassian Document Format (a paragraph per block of
        lines, blocks split on blank lines, line breaks kept); on Data Center as the text itself.
    type: str
    version_added: 0.2.0
  labels:
    description:
      - Labels, compared without regard to order. What they do depends on O(labels_mode).
    type: list
    elements: str
    version_added: 0.2.0
  labels_mode:
    description:
      - V(replace) makes the issue hold exactly O(labels); V(add) adds those it lacks and keeps the others; V(remove)
        takes O(labels) away and keeps the others.
    type: str
    default: replace
    choices: [replace, add, remove]
    version_added: 0.2.0
  fields:
    description:
      - "Any other fields, as Jira's REST API names them, for example V({\"priority\": {\"name\": \"High\"}}) or custom
        fields (V(customfield_10010)). Compared as a deep subset of what Jira returns, so
        V({\"priority\": {\"name\": \"High\"}}) matches Jira's full priority object."
      - Fields that have their own option (summary, description, labels, issuetype, assignee, project, status) are
        refused here.
      - On Jira Cloud they go to REST v3, where rich text fields take Atlassian Document Format (see the
        P(jiraops.jira.text_to_adf#filter) filter).
    type: dict
    version_added: 0.2.0
  assignee:
    description:
      - The assignee. On Data Center a user name; on Jira Cloud an accountId, or an e-mail address that is looked up
        once with Jira's user search (users who hide their e-mail address cannot be found by it).
    type: str
    version_added: 0.2.0
  status:
    description:
      - The status the issue should have, by name (case-insensitive), for example V(Done).
      - When the issue has another status, the transition whose target status (C(to.name)) is this one is sent. When no
        transition from the current status leads there, the task fails and lists the statuses reachable in one
        transition.
      - Mutually exclusive with O(transition).
    type: str
    version_added: 0.2.0
  transition:
    description:
      - A transition to send, by name (case-insensitive) or id, when the issue is not already in the status it leads to.
    type: str
    version_added: 0.2.0
  transition_fields:
    description:
      - "Fields the transition's screen asks for, for example V({\"resolution\": {\"name\": \"Done\"}}). Sent only with
        a transition."
    type: dict
    version_added: 0.2.0
  state:
    description:
      - V(present) creates or updates the issue; V(absent) deletes it (with its sub-tasks, as Jira does) when it exists.
    type: str
    default: present
    choices: [present, absent]
    version_added: 0.2.0
notes:
  - Supports check mode and diff mode. In check mode the issue is read (and, on Cloud, an assignee's e-mail looked up),
    nothing is written, and RV(changed) predicts the real run.
  - Deleting needs the Delete Issues permission; a transition may be refused by the workflow's conditions.
seealso:
  - module: jiraops.jira.jira_request
"""

EXAMPLES = r"""
- name: File the nightly build ticket once, and keep it in progress
  jiraops.jira.jira_issue:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    match_jql: project = TEST AND labels = nightly-build-failed
    project: TEST
    issuetype: Bug
    summary: Nightly build failed
    description: |-
      The nightly build of main failed.

      See the CI log.
    labels: [ci, nightly-build-failed]
    fields:
      priority: {name: High}
    assignee: fred
    status: In Progress
  register: ticket

- name: Show where it is
  ansible.builtin.debug:
    msg: "{{ ticket.key }} ({{ ticket.status.after }}) {{ ticket.url }}"

- name: Add a label, keeping the others
  jiraops.jira.jira_issue:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    key: "{{ ticket.key }}"
    labels: [needs-triage]
    labels_mode: add

- name: Close it with a resolution (nothing is sent when it is already Done)
  jiraops.jira.jira_issue:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    key: "{{ ticket.key }}"
    status: done
    transition_fields:
      resolution: {name: Done}

- name: Delete it
  jiraops.jira.jira_issue:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    key: "{{ ticket.key }}"
    state: absent
"""

RETURN = r"""
changed:
  description:
    - Whether the issue was (or, in check mode, would be) created, updated, moved or deleted.
    - Also true on a failed task when Jira did a write before the failure, for example a create answered 201 without
      the new issue's key (then RV(created) is true and the message says where to find the issue).
  returned: always
  type: bool
  sample: true
key:
  description: The issue's key; null when check mode would create it, or when it was already absent.
  returned: success
  type: str
  sample: OPS-12
id:
  description: The issue's id.
  returned: success
  type: str
  sample: "10026"
url:
  description: The issue's browse link.
  returned: success
  type: str
  sample: https://jira.example.com/browse/OPS-12
created:
  description: Whether the task created the issue (in check mode, would create it).
  returned: success, and when a failure came after the create
  type: bool
  sample: false
status:
  description: The issue's status name before and after the task (null where there was or is no issue).
  returned: success
  type: dict
  sample: {"before": "To Do", "after": "In Progress"}
diff:
  description: The fields the task compared, as Jira had them before and as they are (or would be) after.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"summary": "Nightly build failed", "status": "To Do"},
           "after": {"summary": "Nightly build failed", "status": "In Progress"}}
matches:
  description: The keys O(match_jql) found when it found more than one issue.
  returned: on that failure
  type: list
  elements: str
  sample: [OPS-12, OPS-14]
reachable_statuses:
  description: The statuses reachable in one transition, when O(status) is not one of them.
  returned: on that failure
  type: list
  elements: str
  sample: [In Progress, Done]
msg:
  description: What happened, when there is more to say than RV(changed).
  returned: sometimes
  type: str
  sample: "Already as desired: nothing written."
login_state:
  description:
    - What Jira made of the login when the task failed on it, for example V(wrong_credentials), V(captcha) or V(unknown)
      (see M(jiraops.jira.jira_auth_check)).
  returned: on a login or communication failure
  type: str
  sample: wrong_credentials
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
  description: The kind of failure (V(bad_input), V(login), V(communication), V(response), V(circuit_open),
    V(internal), an unexpected error inside the collection, whose message names only the exception's type).
  returned: failure
  type: str
  sample: response
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.jiraops.jira.plugins.module_utils import issue
from ansible_collections.jiraops.jira.plugins.module_utils.task import run_as_module


def main():
    module = AnsibleModule(supports_check_mode=True, **issue.MODULE_KWARGS)
    run_as_module(module, issue.run)


if __name__ == "__main__":
    main()
