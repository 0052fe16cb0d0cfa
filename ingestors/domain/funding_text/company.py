"""The company a funding sentence is about."""

from __future__ import annotations

import re

from ingestors.domain.funding_text.text import _CONNECTORS, _STOP, _TOKEN, _name_like, fold
from ingestors.domain.funding_text.vocabulary import _DESCRIPTOR_SUFFIX, _ROUND_CUE, _SUBJECT_VERB


def _strip_descriptors(tokens: list[str]) -> list[str]:
    """Drop leading descriptors ("Brazilian fintech", "São Paulo's", "Bogotá-based") from a name run."""
    for i in range(len(tokens) - 1, -1, -1):
        if re.search(r"['’]s$", tokens[i]) or tokens[i].endswith("-based"):
            tokens = tokens[i + 1:]
            break
    while tokens and (fold(tokens[0]) in _STOP or _DESCRIPTOR_SUFFIX.search(fold(tokens[0]))):
        tokens = tokens[1:]
    while tokens and fold(tokens[-1]) in _CONNECTORS:
        tokens = tokens[:-1]
    return tokens


def _name_runs(text: str, offset: int = 0) -> list[tuple[str, int]]:
    """Runs of capitalised words in ``text`` (descriptors dropped), with where each starts."""
    runs: list[list[re.Match]] = []
    tokens = list(_TOKEN.finditer(text))
    for i, tok in enumerate(tokens):
        joined = runs and text[runs[-1][-1].end():tok.start()] == " "
        if _name_like(tok[0]):
            if joined and (runs[-1][-1] is tokens[i - 1]):
                runs[-1].append(tok)
            else:
                runs.append([tok])
        elif (joined and fold(tok[0]) in _CONNECTORS - {"y"} and i + 1 < len(tokens)
              and _name_like(tokens[i + 1][0]) and runs[-1][-1] is tokens[i - 1]):
            runs[-1].append(tok)
    out = []
    for run in runs:
        words = _strip_descriptors([t[0] for t in run])
        if words:
            out.append((" ".join(words), offset + run[0].start()))
    return out


def _only_name(head: str) -> str | None:
    """``head`` when it is nothing but a name after descriptors: "A Kash" -> "Kash"."""
    words = [t[0] for t in _TOKEN.finditer(head)]
    while words and not _name_like(words[0]) and fold(words[0]) in _STOP:
        words = words[1:]
    words = _strip_descriptors(words)
    if words and all(_name_like(w) or fold(w) in _CONNECTORS for w in words) and head.strip().endswith(words[-1]):
        return " ".join(words)
    return None


def find_company(masked: str) -> str | None:
    """The company a funding sentence is about, from the sentence with amounts, investor lists and round
    types blanked: the subject before the first verb (past an appositive "X, a Mexican fintech, raised"),
    else the first name after it ("Con esta ronda ..., la colombiana Saludia suma ...")."""
    folded = fold(masked)
    anchor = _SUBJECT_VERB.search(folded) or _ROUND_CUE.search(folded)
    cut = anchor.start() if anchor else len(masked)
    prefix = masked[:cut]
    head, comma, _ = prefix.partition(",")
    if comma and (name := _only_name(head)):
        return name
    runs = _name_runs(prefix)
    if runs:
        return runs[-1][0]
    after = _name_runs(masked[cut:], cut)
    return after[0][0] if after else None
