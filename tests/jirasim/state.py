"""The mutable state of one jirasim instance: data, sessions, login counters, stats, faults."""

import collections
import copy
import itertools
import secrets
import threading
import time

from jirasim import seed

SESSION_LIMIT = 20000  # oldest sessions are forgotten, so cookie-less clients cannot grow memory forever
LOG_LIMIT = 500


class Config:
    """Runtime settings; the CLI sets the initial values, /_jirasim/config changes them."""

    FIELDS = ("captcha_after", "basic_auth_disabled", "basic_auth_allow", "rate_limit", "max_results_cap",
              "gzip_min_bytes", "oauth_token_lifetime")

    def __init__(self, flavor="server", captcha_after=3, basic_auth_disabled=False, rate_limit=0, max_results_cap=None,
                 basic_auth_allow=(), oauth_token_lifetime=3600):
        self.flavor = flavor
        self.captcha_after = captcha_after
        self.basic_auth_disabled = basic_auth_disabled
        # Users who may still use Basic when it is disabled (Data Center's allowlist).
        self.basic_auth_allow = tuple(basic_auth_allow or ())
        self.oauth_token_lifetime = oauth_token_lifetime
        self.rate_limit = rate_limit
        self.max_results_cap = max_results_cap or (100 if flavor == "cloud" else 1000)
        # Jira's "Use gzip compression": answers of at least this many bytes are gzipped for clients that
        # accept it (0 = never, the default, as on a fresh Jira Server).
        self.gzip_min_bytes = 0

    @property
    def cloud(self):
        """True for --flavor cloud."""
        return self.flavor == "cloud"

    def as_dict(self):
        """The settings as JSON-ready data."""
        data = {name: getattr(self, name) for name in self.FIELDS}
        data["basic_auth_allow"] = list(self.basic_auth_allow)
        data["flavor"] = self.flavor
        return data


class Session:
    """A JSESSIONID; ``user`` is set once a login succeeded on it."""

    def __init__(self, sid, short_id):
        self.sid = sid
        self.short_id = short_id
        self.user = None


class AccessToken:
    """An OAuth 2.0 access token issued for a client: whose, which scopes, until when, and where it is accepted."""

    __slots__ = ("user", "scopes", "expires_at", "origin")

    def __init__(self, user, scopes, lifetime, origin):
        self.user = user
        self.scopes = scopes
        self.expires_at = time.time() + lifetime
        self.origin = origin

    def expired(self):
        """True once its lifetime has passed."""
        return time.time() >= self.expires_at


