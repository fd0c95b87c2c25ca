# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plain text as Atlassian Document Format (ADF), the rich text of Jira Cloud REST v3.

Cloud v3 refuses a string for description, environment or a comment body ("Operation value must be an
Atlassian Document"); v2 (Cloud and Data Center) takes the string itself.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

_BLANK_LINES = re.compile(r"\n[ \t]*\n")


def text_to_adf(text):
    """An ADF document for ``text``: a paragraph per block of lines (blocks are split on blank lines), the line
    breaks inside a block kept as hardBreak nodes. Empty text gives a document without content."""
    if not isinstance(text, str):
        raise TypeError("text_to_adf takes a string, not %s" % type(text).__name__)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [block.strip("\n") for block in _BLANK_LINES.split(text)]
    return {"type": "doc", "version": 1, "content": [_paragraph(block) for block in blocks if block.strip()]}


def _paragraph(block):
    inline = []
    for number, line in enumerate(block.split("\n")):
        if number:
            inline.append({"type": "hardBreak"})
        if line:  # ADF forbids empty text nodes
            inline.append({"type": "text", "text": line})
    return {"type": "paragraph", "content": inline}
