"""Exits read from the news extractor's look-alikes: who bought whom, or who listed.

The extractor (``funding_text``) keeps acquisitions and IPOs as rows with
``is_round = false`` and ``not_round_reason`` ``acquisition`` or ``ipo``, naming
one company (``company_name``) without saying whether it is the buyer or the
bought. :func:`split_acquisition` reads the sentence around the buying verb:

* active voice, buyer first: "Mercado Libre adquiere Kangu", "A acquires B",
  "A comprou a B", "A se queda con B";
* passive voice, target first: "Kangu fue adquirida por Mercado Libre",
  "B was acquired by A", "B foi comprada pela A", "B sold to A".

The name on each side is the run of capitalised words nearest the verb (after
dropping articles and descriptors such as "la fintech" or "a startup", and on
the target's side any lower-case words and stake shares before the name: "el
100% del banco mexicano ABC Capital", "Colombian remittance startup Envío
Seguro", "de 70% da fintech Pague Menos Digital"); when
the extractor's ``company_name`` is one side, the other side is the
counterpart. Anything the sentence does not make clear stays null: an exit
without a named buyer keeps its target; the rule says what decided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestors.domain.resolution import normalise_name

_PASSIVE = re.compile(
    r"\b(?:was|were|has been|is being|will be|fue|será|sera|foi|será|é|e)?\s*"
    r"(?:acquired by|bought by|purchased by|sold to|adquirid[ao]s? (?:por|pel[oa]s?)|comprad[ao]s? (?:por|pel[oa]s?)"
    r"|vendid[ao]s? (?:a|al|para|à|ao)|absorbid[ao]s? por|incorporad[ao]s? (?:por|pel[oa]s?))\s+",
    re.IGNORECASE,
)
_ACTIVE = re.compile(
    r"\s+(?:acquires|acquired|has acquired|agreed to acquire|agrees to acquire|to acquire|buys|bought|has bought"
    r"|adquiere|adquirió|adquirio|adquirirá|adquiriu|adquire|compra|compró|compro|comprou|compró a"
    r"|se queda con|se quedó con|incorporou|anunció la compra de|anuncia la compra de|anunciou a compra d[aeo]"
    r"|announced the acquisition of|completed the acquisition of|acquisition of"
    r"|agreed to buy|agrees to buy|acordó (?:comprar|adquirir)|acuerda (?:comprar|adquirir)"
    r"|acordou (?:comprar|adquirir)|concordou em (?:comprar|adquirir))\s+",
    re.IGNORECASE,
)
# Words that open a description of the company rather than its name.
_DESCRIPTORS = (
    r"(?:(?:the|a|an|la|el|los|las|o|os|as|à|al|de|da|do|del|its|su|sua|startup|start-up|fintech|healthtech|"
    r"edtech|proptech|insurtech|agtech|legaltech|company|empresa|compañía|companhia|plataforma|platform|firm|"
    r"rival|competitor|competidor|concorrente|brazilian|mexican|colombian|chilean|argentine|argentinian|"
    r"peruvian|uruguayan|brasileña|brasileira|mexicana|colombiana|chilena|argentina|peruana|uruguaya|local|"
    r"software|payments|pagos|pagamentos|logistics|logística)\s+)*"
)
_NAME = re.compile(r"[A-Z0-9ÁÉÍÓÚÑÃÕÇ][\w&.'’\-]*(?:\s+(?:de |do |da |del |& )?[A-Z0-9ÁÉÍÓÚÑÃÕÇ][\w&.'’\-]*)*")


@dataclass(frozen=True)
class Split:
    acquirer: str | None
    target: str | None
    rule: str


# Before the target's name: lower-case words ("remittance startup", "banco mexicano") and a stake share ("70%").
_LEADING = re.compile(r"^(?:(?:[a-zà-ÿ][\w\-]*|\d+(?:[.,]\d+)?\s?%)\s+)+")


def _first_name(text: str) -> str | None:
    text = text.strip()
    while True:  # descriptors ("Colombian", "la fintech") and lower-case words, until the name
        stripped = _LEADING.sub("", re.sub(r"^" + _DESCRIPTORS, "", text, flags=re.IGNORECASE))
        if stripped == text:
            break
        text = stripped
    match = _NAME.match(text)
    return match.group(0).rstrip(".,;:'’") if match else None


def _last_name(text: str) -> str | None:
    names = [n for n in _NAME.findall(text.strip()) if re.search(r"[^\W\d_]", n)]  # "2.500" is no name
    if not names:
        return None
    # a sentence-initial article is capitalised ("A Nuvix comprou..."): it is not part of the name
    name = re.sub(r"^" + _DESCRIPTORS, "", names[-1], flags=re.IGNORECASE) or names[-1]
    return name.rstrip(".,;:'’")


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and normalise_name(a) == normalise_name(b)


def split_acquisition(sentence: str | None, company_name: str | None) -> Split:
    """Buyer and target of the acquisition the sentence reports, as far as its grammar says."""
    text = (sentence or "").strip()
    passive, active = _PASSIVE.search(text), _ACTIVE.search(text)
    if passive and (not active or passive.start() <= active.start()):
        target, acquirer, voice = _last_name(text[: passive.start()]), _first_name(text[passive.end():]), "passive"
    elif active:
        acquirer, target, voice = _last_name(text[: active.start()]), _first_name(text[active.end():]), "active"
    else:
        return Split(None, company_name, "acquisition: no buying verb found; target = the extractor's company")
    if company_name and _same(company_name, acquirer) and target:
        return Split(company_name, target, f"acquisition ({voice}): the extractor's company is the buyer")
    if company_name and not _same(company_name, target) and target and not _same(target, acquirer):
        # the extractor named a company the grammar does not place: trust the grammar, say so
        return Split(acquirer, target, f"acquisition ({voice}): sentence grammar; extractor named {company_name}")
    return Split(acquirer, target or company_name, f"acquisition ({voice})")


def exit_rows(events: list[dict]) -> list[tuple]:
    """One row per news exit: (event_id, exit_type, acquirer_name, target_name, split_rule)."""
    rows = []
    for event in events:
        if event["not_round_reason"] == "ipo":
            rows.append((event["event_id"], "ipo", None, event["company_name"], "ipo: the extractor's company lists"))
            continue
        split = split_acquisition(event["sentence"], event["company_name"])
        if _same(split.acquirer, split.target):
            split = Split(None, split.target, split.rule + "; buyer dropped (same as target)")
        rows.append((event["event_id"], "acquisition", split.acquirer, split.target, split.rule))
    return rows


