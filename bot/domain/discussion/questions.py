"""A suggested open question for a criterion, built from its command verb.

"Explain how to ..." -> "Can you explain how to ...?"; "Describe ..." -> "Talk me through ...";
"Identify the features of ..." -> "What are the features of ...?"; a competence criterion
("Use appropriate language ...", SVQ "agree expectations ...") -> "Tell me about a time you had to ...".
The criterion's own wording is never changed; this is only a prompt for the assessor.
"""
from __future__ import annotations

import re

WH = ("how", "why", "when", "where", "what", "which", "who", "whether")
# verb -> template; {rest} is the criterion after the verb, in the learner's voice
TEMPLATES = {
    "explain": "Can you explain {rest}?",
    "describe": "Talk me through {rest}.",
    "outline": "Can you outline {rest}?",
    "summarise": "Can you summarise {rest}?",
    "summarize": "Can you summarise {rest}?",
    "define": "How would you define {rest}?",
    "compare": "How would you compare {rest}?",
    "analyse": "How would you analyse {rest}?",
    "analyze": "How would you analyse {rest}?",
    "evaluate": "How would you evaluate {rest}?",
    "assess": "How would you assess {rest}?",
    "review": "How would you review {rest}?",
    "discuss": "Let's discuss {rest}. What can you tell me?",
    "give": "Can you give {rest}?",
    "justify": "How would you justify {rest}?",
    "clarify": "Can you clarify {rest}?",
}
WHAT_VERBS = ("identify", "list", "state", "name", "recognise", "recognize", "specify")
_VOICE = [(r"\bthe learner's\b", "your"), (r"\bthe learner\b", "you")]
_LEARNERS = [(r"\btheir own\b", "your own"), (r"\btheir\b", "your"), (r"\bthemselves\b", "yourself")]
# "their" is the learner's until someone else is named ("adapt their response" -> "your response"; but
# "how customers perceive their experience" keeps "their": it is the customers')
_OTHERS = re.compile(r"\b(?:customers?|colleagues?|people|others|they|them|clients?|stakeholders?|individuals?|"
                     r"users?|members?|staff|managers?|teams?|organisations?|businesses?)\b", re.I)


def _voice(text: str) -> str:
    m = _OTHERS.search(text)
    head, tail = (text[: m.start()], text[m.start():]) if m else (text, "")
    for pattern, repl in _LEARNERS:
        head = re.sub(pattern, repl, head, flags=re.IGNORECASE)
    text = head + tail
    for pattern, repl in _VOICE:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    return text


def _plural_head(rest: str) -> bool:
    """Is the noun phrase that starts `rest` plural? ("the features of X" -> yes)."""
    words = re.split(r"\s+", rest)
    head = []
    for w in words:
        if w.lower() in ("of", "that", "to", "for", "in", "on", "when", "which", "used", "and", "with", "within", "required"):
            break
        head.append(w)
    last = re.sub(r"[^a-z]", "", head[-1].lower()) if head else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "'s"))


def suggest(criterion_text: str, kind: str = "ac") -> str:
    text = re.sub(r"\s+", " ", criterion_text).strip().rstrip(".;:")
    if not text:
        return ""
    verb, _, rest = text.partition(" ")
    key = verb.lower().strip(",")
    rest = _voice(rest)
    if kind == "ku" or key in WH or key in ("the", "a", "an"):
        body = _voice(text)
        body = body[0].lower() + body[1:]
        return f"Can you tell me {body}?" if key in WH else f"Can you explain {body}?"
    if key in TEMPLATES and rest:
        return TEMPLATES[key].format(rest=rest)
    if key in WHAT_VERBS and rest:
        first = rest.split(" ", 1)[0].lower()
        if first in WH:
            return f"Can you tell me {rest}?"
        return f"What {'are' if _plural_head(rest) else 'is'} {rest}?"
    # a competence criterion: ask for an example from work
    body = _voice(text)
    return f"Tell me about a time you had to {body[0].lower() + body[1:]}."
