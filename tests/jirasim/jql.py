"""A small JQL subset: clauses joined by AND/OR/NOT with parentheses, and ORDER BY.

Fields: project, key/issuekey/id, summary, description, text, labels, status, issuetype/type, priority,
assignee, reporter. Operators: =, !=, ~, !~, IN, NOT IN, IS [NOT] EMPTY. Values: quoted or bare words,
and currentUser().
"""

import re

from jirasim import rich_text

_TOKEN = re.compile(
    r"""\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<op>!=|!~|~|=|\(|\)|,)"""
    r"""|(?P<word>[\w.@*+\-]+(?:\(\))?)|(?P<bad>\S))""")
_TEXT_FIELDS = {"summary", "description", "text"}
_ALIASES = {"issuekey": "key", "type": "issuetype"}
FIELDS = {"project", "key", "id", "summary", "description", "text", "labels", "status", "issuetype", "priority",
          "assignee", "reporter"}
_ORDERABLE = {"key", "id", "created", "updated", "summary", "priority", "status", "project", "issuetype"}
_OPERATORS = "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'"


class JqlError(Exception):
    """A query Jira would reject; ``str(error)`` is the errorMessages entry."""


def _syntax(message, position):
    return JqlError("Error in the JQL Query: %s (line 1, character %d)" % (message, position + 1))


def tokenize(text):
    """The tokens of a query as (kind, value, position); quotes removed from strings."""
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        value, position = match.group(kind), match.start(kind)
        if kind == "bad":
            if value in "\"'":
                raise _syntax("The quoted string '%s' has not been completed." % text[position:], position)
            raise _syntax("The character '%s' is a reserved JQL character. You must enclose it in a string "
                          "or use the escape '\\u%04x' instead." % (value, ord(value)), position)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        tokens.append((kind, value, position))
    tokens.append(("eof", "EOF", len(text)))
    return tokens


class Parser:
    """Recursive descent over the tokens; builds a tree of tuples."""

    def __init__(self, text):
        self.tokens = tokenize(text)
        self.index = 0

    def peek_word(self):
        """The next token as an upper-case keyword ('' when it is not a bare word)."""
        kind, value, _pos = self.tokens[self.index]
        return value.upper() if kind == "word" else ""

    def take(self):
        """Consume one token."""
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self):
        """(tree or None, [(field, descending)])."""
        tree = None
        if self.tokens[self.index][0] != "eof" and self.peek_word() != "ORDER":
            tree = self.parse_or()
        order = self.parse_order()
        kind, value, position = self.tokens[self.index]
        if kind != "eof":
            raise _syntax("Expecting either 'OR' or 'AND' but got '%s'." % value, position)
        return tree, order

    def parse_or(self):
        """a OR b OR ..."""
        parts = [self.parse_and()]
        while self.peek_word() == "OR":
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def parse_and(self):
        """a AND b AND ..."""
        parts = [self.parse_atom()]
        while self.peek_word() == "AND":
            self.take()
            parts.append(self.parse_atom())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def parse_atom(self):
        """NOT atom | ( or ) | clause."""
        kind, value, position = self.tokens[self.index]
        if kind == "word" and value.upper() == "NOT":
            self.take()
            return ("not", self.parse_atom())
        if kind == "op" and value == "(":
            self.take()
            inner = self.parse_or()
            kind, value, position = self.take()
            if value != ")":
                raise _syntax("Expecting ')' but got '%s'." % value, position)
            return inner
        if kind not in ("word", "str"):
            raise _syntax("Expecting a field name but got '%s'." % value, position)
        self.take()
        return self.parse_clause(value, position)

    def parse_clause(self, field, position):
        """field operator value(s)."""
        name = _ALIASES.get(field.lower(), field.lower())
        if name not in FIELDS:
            raise JqlError("Field '%s' does not exist or you do not have permission to view it." % field)
        operator = self.parse_operator()
        if operator in ("in", "not in"):
            values = self.parse_list()
        elif operator in ("is", "is not"):
            values = [self.parse_value().lower()]
            if values[0] not in ("empty", "null"):
                raise _syntax("Expecting 'EMPTY' or 'NULL' but got '%s'." % values[0], position)
        else:
            values = [self.parse_value()]
        if operator in ("~", "!~") and name not in _TEXT_FIELDS:
            raise JqlError("The operator '%s' is not supported by the '%s' field." % (operator, field))
        if operator in ("=", "!=", "in", "not in") and name == "text":
            raise JqlError("The operator '%s' is not supported by the '%s' field." % (operator.upper(), field))
        return ("clause", name, operator, values)

    def parse_operator(self):
        """= != ~ !~ IN, NOT IN, IS, IS NOT."""
        kind, value, position = self.take()
        if kind == "op" and value in ("=", "!=", "~", "!~"):
            return value
        word = value.upper() if kind == "word" else ""
        if word == "IN":
            return "in"
        if word in ("NOT", "IS"):
            if self.peek_word() in ("IN", "NOT") and (word, self.peek_word()) in (("NOT", "IN"), ("IS", "NOT")):
                self.take()
                return "not in" if word == "NOT" else "is not"
            if word == "IS":
                return "is"
        raise _syntax("Expecting operator but got '%s'. The valid operators are %s." % (value, _OPERATORS), position)

    def parse_value(self):
        """One quoted or bare value."""
        kind, value, position = self.take()
        if kind not in ("word", "str"):
            raise _syntax("Expecting either a value, list or function but got '%s'." % value, position)
        return value

    def parse_list(self):
        """( value, value, ... )."""
        kind, value, position = self.take()
        if value != "(":
            raise _syntax("Expecting '(' but got '%s'." % value, position)
        values = [self.parse_value()]
        while True:
            kind, value, position = self.take()
            if kind == "op" and value == ")":
                return values
            if kind != "op" or value != ",":
                raise _syntax("Expecting ')' or ',' but got '%s'." % value, position)
            values.append(self.parse_value())

    def parse_order(self):
        """ORDER BY field [ASC|DESC], ..."""
        if self.peek_word() != "ORDER":
            return []
        self.take()
        kind, value, position = self.take()
        if value.upper() != "BY":
            raise _syntax("Expecting 'by' but got '%s'." % value, position)
        order = []
        while True:
            kind, value, position = self.take()
            name = _ALIASES.get(value.lower(), value.lower())
            if kind not in ("word", "str") or name not in _ORDERABLE:
                raise JqlError("Field '%s' does not exist or you do not have permission to view it." % value)
            descending = False
            if self.peek_word() in ("ASC", "DESC"):
                descending = self.take()[1].upper() == "DESC"
            order.append((name, descending))
            if self.tokens[self.index][1] != ",":
                return order
            self.take()


