"""Round types as written in the three languages ("Série A", "ronda semilla", "venture debt"), made canonical."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestors.domain.funding_text.text import fold

# (canonical, pattern over folded text); the letter of a series must be a capital in the original text.
_ROUND_TYPES = (
    ("pre_series_a", re.compile(r"\bpre[- ]?seri(?:es|e) a\b")),
    ("pre_seed", re.compile(r"\bpre[- ]?(?:seed|semilla|semente)\b|\bpresemilla\b|\bpreseed\b")),
    ("series", re.compile(r"\bseri(?:es|e)[- ]([a-h])(?:\d|\+)?(?![\w])|\b(?:ronda|rodada) ([a-h])(?![\w])")),
    ("seed", re.compile(r"\bseed\b|\bsemilla\b|\bsemente\b")),
    ("angel", re.compile(r"\bangel round\b|\bronda (?:de )?angel(?:es)?\b|\brodada anjo\b|\binvestimento-anjo\b"
                         r"|(?<!investidores-)(?<!investidores )(?<!investidor-)(?<!investidor )\banjo\b")),
    ("bridge", re.compile(r"\bbridge\b|\b(?:ronda|rodada) (?:puente|ponte)\b|\bponte\b|\bpuente\b")),
    ("growth", re.compile(r"\bgrowth (?:round|equity|funding|financing|capital|investment)\b|\blate-stage\b"
                          r"|\b(?:ronda|rodada) (?:de )?(?:crecimiento|crescimento|growth)\b")),
    ("debt", re.compile(r"\bventure debt\b|\bdebt\b|\bcredit (?:facility|line)\b|\bline of credit\b|\bloan\b"
                        r"|\bdeuda\b|\blinea de credito\b|\bprestamo\b|\bdivida\b|\blinha de credito\b"
                        r"|\bemprestimo\b|\bfidc\b|\bwarehouse (?:facility|line)\b|\bfinanciamento\b")),
    ("strategic", re.compile(r"\bstrategic investment\b|\binversion estrategica\b|\binvestimento estrategico\b"
                             r"|\baporte estrategico\b")),
    ("convertible", re.compile(r"\bconvertible note\b|\bnota convertible\b|\bmutuo conversivel\b")),
)


@dataclass(frozen=True)
class _RoundType:
    canonical: str
    text: str
    start: int
    end: int


def round_types(sentence: str) -> list[_RoundType]:
    """Every round type ``sentence`` names, in order of appearance."""
    folded = fold(sentence)
    found = []
    for canonical, pattern in _ROUND_TYPES:
        for m in pattern.finditer(folded):
            if canonical == "series":
                letter_at = m.start(1) if m[1] else m.start(2)
                if not sentence[letter_at].isupper():
                    continue
                found.append(_RoundType(f"series_{folded[letter_at]}", sentence[m.start():m.end()], m.start(), m.end()))
            else:
                found.append(_RoundType(canonical, sentence[m.start():m.end()], m.start(), m.end()))
    found.sort(key=lambda t: t.start)
    return [t for i, t in enumerate(found) if not any(o.start <= t.start < o.end for o in found[:i])]


def canonical_round_type(text: str | None) -> str | None:
    """The canonical type of a round type as written ("Série A" -> series_a, "ronda semilla" -> seed)."""
    found = round_types(text) if text else []
    return found[0].canonical if found else None
