# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Response: one answer as the client read it (status, lower-cased headers, the body, what it means for the login),
its text and JSON decoded once, when asked."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import ResponseError
from ansible_collections.jiraops.jira.plugins.module_utils.rest.values import decoded_text


class Response:
    """Status, lower-cased headers and the body of one Jira response, with the login it implies."""

    def __init__(self, method, url, status, headers, content, login):
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers
        self.content = content
        self.login = login
        self._text = None
        self._text_problem = None
        self._json = None
        self._json_read = False

    @property
    def text(self):
        return self._decoded_text()[0]

    @property
    def text_problem(self):
        """Why the body could not be read as it declares (see values.decoded_text), or None."""
        return self._decoded_text()[1]

    def _decoded_text(self):
        if self._text is None:
            self._text, self._text_problem = decoded_text(self.content, self.headers.get("content-type"))
        return self._text, self._text_problem

    @property
    def is_json(self):
        return "json" in self.headers.get("content-type", "") and bool(self.content.strip())

    @property
    def json(self):
        """The decoded JSON body; None when the body is empty or not JSON."""
        if not self._json_read:
            self._json_read = True  # an invalid body raises once
            self._json = self._decoded(json.loads)
        return self._json

    @property
    def json_or_none(self):
        """The decoded JSON body, or None when it is empty, not JSON, or not valid JSON (for answers read only to learn
        something, where an unusable body is as good as none)."""
        try:
            return self.json
        except ResponseError:
            return None

    def json_with_spans(self, decode_with_spans):
        """(json, spans): the body decoded by ``decode_with_spans`` (paging's), which also tells where each member of a
        top-level object sits in ``text``; (None, None) when the body is empty or not JSON."""
        decoded = self._decoded(decode_with_spans) or (None, None)
        self._json, self._json_read = decoded[0], True
        return decoded

    def _decoded(self, decode):
        if not self.is_json:
            return None
        try:
            return decode(self.text)
        except ValueError:
            raise ResponseError("Jira answered %s %s with a body that is declared as JSON but is not valid JSON (%d "
                                "bytes)."
                                % (self.method, self.url, len(self.content)), status=self.status, url=self.url)
        except RecursionError:
            raise ResponseError("The answer to %s %s is JSON nested deeper than can be read (%d bytes); it was not "
                                "read. Jira does not answer that: check that url is Jira's base URL and what answers "
                                "in front of it (a proxy, a portal, another service)."
                                % (self.method, self.url, len(self.content)),
                                status=self.status, url=self.url)