class TokenBucket:
    """At most ``rate`` requests per second, with a burst of ``rate``."""

    def __init__(self, rate):
        self.rate = rate
        self.tokens = float(rate)
        self.stamp = time.monotonic()

    def take(self):
        """Return (allowed, seconds until the next token)."""
        now = time.monotonic()
        self.tokens = min(float(self.rate), self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True, 0.0
        return False, (1.0 - self.tokens) / self.rate


class Stats:
    """Request counters for /_jirasim/stats; never holds secrets or header values."""

    def __init__(self):
        self.requests = 0
        self.by_status = collections.Counter()
        self.by_route = collections.Counter()
        self.writes = 0
        self.issues_created = 0
        self.auth_headers_seen = 0
        self.faults_fired = 0
        self.rate_limited = 0
        self.logins_ok = 0
        self.log = collections.deque(maxlen=LOG_LIMIT)

    def as_dict(self):
        """The counters as JSON-ready data."""
        return {
            "requests": self.requests,
            "requests_by_status": {str(code): count for code, count in sorted(self.by_status.items())},
            "requests_by_route": dict(self.by_route),
            "writes": self.writes,
            "issues_created": self.issues_created,
            "auth_headers_seen": self.auth_headers_seen,
            "faults_fired": self.faults_fired,
            "rate_limited": self.rate_limited,
            "logins_ok": self.logins_ok,
            "log": list(self.log),
        }


class Logins:
    """Per-user login bookkeeping: consecutive/total failures, CAPTCHA locks, login times."""

    def __init__(self):
        self.failed = {}
        self.failed_total = {}
        self.locked = set()
        self.count = collections.Counter()
        self.last_failed = {}
        self.last_login = {}
        self.previous_login = {}

    def success(self, name):
        """A successful login resets the consecutive failure count."""
        self.failed[name] = 0
        self.count[name] += 1
        if name in self.last_login:
            self.previous_login[name] = self.last_login[name]
        self.last_login[name] = time.time()

    def failure(self, name, captcha_after):
        """Count a failed login; lock the user after ``captcha_after`` in a row (0 = never)."""
        self.failed[name] = self.failed.get(name, 0) + 1
        self.failed_total[name] = self.failed_total.get(name, 0) + 1
        self.last_failed[name] = time.time()
        if captcha_after and self.failed[name] >= captcha_after:
            self.locked.add(name)

    def clear(self, name=None):
        """Unlock (as if the CAPTCHA were solved) one user, or everyone."""
        names = [name] if name else list(self.locked | set(self.failed))
        for each in names:
            self.locked.discard(each)
            self.failed[each] = 0

    def as_dict(self):
        """Counters for the stats endpoint."""
        return {
            "failed_logins": {name: count for name, count in self.failed.items() if count},
            "failed_logins_total": dict(self.failed_total),
            "captcha_locked": sorted(self.locked),
        }


class State:
    """Everything one jirasim instance knows; guard every access with ``lock``."""

    def __init__(self, config, issue_count=25):
        self.lock = threading.RLock()
        self.initial_config = config
        self.issue_count = issue_count
        self.started = time.time()  # seeded credentials expire relative to this, across resets
        self.request_ids = itertools.count(1)
        self.reset()

    def reset(self):
        """Back to the seeded state (data, counters, locks, faults, config)."""
        self.config = copy.copy(self.initial_config)
        self.bucket = TokenBucket(self.config.rate_limit) if self.config.rate_limit else None
        self.users = seed.seed_users(self.config.cloud, self.started)
        self.access_tokens = collections.OrderedDict()  # token -> AccessToken; expired ones are kept (and answered)
        self.pat_ids = itertools.count(600000000001)
        self.projects = seed.seed_projects()
        self.issues = {}
        self.issue_ids = itertools.count(10000)
        self.comment_ids = itertools.count(10000)
        self.attachment_ids = itertools.count(10000)
        self.links = []  # {"id", "type", "inward": key, "outward": key}
        self.link_ids = itertools.count(10000)
        self.project_ids = itertools.count(10100)
        self.version_ids = itertools.count(10300)
        self.sessions = collections.OrderedDict()
        self.logins = Logins()
        self.stats = Stats()
        self.faults = []  # armed faults.Fault objects, first match wins
        self.fault_ids = itertools.count(1)
        self._seed_issues()

    def _seed_issues(self):
        for number in range(1, self.issue_count + 1):
            issue = self.add_issue(self.projects["TEST"], seed.seed_issue_fields(number))
            if number == 1:
                for index in range(5):
                    self.add_comment(issue, "fred" if index % 2 else "admin", "Seeded comment %d." % (index + 1),
                                     seed.SEED_EPOCH + 3600 + index * 60)
        for number in (1, 2):
            fields = seed.seed_issue_fields(number)
            fields["summary"] = "Private matter %d" % number
            self.add_issue(self.projects["PRIV"], fields)

    def set_rate_limit(self, rate):
        """Change the rate limit; a fresh bucket starts full."""
        self.config.rate_limit = rate
        self.bucket = TokenBucket(rate) if rate else None

    def add_issue(self, project, fields):
        """Create an issue with the next key of its project."""
        project.issue_seq += 1
        issue = seed.Issue(next(self.issue_ids), "%s-%d" % (project.key, project.issue_seq), project, fields)
        self.issues[issue.key] = issue
        return issue

    def add_comment(self, issue, author, body, when=None):
        """Append a comment to an issue."""
        when = when or time.time()
        comment = {"id": str(next(self.comment_ids)), "author": author, "body": body, "created": when, "updated": when,
                   "update_author": author}
        issue.comments.append(comment)
        issue.updated = max(issue.updated, when)
        return comment

    def add_attachment(self, issue, author, filename, data, mime):
        """Attach a file (its bytes kept as sent) to an issue."""
        entry = {"id": str(next(self.attachment_ids)), "filename": filename, "data": data, "mime": mime,
                 "author": author, "created": time.time()}
        issue.attachments.append(entry)
        return entry

    def find_attachment(self, aid):
        """(issue, attachment) by attachment id, or None."""
        for issue in self.issues.values():
            for entry in issue.attachments:
                if entry["id"] == aid:
                    return issue, entry
        return None

    def find_issue(self, key_or_id):
        """An issue by key (any case) or numeric id, or None."""
        issue = self.issues.get(key_or_id.upper())
        if issue is None and key_or_id.isdigit():
            issue = next((each for each in self.issues.values() if each.id == key_or_id), None)
        return issue

    def find_project(self, key_or_id):
        """A project by key (any case) or id, or None."""
        project = self.projects.get(key_or_id.upper())
        if project is None:
            project = next((each for each in self.projects.values() if each.id == key_or_id), None)
        return project

    def user_by_email(self, email):
        """Cloud logins use the e-mail address."""
        lowered = email.lower()
        return next((user for user in self.users.values() if user.email.lower() == lowered), None)

    def issue_access_token(self, user, scopes, origin):
        """A new OAuth 2.0 access token for ``user``; the oldest are forgotten past SESSION_LIMIT."""
        token = secrets.token_urlsafe(32)
        self.access_tokens[token] = AccessToken(user.name, scopes, self.config.oauth_token_lifetime, origin)
        if len(self.access_tokens) > SESSION_LIMIT:
            self.access_tokens.popitem(last=False)
        return token

    def add_credential(self, user, kind, scopes=None, expires_at=None, name=None):
        """Give ``user`` a new credential of ``kind`` with fresh secrets (a PAT gets the next id)."""
        extra = {"scopes": scopes, "expires_at": expires_at, "name": name}
        if kind == "pat":
            secret = seed.new_pat(next(self.pat_ids))
        elif kind in ("api_token", "scoped_token", "service_account_token"):
            secret = "ATATT3xFfGF0" + secrets.token_urlsafe(24)
        elif kind == "oauth_client":
            secret, extra["client_id"] = "ATOA" + secrets.token_urlsafe(32), secrets.token_hex(16)
        else:
            secret = secrets.token_urlsafe(12)
        credential = seed.Credential(kind, secret, **extra)
        user.credentials.append(credential)
        return credential

    def find_client(self, client_id):
        """(user, credential) of an OAuth 2.0 client id, or (None, None)."""
        for user in self.users.values():
            credential = user.client(client_id)
            if credential is not None:
                return user, credential
        return None, None

    def new_session(self):
        """Issue a new JSESSIONID, forgetting the oldest when there are too many."""
        session = Session(secrets.token_hex(16).upper(), "1" + secrets.token_hex(3)[:6])
        self.sessions[session.sid] = session
        if len(self.sessions) > SESSION_LIMIT:
            self.sessions.popitem(last=False)
        return session

    def next_request_id(self):
        """A DC-style request id: minute of day x request counter x 1."""
        now = time.gmtime()
        return "%dx%dx1" % (now.tm_hour * 60 + now.tm_min, next(self.request_ids))

    def take_fault(self, method, path, auth_kind, basic_user):
        """The first armed fault (see faults.py) matching the request, counted and disarmed once used up; or None."""
        for fault in self.faults:
            if fault.matches(method, path, auth_kind, basic_user):
                self.stats.faults_fired += 1
                if fault.fire():
                    self.faults.remove(fault)
                return fault
        return None

    def can(self, user, permission, project):
        """Whether ``user`` (None = anonymous) holds ``permission`` in ``project``."""
        if user is None:
            return permission == "BROWSE_PROJECTS" and project is not None and project.public
        return user.has(permission)

    def visible(self, user, project):
        """Whether the project (and so its issues) can be seen."""
        return self.can(user, "BROWSE_PROJECTS", project)
