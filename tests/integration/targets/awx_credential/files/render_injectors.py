# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a custom credential type's injectors the way AWX / Automation Controller does.

Reads one JSON object on stdin: {"inputs": path, "injectors": path, "credential": {input id: value}}.
Prints {"env": {...}, "extra_vars": {...}, "referenced": {env var: [names its template uses]}, "errors": [...]}.

As in AWX (CredentialType.inject_credential): the template namespace holds the credential's inputs, empty strings
left out and booleans kept; a boolean field the credential does not set is False; templates are rendered by
jinja2's ImmutableSandboxedEnvironment, where a name that is not in the namespace renders as an empty string.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys

import yaml
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment


def render(inputs, injectors, credential):
    fields = inputs.get("fields") or []
    errors = ["required input '%s' is missing" % name for name in inputs.get("required") or []
              if credential.get(name) in (None, "")]
    namespace = {"tower": {}}
    for name, value in credential.items():
        if isinstance(value, bool) or value:
            namespace[name] = value
    for field in fields:
        if field.get("type") == "boolean" and field["id"] not in credential:
            namespace[field["id"]] = False
    sandbox = ImmutableSandboxedEnvironment()
    result = {"env": {}, "extra_vars": {}, "referenced": {}, "errors": errors}
    for section in ("env", "extra_vars"):
        for name, template in (injectors.get(section) or {}).items():
            result[section][name] = sandbox.from_string(template).render(**namespace)
            result["referenced"][name] = sorted(meta.find_undeclared_variables(sandbox.parse(template)))
    return result


def main():
    request = json.load(sys.stdin)
    with open(request["inputs"], encoding="utf-8") as stream:
        inputs = yaml.safe_load(stream)
    with open(request["injectors"], encoding="utf-8") as stream:
        injectors = yaml.safe_load(stream)
    json.dump(render(inputs, injectors, request.get("credential") or {}), sys.stdout)


if __name__ == "__main__":
    main()
