# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the get-pip bootstrap script that `ansible-test --venv` downloads.

ansible-test fetches get-pip.py from ci-files.testing.ansible.com, which this project's machines
cannot reach (only package registries are). ansible-test first looks in its cache, so `make test`
puts this file there. It does what get-pip does: puts pip into the running (empty) virtual
environment, from the wheel that ships with Python (ensurepip), then installs the packages
ansible-test asked for (its pinned pip, setuptools, wheel) from the package index.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ensurepip
import os
import subprocess
import sys

GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")
SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def main():
    ensurepip.bootstrap(upgrade=True)
    arguments = [argument for argument in sys.argv[1:] if argument not in GET_PIP_ONLY_OPTIONS]
    # ansible-test hides pip's configuration (PIP_CONFIG_FILE=/dev/null), so a CA bundle configured for this
    # machine is not seen; pass the system bundle to this first install. The pip it installs (24.2+) trusts
    # the system certificate store by itself.
    if os.path.exists(SYSTEM_CA_BUNDLE):
        arguments = ["--cert", SYSTEM_CA_BUNDLE] + arguments
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet"] + arguments)


if __name__ == "__main__":
    main()
