#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: jira_comment
short_description: Comment on a Jira issue once, update the comment in place, or delete it
version_added: 0.2.0
description:
  - Posts a comment on an issue only when it is not already there, so a pipeline that runs again does not comment again.
  - With O(marker), the comment is the one posted with that marker (kept in a comment property named
    C(jiraops.jira.marker)); its text may change between runs and is then updated in place. The marker is sent with the
    comment in one create, so no comment is ever left without it.
  - Without O(marker), the comment is one with the same text (line ends and surrounding white space aside); a new text
    is a new comment.
  - The issue's comments are read (every page, with their properties) once per task.
  - On Jira Cloud the module speaks REST v3, where the body is sent as Atlassian Document Format made from the text;
    on Data Center it speaks REST v2 and sends the text.
author:
  - jiraops.jira maintainers (@jiraops)
extends_documentation_fragment:
  - jiraops.jira.connection
options:
  issue:
    description:
      - The key (or numeric id) of the issue, for example V(OPS-12).
    type: str
    required: true
    version_added: 0.2.0
  body:
    description:
      - The comment, as plain text. Required with O(state=present).
      - With O(state=absent) and no O(marker), the comments with this text are deleted.
    type: str
    version_added: 0.2.0
  visibility:
    description:
      - Who may see the comment. Compared and written only when given; a comment's visibility is otherwise left as it
        is.
    type: dict
    version_added: 0.2.0
    suboptions:
      type:
        description:
          - V(role) (a project role) or V(group).
        type: str
        required: true
        choices: [role, group]
      value:
        description:
          - The role's or the group's name, for example V(Developers).
        type: str
        required: true
  marker:
    description:
      - A string that names the comment, for example V(build-failure) or V(deploy-1.4.2). Stored as a comment
        property, so it does not show in the text.
    type: str
    version_added: 0.2.0
  state:
    description:
      - V(present) posts the comment, or updates the marked one when its text or visibility differs; V(absent) deletes
        the marked comment (or, without O(marker), every comment with the text of O(body)).
    type: str
    default: present
    choices: [present, absent]
    version_added: 0.2.0
notes:
  - Supports check mode and diff mode. In check mode the comments are read, nothing is written, and RV(changed) predicts
    the real run.
  - Updating or deleting another user's comment needs the Edit All Comments or Delete All Comments permission.
seealso:
  - module: jiraops.jira.jira_issue
"""

EXAMPLES = r"""
- name: Say once that the build failed (a second run finds the marked comment and changes nothing)
  jiraops.jira.jira_comment:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    issue: TEST-1
    marker: nightly-build-status
    body: |-
      The nightly build failed.

      See the CI log.
  register: build_comment

- name: Later, the same comment says it passed (updated in place)
  jiraops.jira.jira_comment:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    issue: TEST-1
    marker: nightly-build-status
    body: The nightly build passed again.

- name: A comment only developers see, posted once because its text is the same on every run
  jiraops.jira.jira_comment:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    issue: TEST-1
    body: Rolled back on the staging cluster.
    visibility:
      type: role
      value: Developers

- name: Remove the status comment
  jiraops.jira.jira_comment:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    issue: TEST-1
    marker: nightly-build-status
    state: absent
"""

RETURN = r"""
changed:
  description:
    - Whether a comment was (or, in check mode, would be) posted, updated or deleted.
    - Also true on a failed task when Jira answered the post with 201 but without the comment's id.
  returned: always
  type: bool
  sample: true
issue:
  description: The issue, as given.
  returned: success
  type: str
  sample: OPS-12
id:
  description: The comment's id; null when check mode would post it, or when there was none to delete.
  returned: success
  type: str
  sample: "10042"
url:
  description: The comment's REST address (C(self)).
  returned: success
  type: str
  sample: https://jira.example.com/rest/api/2/issue/10026/comment/10042
created:
  description: Whether the task posted (in check mode, would post) a new comment.
  returned: success, and when the post was answered 201 without the comment's id
  type: bool
  sample: false
deleted:
  description: The ids of the comments deleted (in check mode, that would be deleted).
  returned: with O(state=absent)
  type: list
  elements: str
  sample: ["10042"]
diff:
  description: The comment's body (and visibility) before and after; on Jira Cloud the body is Atlassian Document
    Format.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"body": "The nightly build failed."}, "after": {"body": "The nightly build passed again."}}
msg:
  description: What happened, when there is more to say than RV(changed).
  returned: sometimes
  type: str
  sample: "Already there: nothing written."
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
  sample: bad_input
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.jiraops.jira.plugins.module_utils import comment
from ansible_collections.jiraops.jira.plugins.module_utils.task import run_as_module


def main():
    module = AnsibleModule(supports_check_mode=True, **comment.MODULE_KWARGS)
    run_as_module(module, comment.run)


if __name__ == "__main__":
    main()