def parse(text):
    """Parse a query into (tree, order); raise JqlError."""
    return Parser(text or "").parse()


def field_values(issue, name, users):
    """The lower-case values of an issue's field as JQL compares them."""
    if name in ("assignee", "reporter"):
        user = users.get(getattr(issue, name))
        return [user.name.lower(), user.key.lower(), user.email.lower(), user.account_id.lower()] if user else []
    values = {
        "project": lambda: [issue.project.key.lower(), issue.project.name.lower(), issue.project.id],
        "key": lambda: [issue.key.lower(), issue.id],
        "id": lambda: [issue.id, issue.key.lower()],
        "summary": lambda: [issue.summary.lower()],
        "description": lambda: [(rich_text.to_text(issue.description) or "").lower()],
        # Jira's master text field: summary, description, environment and every comment.
        "text": lambda: [(text or "").lower() for text in
                         [issue.summary, rich_text.to_text(issue.description), rich_text.to_text(issue.environment)]
                         + [rich_text.to_text(each["body"]) for each in issue.comments]],
        "labels": lambda: [label.lower() for label in issue.labels],
        "status": lambda: [issue.status.lower()],
        "issuetype": lambda: [issue.issuetype.lower()],
        "priority": lambda: [issue.priority.lower()],
    }
    return values[name]()


def _clause_matches(node, issue, env):
    _kind, name, operator, values = node
    have = field_values(issue, name, env["users"])
    if operator in ("is", "is not"):
        return (not have) == (operator == "is")
    wanted = [env["current"] if value.lower() == "currentuser()" else value.lower() for value in values]
    if operator in ("~", "!~"):
        # summary ~ "\"exact phrase\"" is Jira's phrase search; a substring match is close enough here.
        needle = wanted[0].strip("*").strip('"')
        found = any(needle in value for value in have)
    else:
        found = any(value in have for value in wanted)
    return found if operator in ("=", "~", "in") else not found


def matches(tree, issue, env):
    """Evaluate a parsed tree against one issue."""
    if tree is None:
        return True
    kind = tree[0]
    if kind == "and":
        return all(matches(part, issue, env) for part in tree[1])
    if kind == "or":
        return any(matches(part, issue, env) for part in tree[1])
    if kind == "not":
        return not matches(tree[1], issue, env)
    return _clause_matches(tree, issue, env)


def clauses(tree):
    """Every clause of a tree (for validation)."""
    if tree is None:
        return []
    if tree[0] in ("and", "or"):
        return [clause for part in tree[1] for clause in clauses(part)]
    if tree[0] == "not":
        return clauses(tree[1])
    return [tree]


def sort_key(name, issue):
    """The value ORDER BY sorts on; keys sort by project, then number (TEST-2 before TEST-10)."""
    if name == "key":
        return (issue.project.key, issue.number)
    if name == "id":
        return int(issue.id)
    if name in ("created", "updated"):
        return getattr(issue, name)
    if name == "project":
        return issue.project.key
    return str(getattr(issue, name)).lower()
