# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared by the getting-started tests: a fresh copy of the repository, as a clone would have it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import socket
import subprocess

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fresh_copy(dest):
    """Copy what git tracks (or would track) into ``dest``: no venv, no build, no local leftovers."""
    listing = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO_ROOT,
                             stdout=subprocess.PIPE,
                             check=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listing):
        source = os.path.join(REPO_ROOT, name)
        if not os.path.isfile(source) or os.path.islink(source):
            continue  # deleted in the work tree but not yet in the index, or a venv symlink
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target)
    return dest


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment(**extra):
    """The caller's environment without ANSIBLE_*/JIRA_* settings that would change what a user would see."""
    env = dict((k, v) for k, v in os.environ.items()
               if not (k.startswith("ANSIBLE_") or k.startswith("JIRA_") or k.startswith("JIRAOPS_")
                       or k == "PYTHONPATH"))
    env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false")
    env.update(extra)
    return env
