"""Rich text fields (description, environment, comment body) as each flavor and API version carries them.

Jira Cloud REST v3 reads and writes them as Atlassian Document Format (ADF); REST v2 (Cloud and Data Center)
as strings. jirasim keeps what the client sent (a string or an ADF document) and converts on the way out.
"""

ADF_ERROR = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"


def is_adf(value):
    """Whether ``value`` is an ADF document (the top node of every ADF value)."""
    return isinstance(value, dict) and value.get("type") == "doc"


def to_text(value):
    """Plain text of a stored value: a string as is, an ADF document with paragraphs split by blank lines."""
    if value is None or isinstance(value, str):
        return value
    return "\n\n".join(_inline_text(block) for block in value.get("content") or [])


def _inline_text(node):
    if not isinstance(node, dict):
        return ""
    if node.get("type") == "text":
        return str(node.get("text", ""))
    if node.get("type") == "hardBreak":
        return "\n"
    return "".join(_inline_text(each) for each in node.get("content") or [])


def to_adf(text):
    """The ADF document Cloud serves for a string: a paragraph per block, line breaks as hardBreak nodes."""
    blocks = [block for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return {"type": "doc", "version": 1, "content": [_paragraph(block.strip("\n")) for block in blocks]}


def _paragraph(block):
    inline = []
    for number, line in enumerate(block.split("\n")):
        if number:
            inline.append({"type": "hardBreak"})
        if line:
            inline.append({"type": "text", "text": line})
    return {"type": "paragraph", "content": inline}


def speaks_adf(ctx):
    """Cloud REST v3 is the only API that carries ADF."""
    return ctx.cloud and ctx.version == "3"


def rendered(ctx, value):
    """A stored value as this request's API shows it."""
    if value is None:
        return None
    if speaks_adf(ctx):
        return value if is_adf(value) else to_adf(value)
    return to_text(value)


def parsed(ctx, value):
    """An incoming value to store; ValueError in Jira's words when the API does not take its shape."""
    if value is None:
        return None
    if speaks_adf(ctx):
        if not is_adf(value) or not isinstance(value.get("content"), list):
            raise ValueError(ADF_ERROR)
        return value
    if is_adf(value):
        return to_text(value)  # jirasim is lenient here; Cloud v2 takes wiki markup strings
    return str(value)
