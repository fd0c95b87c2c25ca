#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: jira_attachment
short_description: Attach a file to a Jira issue once, byte for byte
version_added: 0.2.0
description:
  - Uploads a file (O(src)) or a text (O(content)) as an attachment of an issue, unless the issue already holds the same
    bytes under the same name (see O(on_exists)).
  - "The bytes go as C(multipart/form-data) with C(X-Atlassian-Token: no-check), exactly as they are (binary files, NUL
    bytes); a file name that is not plain ASCII is sent as RFC 5987 C(filename*). The file is streamed from disk, so a
    large file is not held in memory."
  - An upload is sent once. When the connection breaks after it may have reached Jira, the task fails and says so
    instead of sending it again (which could attach it twice); run the task again and the attachment is found.
  - An attachment counts as the same when it has the same file name and size, and the same SHA-256 when its content is
    read (it is read only when name and size match, and only when it fits within O(max_response_bytes); a larger one
    counts as the same on name and size alone).
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
  src:
    description:
      - The file to attach, a path where the module runs (the controller when the task runs locally, else the managed
        node).
      - Exactly one of O(src) and O(content) is required.
    type: path
    version_added: 0.2.0
  content:
    description:
      - A text to attach, sent as UTF-8. Requires O(filename).
    type: str
    version_added: 0.2.0
  filename:
    description:
      - The attachment's name. By default the base name of O(src).
    type: str
    version_added: 0.2.0
  mime_type:
    description:
      - The MIME type sent with the file. By default guessed from O(filename), else V(application/octet-stream).
    type: str
    version_added: 0.2.0
  on_exists:
    description:
      - V(skip) uploads only when no attachment of that name holds the same bytes.
      - V(replace) does the same, and deletes the other attachments of that name, so that the issue holds one copy.
      - V(add) always uploads (always reports changed).
    type: str
    default: skip
    choices: [skip, replace, add]
    version_added: 0.2.0
notes:
  - Supports check mode and diff mode. In check mode the issue's attachments are read (and a same-size one downloaded to
    compare), nothing is written, and RV(changed) predicts the real run.
  - Jira Cloud serves attachment content through a redirect to another host, which the collection does not follow with
    credentials; there an attachment of the same name and size counts as the same only when its content could be read,
    and the task fails otherwise.
seealso:
  - module: jiraops.jira.jira_issue
"""

EXAMPLES = r"""
- name: Write a build log (in a pipeline it already exists)
  ansible.builtin.copy:
    dest: /tmp/build-42.log
    content: "build 42: 3 tests failed\n"
    mode: "0644"

- name: Attach the build log once (a second run finds the same bytes and sends nothing)
  jiraops.jira.jira_attachment:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    issue: TEST-1
    src: /tmp/build-42.log
  register: log_attachment

- name: Keep one current summary, replacing the older one of the same name
  jiraops.jira.jira_attachment:
    url: "{{ jira_url }}"
    username: "{{ jira_username }}"
    password: "{{ jira_password }}"
    issue: TEST-1
    content: "{{ {'build': 42, 'failed': 3} | to_nice_json }}"
    filename: summary.json
    on_exists: replace
"""

RETURN = r"""
changed:
  description:
    - Whether a file was (or, in check mode, would be) uploaded, or other copies deleted.
    - Also true on a failed task when Jira answered the upload with 200 but not with the attachments it made.
  returned: always
  type: bool
  sample: true
issue:
  description: The issue, as given.
  returned: success
  type: str
  sample: OPS-12
id:
  description: The attachment's id (the one uploaded, or the one found); null when check mode would upload.
  returned: success
  type: str
  sample: "10042"
size:
  description: The attachment's size in bytes, as Jira reports it.
  returned: success
  type: int
  sample: 18231
content:
  description: Where Jira serves the attachment's bytes.
  returned: success
  type: str
  sample: https://jira.example.com/secure/attachment/10042/build-42.log
filename:
  description: The attachment's name.
  returned: success
  type: str
  sample: build-42.log
sha256:
  description: The SHA-256 of the bytes the task attaches.
  returned: success
  type: str
  sample: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
mime_type:
  description: The MIME type sent (or that would be sent).
  returned: success
  type: str
  sample: text/plain
deleted:
  description: The ids of other attachments of that name deleted (in check mode, that would be) with
    O(on_exists=replace).
  returned: success
  type: list
  elements: str
  sample: ["10041"]
diff:
  description: The attachments of that name (id and size) before and after.
  returned: when diff mode is on
  type: dict
  sample: {"before": [{"id": "10041", "size": 17}], "after": [{"id": "10042", "size": 18231}]}
msg:
  description: What happened, when there is more to say than RV(changed).
  returned: sometimes
  type: str
  sample: "Already attached: nothing sent."
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
  sample: communication
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.jiraops.jira.plugins.module_utils import attachment
from ansible_collections.jiraops.jira.plugins.module_utils.task import run_as_module


def main():
    module = AnsibleModule(supports_check_mode=True, **attachment.MODULE_KWARGS)
    run_as_module(module, attachment.run)


if __name__ == "__main__":
    main()
