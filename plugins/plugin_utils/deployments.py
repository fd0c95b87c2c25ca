# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What serverInfo said about each url (Cloud or Data Center, which version), remembered for the rest of one run, on the
controller (runner.py hands it to a module that runs elsewhere, and keeps what the module read).

The first task of a run that reads serverInfo (jira_auth_check, or a search with ``deployment: auto``) leaves the answer
here; every later task of the run against the same Jira (the url in its canonical form) takes it from here instead of
asking again. Like the breaker, it lives in the run's own temp directory and ends with the run. Nothing secret is
stored: a hash of the url names a file that holds the keys of deployment.SERVER_INFO_KEYS, which Jira tells anyone.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os

from ansible import constants as C

from ansible_collections.jiraops.jira.plugins.module_utils.common.deployment import is_server_info
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError
from ansible_collections.jiraops.jira.plugins.module_utils.login.masking import MASK  # also the mask of no_log values
from ansible_collections.jiraops.jira.plugins.module_utils.http.urls import canonical_url, normalize_base_url


def known(url, directory=None):
    """serverInfo's answer as a task of this run read it for ``url`` (a dict naming its deploymentType), else None."""
    path = _path(url, directory)
    if path is None:
        return None
    try:
        with open(path) as handle:
            info = json.load(handle)
    except (IOError, OSError, ValueError):
        return None
    return info if is_server_info(info) else None


def remember(url, info, directory=None):
    """Keep ``info`` for ``url``, unless it is not serverInfo's answer, or no_log masking changed it on its way back from a
    module (a password that also occurs in a version number, say)."""
    path = _path(url, directory, create=True)
    if path is None or not is_server_info(info) or MASK in json.dumps(info):
        return
    temporary = "%s.%d.tmp" % (path, os.getpid())
    with open(temporary, "w") as handle:
        json.dump(info, handle)
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
