# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's promises, read after each scenario from jirasim's own counters and from every output and file.

Each check returns a list of violations: (invariant name, one line that never shows a secret).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import html
import json
import os
import re
import time
import urllib.parse

from safety_support import SecretScanner

from chaos_scenario import ISSUE_FOR

INVARIANTS = ("failed logins per account <= 1", "no CAPTCHA lock",
              "refused client secrets at the token endpoint <= 1", "creates per guard <= 1",
              "no secret piece in any output",
              "run within its deadline", "no traceback or raw exception", "non-Jira API never healthy",
              "rejected credentials never authenticated", "run completed")
PIECE = 6
RAW_EXCEPTION_TEXT = ("Traceback (most recent call last)", "object has no attribute", "KeyError", "AttributeError",
                      "TypeError:", "NameError", "RecursionError", "maximum recursion depth", "UnboundLocalError",
                      "IndexError", "ZeroDivisionError", "UnicodeDecodeError", "UnicodeEncodeError", "JSONDecodeError")
# Data Center's OAuth 2.0 token endpoint (a site path, behind the proxy); a refused client is a 401 (400 for a bad
# request), which is no Jira login: jirasim's failed-login counters never see it.
TOKEN_PATH = "/rest/oauth2/latest/token"
CLOUD_ADMIN = ("admin@example.com", "ATATT3xFfGF0adminTOKEN000")
SERVER_ADMIN = ("admin", "admin")


def check_logins(stats):
    """Failed logins per account and CAPTCHA locks, from jirasim's counters."""
    found = []
    for name, count in sorted((stats.get("failed_logins_total") or {}).items()):
        if count > 1:
            found.append(("failed logins per account <= 1", "account %s: %d failed logins, one run" % (name, count)))
    for name in stats.get("captcha_locked") or []:
        found.append(("no CAPTCHA lock", "account %s is CAPTCHA-locked" % name))
    return found


def check_token_requests(stats):
    """The OAuth analogue of failed logins: a client secret the token endpoint refused reaches it once per run at
    most, from jirasim's request log."""
    refused = [entry for entry in stats.get("log") or []
               if entry.get("path") == TOKEN_PATH and entry.get("status") in (400, 401)]
    if len(refused) > 1:
        statuses = ", ".join(str(entry["status"]) for entry in refused)
        return [("refused client secrets at the token endpoint <= 1",
                 "%d token requests refused (%s), one run" % (len(refused), statuses))]
    return []


def _admin_get(sim, flavor, path):
    user, secret = CLOUD_ADMIN if flavor == "cloud" else SERVER_ADMIN
    token = base64.b64encode(("%s:%s" % (user, secret)).encode("utf-8")).decode("ascii")
    status, data = sim.call("GET", path, headers={"Authorization": "Basic " + token})
    if status != 200 or not isinstance(data, dict):
        raise AssertionError("jirasim direct read %s answered %s" % (path, status))
    return data


def count_creates(sim, scenario, task):
    """How many things the task's guard made, read directly from jirasim (not through the module or the proxy)."""
    if task.module in ("request_guarded_post", "issue_create"):
        jql = urllib.parse.quote('summary ~ "%s"' % task.guard)
        if scenario.flavor == "cloud":
            data = _admin_get(sim, "cloud", "/rest/api/3/search/jql?fields=summary&maxResults=100&jql=" + jql)
        else:
            data = _admin_get(sim, "server", "/rest/api/2/search?fields=summary&maxResults=100&jql=" + jql)
        return sum(1 for issue in data.get("issues", []) if (issue.get("fields") or {}).get("summary") == task.guard)
    if task.module == "comment_marker":
        data = _admin_get(sim, scenario.flavor, "/rest/api/2/issue/%s/comment?expand=properties&maxResults=1000"
                          % ISSUE_FOR["comment_marker"])
        return sum(1 for comment in data.get("comments", [])
                   if task.guard in json.dumps(comment.get("properties") or []))
    if task.module == "attachment":
        data = _admin_get(sim, scenario.flavor, "/rest/api/2/issue/%s?fields=attachment" % ISSUE_FOR["attachment"])
        return sum(1 for each in (data.get("fields") or {}).get("attachment") or []
                   if each.get("filename") == task.guard + ".txt")
    return 0


