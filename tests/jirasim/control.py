"""The control API under /_jirasim/: the only part of jirasim that is not Jira. No auth, not counted."""

import json
import time

from jirasim import faults, render, seed
from jirasim.responses import empty, json_response


def _bad(message):
    return json_response(400, {"error": message})


def _body(req):
    if not req.body.strip():
        return {}
    try:
        data = json.loads(req.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def stats(state, _data):
    """GET /_jirasim/stats."""
    data = state.stats.as_dict()
    data.update(state.logins.as_dict())
    data["faults_armed"] = len(state.faults)
    return json_response(200, data)


def reset(state, _data):
    """POST /_jirasim/reset: back to the seeded state."""
    state.reset()
    return json_response(200, {"reset": True})


def captcha_clear(state, data):
    """POST /_jirasim/captcha/clear {"user": name} (all users without a body)."""
    state.logins.clear(data.get("user"))
    return json_response(200, {"captcha_locked": sorted(state.logins.locked)})


def add_user(state, data):
    """POST /_jirasim/users: add or replace a user; the answer never echoes secrets."""
    name, password = data.get("name"), data.get("password")
    if not isinstance(name, str) or not name or ":" in name or not isinstance(password, str):
        return _bad("name (without ':') and password are required")
    unknown = [each for each in data.get("permissions") or [] if each not in seed.PERMISSIONS]
    if unknown:
        return _bad("unknown permissions: %s" % ", ".join(unknown))
    extra = {key: data[key] for key in ("email", "display_name", "pat", "account_id", "key") if data.get(key)}
    extra["cloud_token"] = data.get("token")
    if data.get("permissions") is not None:
        extra["permissions"] = data["permissions"]
    user = seed.User(name, password, **extra)
    state.users[name] = user
    state.logins.clear(name)
    return json_response(201, {"name": user.name, "key": user.key, "email": user.email, "accountId": user.account_id,
                               "permissions": sorted(user.permissions)})


def _user_dict(user):
    return {"name": user.name, "email": user.email, "account_id": user.account_id, "display_name": user.display_name,
            "credentials": [each.as_dict(render.jira_time) for each in user.credentials]}


def list_users(state, _data):
    """GET /_jirasim/users: every user with every credential, secrets included (that is what it is for), and the OAuth
    2.0 access tokens issued so far (so a leak scan can look for them)."""
    return json_response(200, {"users": [_user_dict(user) for user in state.users.values()],
                               "access_tokens": list(state.access_tokens)})


# The credential kinds each flavor knows.
_KINDS = {"server": ("password", "pat", "oauth_client"),
          "cloud": ("password", "api_token", "scoped_token", "service_account_token", "oauth_client")}


def _credential_spec(state, data):
    """(user, kind, scopes, expires_at) of a POST /_jirasim/credentials body, or a str saying what is wrong."""
    user, kind = state.users.get(data.get("user")), data.get("kind")
    if user is None:
        return "user must name a known user"
    if kind not in _KINDS[state.config.flavor]:
        return "kind must be one of %s on the %s flavor" % (", ".join(_KINDS[state.config.flavor]), state.config.flavor)
    if kind == "service_account_token" and not user.email.endswith(seed.SERVICE_ACCOUNT_DOMAIN):
        return "a service_account_token needs a user whose e-mail ends in %s" % seed.SERVICE_ACCOUNT_DOMAIN
    scopes = data.get("scopes")
    if scopes is not None and (not isinstance(scopes, list) or not all(isinstance(each, str) for each in scopes)):
        return "scopes must be a list of strings"
    if scopes is None and kind in seed.Credential.SCOPED and state.config.cloud:
        scopes = list(seed.CLASSIC_SCOPES)
    days = data.get("expires_in_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, (int, float))):
        return "expires_in_days must be a number (negative: already expired)"
    return user, kind, scopes, time.time() + days * seed.DAY if days is not None else None


def add_credential(state, data):
    """POST /_jirasim/credentials {"user", "kind", "scopes"?, "expires_in_days"?}: answers the new credential."""
    spec = _credential_spec(state, data)
    if isinstance(spec, str):
        return _bad(spec)
    user, kind, scopes, expires_at = spec
    credential = state.add_credential(user, kind, scopes=scopes, expires_at=expires_at)
    return json_response(201, credential.as_dict(render.jira_time))


def get_config(state, _data):
    """GET /_jirasim/config."""
    return json_response(200, state.config.as_dict())


def set_config(state, data):
    """POST /_jirasim/config: the settings of Config.FIELDS."""
    unknown = [key for key in data if key not in state.config.FIELDS]
    if unknown:
        return _bad("unknown settings: %s" % ", ".join(unknown))
    allow = data.get("basic_auth_allow", [])
    if not isinstance(allow, list) or not all(isinstance(each, str) for each in allow):
        return _bad("basic_auth_allow must be a list of user names")
    for key, value in data.items():
        if key == "rate_limit":
            state.set_rate_limit(int(value or 0))
        elif key == "basic_auth_disabled":
            state.config.basic_auth_disabled = bool(value)
        elif key == "basic_auth_allow":
            state.config.basic_auth_allow = tuple(value)
        else:
            setattr(state.config, key, int(value))
    return json_response(200, state.config.as_dict())


def add_fault(state, data):
    """POST /_jirasim/faults: arm a fault (faults.py checks the spec; a bad one is a 400); answers its id."""
    fault = faults.from_spec(data, state.fault_ids)
    state.faults.append(fault)
    return json_response(201, {"id": fault.id})


def list_faults(state, _data):
    """GET /_jirasim/faults."""
    return json_response(200, {"faults": [fault.as_dict() for fault in state.faults]})


def clear_faults(state, _data):
    """DELETE /_jirasim/faults."""
    state.faults.clear()
    return empty(204)


def health(state, _data):
    """GET /_jirasim/health: liveness for scripts that start jirasim."""
    return json_response(200, {"ok": True, "flavor": state.config.flavor})


_ROUTES = {
    ("GET", "/_jirasim/stats"): stats,
    ("POST", "/_jirasim/reset"): reset,
    ("POST", "/_jirasim/captcha/clear"): captcha_clear,
    ("POST", "/_jirasim/users"): add_user,
    ("GET", "/_jirasim/users"): list_users,
    ("POST", "/_jirasim/credentials"): add_credential,
    ("GET", "/_jirasim/config"): get_config,
    ("POST", "/_jirasim/config"): set_config,
    ("POST", "/_jirasim/faults"): add_fault,
    ("GET", "/_jirasim/faults"): list_faults,
    ("DELETE", "/_jirasim/faults"): clear_faults,
    ("GET", "/_jirasim/health"): health,
}


def handle(state, req):
    """Answer one control request."""
    path = req.path.rstrip("/")
    handler = _ROUTES.get((req.method, path))
    if handler is None:
        known = any(route_path == path for _method, route_path in _ROUTES)
        return json_response(405 if known else 404, {"error": "no control endpoint %s %s" % (req.method, path)})
    data = _body(req)
    if data is None:
        return _bad("the body must be a JSON object")
    try:
        with state.lock:
            return handler(state, data)
    except (TypeError, ValueError) as error:
        return _bad(str(error))
