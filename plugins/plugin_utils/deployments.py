# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Jira (Cloud or Data Center) each url is, remembered for the rest of one run on the controller path.

With ``deployment: auto`` a task that searches reads serverInfo once; every later task of the run against the same
Jira (the url in its canonical form) takes the answer from here. Like the breaker, it lives in the run's own temp
directory and ends with the run. Nothing secret is stored: a hash of the url names a file that holds "cloud" or
"server".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os

from ansible import constants as C

from ansible_collections.jiraops.jira.plugins.module_utils.deployment import CHOICES
from ansible_collections.jiraops.jira.plugins.module_utils.errors import InputError
from ansible_collections.jiraops.jira.plugins.module_utils.urls import canonical_url, normalize_base_url


def known(url, directory=None):
    """"cloud" or "server" when a task of this run learnt it for ``url``, else None."""
    path = _path(url, directory)
    if path is None:
        return None
    try:
        with open(path) as handle:
            kind = handle.read().strip()
    except (IOError, OSError):
        return None
    return kind if kind in CHOICES[1:] else None


def remember(url, kind, directory=None):
    path = _path(url, directory, create=True)
    if path is None or kind not in CHOICES[1:]:
        return
    temporary = "%s.%d.tmp" % (path, os.getpid())
    with open(temporary, "w") as handle:
        handle.write(kind)
    os.rename(temporary, path)


def _path(url, directory, create=False):
    try:
        key = canonical_url(normalize_base_url(url))
    except InputError:
        return None
    directory = directory or os.path.join(C.DEFAULT_LOCAL_TMP, "jiraops_jira_deployment")
    if create and not os.path.isdir(directory):
        try:
            os.mkdir(directory, 0o700)
        except FileExistsError:
            pass  # another fork made it first
    return os.path.join(directory, hashlib.sha256(key.encode("utf-8")).hexdigest())
