# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Error kinds of the collection.

Every failure is a JiraError whose ``result()`` is the complete failed task result, so callers
need a single ``except JiraError`` and never show a Python repr to the user.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class JiraError(Exception):
    """Base error: a message a person can act on, plus structured result fields."""

    kind = "error"

    def __init__(self, msg, **fields):
        super(JiraError, self).__init__(msg)
        self.msg = msg
        self.fields = fields

    def result(self):
        result = dict(self.fields)
        result.update(failed=True, changed=False, msg=self.msg, error_kind=self.kind)
        return result


class InputError(JiraError):
    """An option value is wrong. Raised before anything is sent to Jira."""

    kind = "bad_input"

    def __init__(self, option, problem, fix):
        msg = "Option '%s': %s. %s" % (option, problem, fix)
        super(InputError, self).__init__(msg, option=option)


class LoginError(JiraError):
    """Jira did not accept the login (wrong credentials, CAPTCHA, served anonymously, ...)."""

    kind = "login"


class CommunicationError(JiraError):
    """Jira could not be reached or the connection broke (refused, timeout, TLS, reset)."""

    kind = "communication"


class ResponseError(JiraError):
    """Jira answered, but not with what the call accepts (4xx/5xx, invalid body, redirect away)."""

    kind = "response"


class CircuitOpenError(JiraError):
    """The credential circuit breaker refused to send credentials Jira already rejected in this run."""

    kind = "circuit_open"
