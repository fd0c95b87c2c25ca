# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The text_to_adf filter: plain text as the Atlassian Document Format Jira Cloud REST v3 wants."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: text_to_adf
short_description: Plain text as an Atlassian Document Format document
version_added: 0.2.0
description:
  - Turns plain text into the Atlassian Document Format (ADF) document that Jira Cloud REST v3 takes for a description,
    an environment or a comment body. Cloud v3 refuses a plain string there.
  - Each block of lines becomes a paragraph (blocks are separated by blank lines); line breaks inside a block are kept
    as C(hardBreak) nodes. Wiki markup and Markdown are not interpreted.
  - REST v2 (Jira Data Center, and Jira Cloud v2) takes the plain string; do not convert it there.
options:
  _input:
    description: The text.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Comment on an issue in Jira Cloud through REST v3
  jiraops.jira.jira_request:
    method: POST
    path: /rest/api/3/issue/OPS-1/comment
    body:
      body: "{{ 'The build failed.\n\nSee the log.' | jiraops.jira.text_to_adf }}"
"""

RETURN = r"""
_value:
  description: The ADF document.
  type: dict
  sample:
    type: doc
    version: 1
    content:
      - type: paragraph
        content:
          - {type: text, text: The build failed.}
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.jiraops.jira.plugins.module_utils.common.adf import text_to_adf


def _text_to_adf(text):
    if not isinstance(text, str):  # filters run on the controller: Python 3 only
        raise AnsibleFilterError("text_to_adf takes a string, not %s; give the text itself." % type(text).__name__)
    return text_to_adf(str(text))


class FilterModule(object):
    """jiraops.jira filters."""

    def filters(self):
        return {"text_to_adf": _text_to_adf}
