# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """The connection options shared by every module of jiraops.jira."""

    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of Jira, for example V(https://jira.example.com) or V(https://jira.example.com/jira) when Jira runs
        under a context path.
      - Must start with V(http://) or V(https://). A user name or password inside the URL is refused; use O(username)
        and O(password).
      - If not set, the value of the E(JIRA_URL) environment variable is used.
    type: str
    required: true
    version_added: 0.1.0
  username:
    description:
      - The Jira login name for HTTP Basic authentication. On Jira Cloud, the Atlassian account e-mail.
      - Must not contain V(:). Leave O(username), O(password) and O(token) out to call Jira as the anonymous user.
      - If not set, the value of the E(JIRA_USERNAME) environment variable is used.
    type: str
    aliases: [user]
    version_added: 0.1.0
  password:
    description:
      - The password for O(username). On Jira Cloud, an API token (Cloud refuses account passwords).
      - Sent pre-emptively in a C(Authorization) header of the Basic scheme, encoded as UTF-8; it may contain V(:) and
        non-ASCII characters.
      - Never shown in output; the Basic header derived from it is masked as well.
      - If not set, the value of the E(JIRA_PASSWORD) environment variable is used, then E(JIRA_API_TOKEN).
      - An empty password is refused before anything is sent (Jira would count it as a failed login); it is most often a
        variable that rendered empty.
    type: str
    aliases: [api_token]
    version_added: 0.1.0
  token:
    description:
      - A Jira Data Center personal access token, sent in a C(Authorization) header of the Bearer scheme (on Jira Cloud,
        a service account's token, with O(api_route=gateway)).
      - Mutually exclusive with O(username) and O(password).
      - If not set, the value of the E(JIRA_TOKEN) environment variable is used.
      - An empty token is refused before anything is sent (the call would go out anonymously).
    type: str
    version_added: 0.1.0
  client_id:
    description:
      - The client id of OAuth 2.0 client credentials, with O(client_secret). Jira Cloud issues them to service
        accounts; Jira Data Center 10 and newer to incoming application links.
      - The collection trades them for a short-lived access token at the token endpoint (O(oauth_token_url)), once per
        task, keeps the token in memory only, renews it before it expires, and sends it in a C(Authorization) header of
        the Bearer scheme. On Jira Cloud the calls go through Atlassian's gateway (see O(api_route)).
      - Mutually exclusive with O(username), O(password) and O(token).
      - If not set, the value of the E(JIRA_CLIENT_ID) environment variable is used.
    type: str
    version_added: 0.3.0
  client_secret:
    description:
      - The client secret of O(client_id). Never shown in output, nor is any access token it brings.
      - If not set, the value of the E(JIRA_CLIENT_SECRET) environment variable is used.
    type: str
    version_added: 0.3.0
  oauth_token_url:
    description:
      - The OAuth 2.0 token endpoint for O(client_id). By default V(https://auth.atlassian.com/oauth/token) on Jira
        Cloud (with the audience V(api.atlassian.com)) and O(url) followed by C(/rest/oauth2/latest/token) on Data
        Center.
      - If not set, the value of the E(JIRA_OAUTH_TOKEN_URL) environment variable is used.
    type: str
    version_added: 0.3.0
  api_route:
    description:
      - Which door of Jira Cloud the credentials go through. V(site) is O(url) itself; V(gateway) is Atlassian's gateway
        O(gateway_url)C(/ex/jira/<cloudId>), the only one that takes scoped API tokens, service accounts' tokens and
        OAuth 2.0 access tokens (each door refuses the other's credentials with a 401).
      - V(auto) takes the gateway when O(cloud_id) is set, when O(username) is a service account's e-mail (it ends in
        C(@serviceaccount.atlassian.com)), or with O(client_id) on Jira Cloud; otherwise the site. A person's API token
        created with scopes cannot be told from a classic one (Atlassian says so), so set V(gateway) for it.
      - The cloudId, when O(cloud_id) is not set, is read from the site's C(/_edge/tenant_info) without credentials,
        once per run and O(url). The credentials are then sent to the gateway only.
      - If not set, the value of the E(JIRA_API_ROUTE) environment variable is used.
    type: str
    choices: [auto, site, gateway]
    default: auto
    version_added: 0.3.0
  cloud_id:
    description:
      - The cloudId of the Jira Cloud site (a UUID), for the gateway route (O(api_route)). Setting it chooses the
        gateway and saves the read of C(/_edge/tenant_info).
      - If not set, the value of the E(JIRA_CLOUD_ID) environment variable is used.
    type: str
    version_added: 0.3.0
  gateway_url:
    description:
      - The base of Atlassian's API gateway, for the gateway route (O(api_route)). Change it only for a proxy in front
        of it or a test double.
      - If not set, the value of the E(JIRA_GATEWAY_URL) environment variable is used.
    type: str
    default: https://api.atlassian.com
    version_added: 0.3.0
  validate_certs:
    description:
      - Whether to verify Jira's TLS certificate. Turn off only for tests; prefer O(ca_path).
      - If not set, the value of the E(JIRA_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
    version_added: 0.1.0
  ca_path:
    description:
      - A CA bundle (PEM file), or a directory of CA certificates prepared with C(c_rehash), to verify Jira's
        certificate with, instead of the system's. An C(https://) proxy's certificate is verified the same way.
      - If not set, the value of the E(JIRA_CA_PATH) environment variable is used.
      - Without O(ca_path), certificates are checked against the system's CA store as OpenSSL finds it (not the
        C(certifi) bundle that comes with requests, since corporate CAs are added to the system store); E(SSL_CERT_FILE)
        and E(SSL_CERT_DIR), where the task runs (also when set with the task's C(environment)), replace the system's
        default file and directory, on both execution paths. E(REQUESTS_CA_BUNDLE) and E(CURL_CA_BUNDLE) are ignored on
        both paths; use O(ca_path) or E(JIRA_CA_PATH).
    type: path
    version_added: 0.1.0
  client_cert:
    description:
      - A PEM client certificate for mutual TLS; it may hold the private key too.
    type: path
    version_added: 0.1.0
  client_key:
    description:
      - The PEM private key of O(client_cert), when it is a separate file.
    type: path
    version_added: 0.1.0
  use_proxy:
    description:
      - Whether to use the proxy set in the environment where the task runs (E(HTTPS_PROXY), E(HTTP_PROXY),
        E(ALL_PROXY), E(NO_PROXY), in either case; also from the task's C(environment)), read as the Python library
        requests reads them. HTTPS goes through a C(CONNECT) tunnel.
      - C(http://), C(https://) and C(socks5://) (or C(socks5h://), C(socks4://)) proxies are supported; a SOCKS proxy
        needs the Python package C(PySocks) where the task runs. Credentials in the proxy URL are sent to the proxy
        only, and masked in output.
      - E(NO_PROXY) takes host names, domains, IP addresses (IPv6 with or without brackets, for example V(::1)) and
        networks (V(10.0.0.0/8)); V(*) turns the proxy off.
    type: bool
    default: true
    version_added: 0.1.0
  timeout:
    description:
      - A deadline, in seconds, for each exchange with Jira as a whole - connecting, sending the request, and reading
        the status, headers and the whole body - however slowly the answer trickles in. A call that misses it fails and
        says so, with the seconds.
      - Each retry (see O(retries)) and each redirect followed is an exchange with its own deadline.
      - If not set, the value of the E(JIRA_TIMEOUT) environment variable is used.
      - A finite number above 0; any other value (0, negative, V(nan), V(inf)) fails the task before anything is sent.
    type: float
    default: 10
    version_added: 0.1.0
  retries:
    description:
      - How many times one call is sent again after a 429 or 503 answer (honouring C(Retry-After), in seconds or as an
        HTTP date), or after a broken connection for methods that are safe to repeat.
      - A call that is not safe to repeat (a create, an upload, a transition, a comment) is sent once and never again,
        not on 429 or 503 either; when its fate is unknown the task fails with RV(request_may_have_reached_jira=true).
        An answer that carries Jira's rejection of the login (a 401, Seraph's C(AUTHENTICATED_FAILED)) is never sent
        again nor followed (each failed login brings a CAPTCHA lock closer).
      - Until Jira has proven the credentials in this run (see O(circuit_breaker)), a call that carried them and may
        have reached Jira without a verdict (a timeout or reset after sending, a 5xx, a 429 without Jira's login
        headers) is not sent again either, and the task fails with RV(login_state=unknown). A connection that never
        stood is retried.
      - One call therefore takes at most (O(retries) + 1) x O(timeout) plus O(retries) waits of at most
        O(max_retry_wait) each; the message of a call that failed says how many attempts were made over how many
        seconds.
      - A whole number, 0 or more (V(0) never retries); a negative value fails the task before anything is sent.
    type: int
    default: 3
    version_added: 0.1.0
  max_retry_wait:
    description:
      - The longest wait, in seconds, before one retry. When Jira asks for a longer wait the call fails instead.
      - A finite number, 0 or more; any other value fails the task before anything is sent.
    type: float
    default: 60
    version_added: 0.1.0
  max_response_bytes:
    description:
      - The largest answer body read, in bytes. A larger one fails the task instead of filling memory.
      - The lookups of M(jiraops.jira.jira_comment) (the issue's comments, page by page) read at most this many bytes in
        all.
      - A whole number above 0; any other value fails the task before anything is sent.
    type: int
    default: 67108864
    version_added: 0.1.0
  circuit_breaker:
    description:
      - When Jira rejects credentials (wrong credentials or CAPTCHA), later tasks of the same C(ansible) or
        C(ansible-playbook) run, on every host and fork, that use the same url, identity and secret fail at once without
        sending them again. One wrong password on many hosts then costs one failed login instead of a CAPTCHA lock.
      - Credentials not yet accepted in the run are tried by one task at a time. A corrected password is tried normally.
      - Credentials are accepted only on Jira's proof (C(X-Seraph-LoginReason) V(OK) with C(X-AUSERNAME), Cloud's
        C(x-aaccountid), or C(/myself) naming the user). When a task sent unproven credentials and got no verdict (a
        timeout or reset after sending, a 5xx, an HTML or non-Jira page), later tasks with them fail at once too, so a
        wrong password costs at most one failed login per run.
      - One entry per account, whatever the spelling of O(url) (case, default port, trailing slashes, IPv4 forms) or the
        case of O(username).
      - Nothing reversible is stored. Entries are keyed by an HMAC under a random key that lives only for the run.
    type: bool
    default: true
    version_added: 0.1.0
  deployment:
    description:
      - Which Jira the task talks to. It decides the endpoint of the searches the collection sends on its own
        (for example O(jiraops.jira.jira_request#module:guard_jql)), because Jira Cloud removed C(/rest/api/2/search)
        and C(/rest/api/3/search) (they answer 410 Gone), and Jira Data Center has no C(/rest/api/3/search/jql).
      - V(cloud) searches with C(GET /rest/api/3/search/jql) (paged with C(nextPageToken)); V(server) (Jira Server and
        Data Center) with C(GET /rest/api/2/search).
      - V(auto) reads C(deploymentType) from C(GET /rest/api/2/serverInfo) only when the task is about to search; a task
        that does not search sends no extra request. The answer is kept for the rest of the run (on the controller; a
        module on a managed node gets it from there and returns what it read), so it is read once per run and O(url).
        Set V(cloud) or V(server) to save that request.
      - If not set, the value of the E(JIRA_DEPLOYMENT) environment variable is used.
    type: str
    choices: [auto, server, cloud]
    default: auto
    version_added: 0.2.0
notes:
  - An environment variable that is set but empty counts as unset, so a credential injector may export every variable it
    knows.
  - Credentials set on the task win over the environment. A task that sets O(token) ignores E(JIRA_USERNAME) and
    E(JIRA_PASSWORD); a task that sets O(username) or O(password) ignores E(JIRA_TOKEN) and takes the other half from
    the environment; a task that sets none of them uses E(JIRA_TOKEN) if set, else E(JIRA_CLIENT_ID) with
    E(JIRA_CLIENT_SECRET), else E(JIRA_USERNAME) with E(JIRA_PASSWORD) (or E(JIRA_API_TOKEN)).
  - Credentials are sent pre-emptively on every request; Jira never sends a Basic challenge and serves
    requests without credentials as the anonymous user.
  - When the task runs on the controller (implicit localhost, C(connection=local) or C(delegate_to=localhost), without
    C(become)), an action plugin runs the module's logic in the controller process, which is much faster; otherwise the
    module runs on the target. Set the variable C(jiraops_jira_execution=module) to force the module path. Both give the
    same result.
  - The modules need the Python package C(requests) where they run (on the controller path, in the controller's Python);
    without it a task fails with the package's name and how to install it. TLS certificates are checked against the
    system's CA store (E(SSL_CERT_FILE) and E(SSL_CERT_DIR) are honoured) or O(ca_path). C(~/.netrc) is never read, and
    no cookie is kept from one call to the next.
  - Jira Cloud and Jira Data Center differ. Cloud takes an Atlassian account e-mail as O(username) and an API token as
    O(password); Data Center takes a password or a personal access token (O(token)). Cloud has no C(/rest/api/2/search)
    any more (use C(/rest/api/3/search/jql), and C(POST /rest/api/3/search/approximate-count) for a total); Data Center
    has no REST v3 at all. On Cloud, REST v3 carries descriptions and comment bodies as Atlassian Document Format, REST
    v2 as strings.
  - Answers are asked for gzip-compressed (header C(Accept-Encoding) C(gzip)), which Jira does when its gzip compression
    is on; O(max_response_bytes) applies to the decompressed size.
"""
