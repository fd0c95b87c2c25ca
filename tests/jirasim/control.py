"""The control API under /_jirasim/: the only part of jirasim that is not Jira. No auth, not counted."""

import json

from jirasim import faults, seed
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


def get_config(state, _data):
    """GET /_jirasim/config."""
    return json_response(200, state.config.as_dict())


def set_config(state, data):
    """POST /_jirasim/config: captcha_after, basic_auth_disabled, rate_limit, max_results_cap, gzip_min_bytes."""
    unknown = [key for key in data if key not in state.config.FIELDS]
    if unknown:
        return _bad("unknown settings: %s" % ", ".join(unknown))
    for key, value in data.items():
        if key == "rate_limit":
            state.set_rate_limit(int(value or 0))
        elif key == "basic_auth_disabled":
            state.config.basic_auth_disabled = bool(value)
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
