# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one ansible(-playbook) run keeps on the controller for all its forks: a random key and private directories
in the run's own local temp directory (removed with it at the end of the run).

Files are named by an HMAC under the key, which exists only in the memory of this run: nothing on disk can be turned
back into what it names (a secret, a JQL guard). The key is made when this file is imported, which Ansible's strategy
does in the main process (through the action plugins) before it forks workers, so every fork of one run shares it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import fcntl
import hashlib
import hmac
import json
import os

from ansible import constants as C

_RUN_KEY = os.urandom(32)


def name_for(parts):
    """The file name of ``parts`` (a list of JSON values) for this run."""
    return hmac.new(_RUN_KEY, json.dumps(parts).encode("utf-8"), hashlib.sha256).hexdigest()


def directory(name):
    """The run's private directory ``name`` (0700), made on first use."""
    path = os.path.join(C.DEFAULT_LOCAL_TMP, name)
    if not os.path.isdir(path):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass  # another fork made it first
    return path


@contextlib.contextmanager
def exclusive(path):
    """Hold an exclusive lock on ``path`` (made 0600, empty) across every fork of the run. The kernel releases it
    when the holder ends in any way, killed included."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
