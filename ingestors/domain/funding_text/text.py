"""Text helpers shared by the extractor: accent folding, masking, sentences, language, name tokens.

``fold`` keeps the text's length (one character in, one out), so an index found in the folded text is valid
in the original: every pattern of the package runs on folded text and cuts the original with its spans.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter


def fold(text: str) -> str:
    """Lower case without accents, character for character (indices stay valid in the original)."""
    return text.lower() if text.isascii() else "".join(map(_fold_char, text))


@functools.cache
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
    return base if len(base) == 1 else ch


def _mask(text: str, spans: list[tuple[int, int]], mark: str = " ") -> str:
    """Blank out ``spans`` keeping the length; the first character becomes ``mark``."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
        if end > start:
            chars[start] = mark
    return "".join(chars)


_ABBREVIATIONS = {"s.a", "sa", "inc", "corp", "ltd", "ltda", "co", "cia", "sr", "sra", "dr", "jr", "vs", "ee.uu",
                  "u.s", "etc", "no", "nº", "av", "st", "mr", "mrs", "ms", "p.ej", "approx", "aprox"}
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"“'(¿¡]?[A-ZÀ-ÖØ-Þ0-9€$])")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; a line break always ends one, abbreviations (S.A., Inc., EE.UU.) never do."""
    sentences = []
    for line in text.splitlines():
        start = 0
        for m in _SENTENCE_END.finditer(line):
            word = re.findall(r"[\w.]+$", line[start:m.start()])
            token = fold(word[0]) if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            sentences.append(line[start:m.end()].strip())
            start = m.end()
        sentences.append(line[start:].strip())
    return [s for s in sentences if s]


_LANGUAGE_WORDS = {
    "en": {"the", "and", "with", "has", "its", "raised", "raises", "from", "led", "by", "round", "for", "of", "to"},
    "es": {"el", "la", "los", "las", "del", "con", "una", "por", "y", "levanto", "ronda", "millones", "dolares",
           "segun", "su", "en", "al"},
    "pt": {"o", "os", "da", "do", "das", "dos", "com", "uma", "em", "e", "captou", "rodada", "milhoes", "pela",
           "pelo", "nao", "sua", "na", "no", "ao"},
}


def guess_language(text: str) -> str | None:
    """'en', 'es' or 'pt' by counting common words; None when the text is too short to tell."""
    words = Counter(re.findall(r"[a-z]+", fold(text)))
    scores = sorted(((sum(words[w] for w in vocab), lang) for lang, vocab in _LANGUAGE_WORDS.items()), reverse=True)
    (best, lang), (second, _) = scores[0], scores[1]
    return lang if best >= 2 and best > second else None


# --- name tokens ------------------------------------------------------------------------------

_CONNECTORS = {"de", "del", "do", "da", "dos", "das", "&", "of", "y"}


def _name_like(token: str) -> bool:
    return bool(re.match(r"[A-ZÀ-ÖØ-Þ]", token) or re.match(r"[a-z]+[A-Z]", token)
                or (re.search(r"\d", token) and re.search(r"[A-Za-z]", token)))


_TOKEN = re.compile(r"[^\W_][\w'’&+.\-]*[\w+]|[^\W_]|&")


def _unique(names: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(fold(name), name)
    return tuple(seen.values())


_NATIONALITIES = {
    "brazilian", "mexican", "colombian", "chilean", "argentine", "argentinian", "peruvian", "uruguayan",
    "paraguayan", "bolivian", "ecuadorian", "venezuelan", "costa", "rican", "panamanian", "guatemalan",
    "dominican", "salvadoran", "honduran", "puerto", "latin", "american", "latam", "spanish", "us", "u.s",
    "brasileira", "brasileiro", "mexicana", "mexicano", "colombiana", "colombiano", "chilena", "chileno",
    "argentina", "argentino", "peruana", "peruano", "uruguaya", "uruguayo", "paulista", "carioca", "mineira",
    "gaucha", "latinoamericana", "latinoamericano", "costarricense",
}
_STOP = {
    "the", "a", "an", "o", "os", "as", "la", "el", "los", "las", "un", "una", "um", "uma", "con", "com", "tras",
    "after", "with", "in", "en", "em", "for", "para", "segun", "segundo", "de", "del", "da", "do", "this", "esta",
    "este", "essa", "esse", "today", "hoy", "hoje", "on", "its", "it", "su", "sua", "startup", "startups",
    "company", "empresa", "compania", "plataforma", "platform", "unicorn", "unicornio", "scaleup", "neobank",
    "neobanco", "ai", "ia", "vc", "b2b", "saas", "sample", "exclusive", "exclusivo", "breaking", "report",
    "reporte", "and", "y", "e", "by", "por", "to", "at", "nesta", "neste", "also", "now", "investors",
    "inversionistas", "inversores", "investidores", "mais", "more",
} | _NATIONALITIES
