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
        result = dict(changed=False)
        # ``changed`` in the fields says a write may have happened before the failure (a 2xx whose answer was unusable).
        result.update(self.fields)
        result.update(failed=True, msg=self.msg, error_kind=self.kind)
        return result

    def after_write(self, done, **fields):
        """A new error of this kind, raised after a write that Jira did (``done`` says which, in a sentence), saying so:
        the task failed, but it changed something, so ``changed`` is true and whoever runs it again is not blind."""
        return self.with_fields("%s %s" % (done, self.msg), **dict(fields, changed=True))

    def with_fields(self, msg=None, **fields):
        """A new error of this kind and with this one's attributes, its message ``msg`` (by default this one's) and its
        fields this one's updated with ``fields``: an error, once made, is never edited."""
        made = self.__class__.__new__(self.__class__)
        made.__dict__.update(self.__dict__)
        JiraError.__init__(made, self.msg if msg is None else msg, **dict(self.fields, **fields))
        return made


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
    """Jira could not be reached or the connection broke (refused, timeout, TLS, reset).

    ``what`` says what broke, in words; ``hint`` what to do about it; ``retryable``: whether asking again may help (a
    certificate Jira's TLS does not match does not get better). ``broken`` makes one with its message from these."""

    kind = "communication"

    def __init__(self, msg, what=None, hint=None, retryable=True, exchange=None, **fields):
        super(CommunicationError, self).__init__(msg, **fields)
        self.what = what
        self.hint = hint
        self.retryable = retryable
        self.exchange = exchange  # (method, url) of the exchange that broke, when the message was made from them

    @classmethod
    def broken(cls, exchange, what, hint=None, retryable=True, attempts=1, seconds=0.0, **fields):
        """The error of the exchange (method, url) that broke (``what``), tried ``attempts`` times over ``seconds``:
        its message says all of it at once."""
        msg = "Could not talk to Jira: %s %s: %s.%s" % (exchange[0], exchange[1], what, " " + hint if hint else "")
        if attempts > 1:
            msg = "%s (tried %d times over %.1f seconds; the option retries sets how often)." % (
                msg.rstrip("."), attempts, seconds)
        return cls(msg, what, hint, retryable, exchange, **fields)

    def tried(self, attempts, seconds):
        """This error, for a call that was sent ``attempts`` times over ``seconds``: when more than once, a new error
        that says so (made again from this one's facts)."""
        if attempts < 2 or self.exchange is None:
            return self
        return self.broken(self.exchange, self.what, self.hint, self.retryable, attempts, seconds, **self.fields)


class ResponseError(JiraError):
    """Jira answered, but not with what the call accepts (4xx/5xx, invalid body, redirect away)."""

    kind = "response"


class CircuitOpenError(JiraError):
    """The credential circuit breaker refused to send credentials Jira already rejected in this run."""

    kind = "circuit_open"


_JSON_KINDS = ((bool, "a boolean"), (str, "a string"), (int, "a number"), (float, "a number"), (list, "a list"),
               (dict, "an object"))


def json_kind(value):
    """What a decoded JSON value is, in words: 'a string', 'a list', 'null'..."""
    if value is None:
        return "null"
    return next((words for kind, words in _JSON_KINDS if isinstance(value, kind)), "a %s" % type(value).__name__)


def answer_field(answer, name, kinds, where, **fields):
    """``answer[name]`` when ``answer`` is a JSON object whose member ``name`` is one of ``kinds`` (a bool is never a
    number); otherwise a ResponseError saying what Jira's answer to ``where`` (such as 'GET /rest/api/2/issue/OPS-1')
    lacks. ``fields`` go into the error (``changed=True`` after a write Jira may have done)."""
    value = answer.get(name) if isinstance(answer, dict) else None
    if value is not None and isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
        return value
    wanted = " or ".join(sorted(set(words for kind, words in _JSON_KINDS if kind in kinds)))
    found = "the answer is %s" % json_kind(answer) if not isinstance(answer, dict) else (
        "it is missing" if name not in answer else "it is %s" % json_kind(value))
    raise ResponseError("Jira's answer to %s has no usable '%s' (%s expected; %s)." % (where, name, wanted, found),
                        **fields)


def answer_object(answer, where, **fields):
    """``answer`` when it is a JSON object; otherwise a ResponseError naming the call and what came instead."""
    if isinstance(answer, dict):
        return answer
    raise ResponseError("Jira's answer to %s is %s, not the JSON object it gives." % (where, json_kind(answer)),
                        **fields)
