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


# --- what opens a sentence before its subject ------------------------------------------------

# "SÃO PAULO —", "CIUDAD DE MÉXICO —", "SÃO PAULO, SP (FOLHAPRESS) -": a dateline in capitals and a dash.
_DATELINE = re.compile(r"^\s*[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .,'()]{2,60}?\s[—–-]{1,2}\s+")
_CONNECTIVE = re.compile(
    r"^\s*(?:(?:also|tambien|tambem) (?:this|esta|nesta) (?:week|semana)|ademas|asimismo|por su parte"
    r"|por otro lado|por ultimo|por fin|mientras tanto|en tanto|sin embargo"
    r"|no obstante|de esta forma|de este modo|de esa forma|con esto|con ello|tras la operacion|en paralelo|tambien"
    r"|alem disso|ainda assim|enquanto isso|ja|por fim|dessa forma|com isso|no entanto|por outro lado|tambem"
    r"|em paralelo|meanwhile|also|still|however|in addition|additionally|elsewhere|separately|finally)\b,?")


def lead_in(sentence: str) -> int:
    """How many characters open ``sentence`` before its subject: a dateline, then a connective ("Además,")."""
    m = _DATELINE.match(sentence)
    end = m.end() if m else 0
    c = _CONNECTIVE.match(fold(sentence[end:]))
    return end + (c.end() if c else 0)


# --- name tokens ------------------------------------------------------------------------------

_CONNECTORS = {"de", "del", "do", "da", "dos", "das", "&", "of", "y"}


_DOMAIN_BRAND = re.compile(r"[a-z0-9][a-z0-9-]*\.(?:io|ai|mx|co|com|app|br|ar|cl|pe|uy|la|tech|do|lat)")


def _name_like(token: str) -> bool:
    """Capitalised, camel-cased ("iFood"), alphanumeric ("Global66") or a domain-like brand ("kuali.mx")."""
    return bool(re.match(r"[A-ZÀ-ÖØ-Þ]", token) or re.match(r"[a-z]+[A-Z]", token)
                or (re.search(r"\d", token) and re.search(r"[A-Za-z]", token)) or _DOMAIN_BRAND.fullmatch(token))


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
    "gaucha", "latinoamericana", "latinoamericano", "costarricense", "ecuatoriana", "ecuatoriano", "boliviana",
    "boliviano", "paraguaya", "paraguayo", "panamena", "panameno", "guatemalteca", "guatemalteco", "hondurena",
    "hondureno", "salvadorena", "salvadoreno", "dominicana", "dominicano", "venezolana", "venezolano",
    "espanhola", "espanola", "americana", "norte-americana", "rosarina", "cordobesa", "regiomontana", "tapatia",
    "baiana", "capixaba", "goiana", "pernambucana", "cearense", "paraense", "catarinense", "recifense",
    "sueca", "chinesa", "chile's", "mexico's", "brazil's", "peru's",
    "colombia's", "argentina's", "uruguay's", "panama's",
}
_STOP = {
    "the", "a", "an", "o", "os", "as", "la", "el", "los", "las", "un", "una", "um", "uma", "con", "com", "tras",
    "after", "with", "in", "en", "em", "for", "para", "segun", "segundo", "de", "del", "da", "do", "this", "esta",
    "este", "essa", "esse", "today", "hoy", "hoje", "on", "its", "it", "su", "sua", "startup", "startups",
    "company", "empresa", "compania", "plataforma", "platform", "unicorn", "unicornio", "scaleup", "neobank",
    "neobanco", "ai", "ia", "vc", "b2b", "saas", "sample", "exclusive", "exclusivo", "breaking", "report",
    "reporte", "and", "y", "e", "by", "por", "to", "at", "nesta", "neste", "also", "now", "investors",
    "inversionistas", "inversores", "investidores", "mais", "more", "ceo", "cfo", "cto", "coo", "founder",
    "cofounder", "co-founder", "fundador", "fundadora", "cofundador", "cofundadora", "director", "directora",
    "diretor", "diretora", "presidente", "chief", "executive", "exclusiva",
} | _NATIONALITIES
_DESCRIPTOR_SUFFIX = re.compile(r"(?:tech|-based|-driven|-powered|-stage|-focused|-backed|-founded)$")
_DESCRIPTOR_NOUNS = {"startup", "startups", "fintech", "app", "plataforma", "platform", "neobank", "neobanco",
                     "marketplace", "empresa", "company", "marca", "brand", "scaleup", "unicornio", "unicorn"}
# Lower-case words that join the words of a company's name: "Clínica no Bolso", "Vacina em Dia", "Río de la Plata".
_NAME_JOINERS = (_CONNECTORS - {"y"}) | {"no", "na", "em", "en", "la", "el", "los", "las"}


def _is_descriptor(token: str) -> bool:
    folded = fold(token)
    return folded in _DESCRIPTOR_NOUNS or bool(_DESCRIPTOR_SUFFIX.search(folded))


def _strip_descriptors(tokens: list[str]) -> list[str]:
    """Drop leading descriptors ("Brazilian fintech", "São Paulo's", "Bogotá-based") from a name run."""
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].endswith("-based") or (re.search(r"['’]s$", tokens[i]) and i < len(tokens) - 1):
            tokens = tokens[i + 1:]  # "São Paulo's Votu" -> "Votu"
            break
    if tokens and re.search(r"['’]s$", tokens[-1]):
        tokens = tokens[:-1] + [tokens[-1][:-2]]  # "Quinoa Capital's push" -> "Quinoa Capital"
    while tokens and (fold(tokens[0]) in _STOP or (len(tokens) > 1 and _DESCRIPTOR_SUFFIX.search(fold(tokens[0])))):
        tokens = tokens[1:]  # "Fintech Kuali" -> "Kuali", but "Riegotech" stays
    while tokens and fold(tokens[-1]) in _NAME_JOINERS:
        tokens = tokens[:-1]
    return tokens


def _name_runs(text: str, offset: int = 0, joiners: set[str] = _NAME_JOINERS) -> list[tuple[str, int]]:
    """Runs of capitalised words in ``text`` (descriptors dropped), with where each starts; lower-case
    ``joiners`` between two capitalised words stay inside the run."""
    tokens = list(_TOKEN.finditer(text))

    def spaced(k: int) -> bool:  # token k follows token k - 1 after one space
        return text[tokens[k - 1].end():tokens[k].start()] == " "

    runs: list[list[re.Match]] = []
    i = 0
    while i < len(tokens):
        if not _name_like(tokens[i][0]):
            i += 1
            continue
        run = [tokens[i]]
        i += 1
        while i < len(tokens) and spaced(i):
            if _name_like(tokens[i][0]):
                run.append(tokens[i])
                i += 1
                continue
            j = i
            while j < len(tokens) and fold(tokens[j][0]) in joiners and spaced(j):
                j += 1
            if i < j < len(tokens) and _name_like(tokens[j][0]) and spaced(j):
                run += tokens[i:j + 1]
                i = j + 1
                continue
            break
        runs.append(run)
    out = []
    for run in runs:
        words = _strip_descriptors([t[0] for t in run])
        if words:
            out.append((" ".join(words), offset + run[0].start()))
    return out
