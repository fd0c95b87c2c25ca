# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""jira_request's ``dest``: an answer written to a file the way Ansible's own modules write files.

Only a regular file (or a path to create) is accepted, checked before anything is sent. The file is replaced
atomically and only when its content or mode changes; an existing file keeps its mode, a new one follows the umask,
and ``mode`` sets it as for ansible.builtin.copy. A failed write leaves no temporary file behind.

An answer that holds a secret of the task in any form (``masking.contains_secret``: as sent, or in normal form) is
refused whole, before anything touches the disk: the task fails, an existing file keeps its content, no temporary
file is made. A masked copy is not written instead: a file that quietly differs from Jira's answer (a cut JSON
string, a changed key) would be taken for the answer.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import stat
import tempfile

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError, JiraError, ResponseError
from ansible_collections.jiraops.jira.plugins.module_utils.login.masking import contains_secret

_CHUNK = 1024 * 1024


def parse_mode(value):
    """The ``mode`` option as permission bits, or None: an octal string ('0640', '640') or a number."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        bits = value
    elif isinstance(value, str) and value.strip() and all(c in "01234567" for c in value.strip()):
        bits = int(value.strip(), 8)
    else:
        raise InputError("mode", "is not an octal mode such as '0640'", "Quote it in YAML ('0640'), so it stays octal.")
    if not 0 <= bits <= 0o7777:
        raise InputError("mode", "is beyond 07777", "Give permission bits such as '0640'.")
    return bits


def check_dest(path):
    """Refuse, before anything is sent, a dest that is not a regular file nor a file to create in an existing
    directory."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise InputError("dest", "is in a directory that does not exist (%s)" % directory,
                             "Create the directory first.")
        return
    except OSError as exc:
        raise InputError("dest", "cannot be examined (%s)" % exc.strerror, "Give a path the task can read and write.")
    if not stat.S_ISREG(found.st_mode):
        raise InputError("dest", "is not a regular file (a directory, a FIFO, a device or a socket)",
                         "Give the path of a file, or of a file to create.")


def write_if_different(path, data, mode=None, check_mode=False, forms=()):
    """Write ``data`` to ``path`` atomically; True when the file was (or, in check mode, would be) created or changed.
    ``data`` holding any of the secret ``forms`` (``masking.secret_forms``) is refused before anything is written."""
    if contains_secret(data, forms):
        raise ResponseError("Option 'dest': the answer contains the task's credentials in some form (something echoes "
                            "the request), so nothing was written to %s. Check what answers at url." % path,
                            dest=path, changed=False)
    current = _current_mode(path)
    wanted = mode if mode is not None else current
    if current is not None and wanted == current and _same_content(path, data):
        return False
    if check_mode:
        return True
    if wanted is None:
        wanted = 0o666 & ~_umask()
    directory = os.path.dirname(os.path.abspath(path))
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".jira_request.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, wanted)
        os.replace(temporary, path)
        temporary = None
    except (IOError, OSError) as exc:
        raise JiraError("Option 'dest': %s cannot be written (%s). Give a path in a directory that exists and is "
                        "writable." % (path, exc.strerror), dest=path)
    finally:
        if temporary is not None:  # any failure, an interruption included: no copy of the answer is left behind
            try:
                os.unlink(temporary)
            except OSError:
                pass
    return True


def _current_mode(path):
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def _same_content(path, data):
    """Whether the file holds exactly ``data``: sizes first, then SHA-256 read in chunks (never the whole file at
    once)."""
    try:
        if os.path.getsize(path) != len(data):
            return False
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
    except (IOError, OSError):
        return False
    return digest.digest() == hashlib.sha256(data).digest()


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
