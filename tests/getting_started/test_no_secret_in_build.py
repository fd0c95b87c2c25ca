# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A vault file or password left in the checkout is neither committed nor packed into the collection tarball.

The README keeps secrets outside the repository; these are the files its earlier walkthrough (and habit) put
inside: vault-pass.txt and vault.yml at the root, group_vars/, an ee/ build context with a tarball in it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys
import tarfile

from support import clean_environment, fresh_copy

MARKER = b"not-a-real-secret-7f3a9c"
LEFT_BEHIND = (
    "vault-pass.txt",                      # the old README walkthrough
    "vault.yml",                           # the old README walkthrough
    "vault-prod.yml",
    ".vault-pass",
    ".vault-pass-ci",
    "ci.pass",
    "plugins/modules/stray.pass",
    "group_vars/all/vault.yml",            # the README's layout, copied into the checkout by mistake
    "group_vars/all/vars.yml",
    "host_vars/jira/vault.yml",
    "ee/jiraops-jira-0.1.0.tar.gz",        # docs/execution-environment.md's build context
    "ee/execution-environment.yml",
    "context/_build/configs/vault.yml",
)
# Files of the collection whose names look like the ones above: they must still be committed and packed.
KEPT = (
    "plugins/modules/jira_auth_check.py",
    "playbooks/auth_health.yml",
    "tests/integration/targets/vault/tasks/vault.yml",
    "docs/examples/jira-project/group_vars/all/vars.yml",
    "docs/vault.md",
)


def _lay_down(root):
    for name in LEFT_BEHIND:
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"vault_jira_password: " + MARKER + b"\n")


def _ansible_galaxy():
    beside = os.path.join(os.path.dirname(sys.executable), "ansible-galaxy")
    return beside if os.access(beside, os.X_OK) else "ansible-galaxy"


def test_left_behind_secrets_are_not_in_the_tarball(tmp_path):
    root = fresh_copy(str(tmp_path / "clone"))
    _lay_down(root)
    out = tmp_path / "out"
    subprocess.run([_ansible_galaxy(), "collection", "build", "--output-path", str(out), root], check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=clean_environment())
    (tarball,) = list(out.iterdir())
    with tarfile.open(str(tarball)) as archive:
        members = dict((member.name, member) for member in archive.getmembers())
        leaked = [name for name,
                  member in members.items() if member.isfile() and MARKER in archive.extractfile(member).read()]
    assert leaked == [], "secret files packed into %s: %s" % (tarball.name, leaked)
    packed = sorted(name for name in LEFT_BEHIND if name in members)
    assert packed == [], "packed into %s: %s" % (tarball.name, packed)
    assert not [name for name in members if name.split("/")[0] in ("ee", "context", "group_vars", "host_vars")]
    missing = [name for name in KEPT if name not in members]
    assert missing == [], "build_ignore leaves out files of the collection: %s" % missing


def test_left_behind_secrets_are_ignored_by_git(tmp_path):
    root = fresh_copy(str(tmp_path / "clone"))
    _lay_down(root)
    subprocess.run(["git", "init", "-q", root], check=True)
    paths = list(LEFT_BEHIND) + list(KEPT)
    result = subprocess.run(["git", "check-ignore", "--no-index"] + paths, cwd=root, stdout=subprocess.PIPE,
                            check=False)
    ignored = set(result.stdout.decode("utf-8").split())
    assert sorted(set(LEFT_BEHIND) - ignored) == []
    assert sorted(set(KEPT) & ignored) == []