def check_creates(sim, scenario):
    found = []
    for task in scenario.tasks:
        count = count_creates(sim, scenario, task)
        if count > 1:
            detail = "task %d (%s, %s) made %d of %s" % (task.index, task.module, task.construct, count, task.guard)
            found.append(("creates per guard <= 1", detail))
    return found


def secret_forms(user, value):
    """(form label, text) whose 6-character windows are secret material: the value, URL-encoded, base64(user:value)."""
    forms = [("raw", value), ("URL-encoded", urllib.parse.quote(value, safe=""))]
    if user is not None:
        encoded = base64.b64encode(("%s:%s" % (user, value)).encode("utf-8")).decode("ascii")
        # the first base64 quantum that holds a byte of the value
        start = 4 * ((len((user + ":").encode("utf-8"))) // 3)
        forms.append(("base64(user:secret)", encoded[start:].rstrip("=")))
    return forms


def _u_unescaped(text):
    """\\u escapes, also when JSON output escaped their backslash again."""
    return re.sub(r"\\+u([0-9a-fA-F]{4})", lambda match: chr(int(match.group(1), 16)), text)


def _unwrapped(text):
    """Line breaks taken out, written ones (as JSON shows them, backslashes escaped or not) and real ones."""
    return re.sub(r"(\\+r|\\+n|\r|\n)[ \t]*", "", text)


def _base64_decoded(text):
    """The text of every base64-looking run, decoded (where it decodes)."""
    found = []
    for run in re.findall(r"[A-Za-z0-9+/]{8,}={0,2}", text):
        for start in range(4):  # a word glued to the front ("BasicY2hh...") shifts the quanta
            part = run[start:].rstrip("=")
            try:
                found.append(base64.b64decode(part + "=" * (-len(part) % 4)).decode("utf-8"))
            except (binascii.Error, ValueError, UnicodeDecodeError):
                continue
    return "\n".join(found)


def decoded_views(data):
    """The output as read, and as an echo's encodings decode it: HTML entities, percent-escapes (either case),
    \\u escapes, line wrapping and base64, one at a time and all together (twice, for encodings nested in base64)."""
    text = data.decode("utf-8", "replace")
    views = [text, html.unescape(text), urllib.parse.unquote(text), _u_unescaped(text), _unwrapped(text)]
    chained = text
    for dummy in range(2):
        chained = urllib.parse.unquote(html.unescape(_u_unescaped(_unwrapped(chained))))
        chained = chained + "\n" + _base64_decoded(chained)
        views.append(chained)
    return views


def piece_hits(label, user, value, where, data, views):
    """A hit when a 6-character window of a form of the secret is in the output (forms in the raw bytes, the raw
    value in every decoded view)."""
    hits = []
    for form, text in secret_forms(user, value):
        haystacks = views if form == "raw" else [views[0]]
        for start in range(0, max(0, len(text) - PIECE) + 1):
            piece = text[start:start + PIECE]
            if len(piece) == PIECE and any(piece in haystack for haystack in haystacks):
                hits.append("a %d-character piece of the %s (%s) in %s" % (PIECE, label, form, where))
                break
    return hits


def _blobs(targets):
    """(where, bytes) of every file below the targets."""
    for where, target in targets:
        if isinstance(target, bytes):
            yield where, target
        elif os.path.isfile(target):
            with open(target, "rb") as handle:
                yield where, handle.read()
        elif os.path.isdir(target):
            for folder, dirs, files in os.walk(target):
                for name in files:
                    path = os.path.join(folder, name)
                    if os.path.isfile(path) and not os.path.islink(path):
                        with open(path, "rb") as handle:
                            yield "%s/%s" % (where, os.path.relpath(path, target)), handle.read()


def check_secrets(scenario, targets, access_tokens=()):
    """No piece of any secret of the scenario, nor of any access token jirasim issued, in any output or file."""
    scanner = SecretScanner()
    secrets = scenario.creds.scanned() + [("access token", None, token) for token in access_tokens]
    for label, user, value in secrets:
        if user is not None:
            scanner.add_basic(label, user, value)
        else:
            scanner.add_bearer(label, value)
    found = [("no secret piece in any output", hit) for hit in scanner.scan(targets)]
    for where, data in _blobs(targets):
        views = decoded_views(data)
        for label, user, value in secrets:
            found.extend(("no secret piece in any output", hit)
                         for hit in piece_hits(label, user, value, where, data, views))
    return _unique(found)


def check_exceptions(targets):
    found = []
    for where, data in _blobs(targets):
        for text in RAW_EXCEPTION_TEXT:
            if text.encode("utf-8") in data:
                found.append(("no traceback or raw exception", "%r in %s" % (text, where)))
    return _unique(found)


TASK_SLACK = 10  # seconds a task may take beyond its exchanges' deadlines: Ansible's own work on a shared machine
_BANNER = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) .*?\| "
                     r"(?:TASK|RUNNING HANDLER) \[chaos (?:handler )?(\d+)\b")
_STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) ")


def _seconds(stamp, millis):
    return time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S")) + int(millis) / 1000.0


def task_durations(log_path):
    """[(task index, seconds)] from the log's task banners (the time until the next line that opens anything)."""
    if not os.path.isfile(log_path):
        return []
    with open(log_path, "rb") as handle:
        lines = handle.read().decode("utf-8", "replace").split("\n")
    stamps = [(_STAMP.match(line), _BANNER.match(line), line) for line in lines]
    found, current = [], None
    for stamp, banner, line in stamps:
        if stamp is None:
            continue
        moment = _seconds(stamp.group(1), stamp.group(2))
        if current is not None and ("| TASK [" in line or "| RUNNING HANDLER [" in line or "| PLAY " in line):
            found.append((current[0], moment - current[1]))
            current = None
        if banner is not None:
            current = (int(banner.group(3)), moment)
    return found


def check_deadline(scenario, run):
    """The run against the sum of its tasks' deadlines, and each task (linear strategy) against its own."""
    bound = scenario.deadline()
    found = []
    if run.elapsed > bound:
        found.append(("run within its deadline", "the run took %.1f s, its tasks' deadlines add up to %.1f s with slack"
                      % (run.elapsed, bound)))
    if scenario.strategy != "linear" or scenario.adhoc:
        return found
    for index, seconds in task_durations(run.log_path):
        task = scenario.tasks[index]
        limit = scenario.task_deadline(task) + TASK_SLACK
        if seconds > limit:
            found.append(("run within its deadline", "task %d (%s, %s) took %.1f s, its deadline is %.1f s with slack"
                          % (index, task.module, task.construct, seconds, limit)))
    return found


def _results(out_dir):
    """Every dict in the results the hosts wrote (loop items included)."""
    if not os.path.isdir(out_dir):
        return
    for name in sorted(os.listdir(out_dir)):
        if name.startswith("results-"):
            with open(os.path.join(out_dir, name), "rb") as handle:
                yield from _walk(json.loads(handle.read().decode("utf-8")))


def _walk(value):
    if isinstance(value, dict):
        yield value
        for item in value.get("results") or []:
            yield from _walk(item)


def check_results(scenario, run):
    """A non-Jira API is never a healthy login; rejected credentials never authenticate."""
    found = []
    for result in _results(run.out_dir):
        authenticated = result.get("healthy") is True or result.get("login_state") == "ok"
        if authenticated and scenario.non_jira:
            found.append(("non-Jira API never healthy", "a task reported %s behind a JSON API without Jira's headers"
                          % ("healthy" if result.get("healthy") else "login_state=ok")))
        if authenticated and scenario.creds.wrong:
            found.append(("rejected credentials never authenticated", "a task with the %s reported authenticated"
                          % scenario.creds.kind.replace("_", " ")))
    return _unique(found)


def _unique(found):
    seen, out = set(), []
    for item in found:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
