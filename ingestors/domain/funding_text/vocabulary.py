"""The vocabulary of funding in English, Spanish and Portuguese: raising verbs, round cues and look-alike cues.

Look-alikes are kept with ``is_round`` false and a reason (the labelling policy of
tests/ingestors/fixtures/news/README.md):

* ``ipo``: listings, SPACs, "salida a bolsa", "estreou na B3", "cotizar en el Nasdaq";
* ``fund_close``: a VC firm raising or closing its own fund;
* ``debt``: bonds, debentures, notes, "obligaciones negociables", "certificados bursátiles", CRIs,
  "notas comerciais", and any amount whose nearest round type is debt (venture debt, credit lines,
  FIDCs, loans): money a company borrows is not a funding round;
* ``acquisition``: acquisitions, mergers, stake purchases (reported even without an amount);
* ``grant``: grants, subsidies, prizes, calls, non-repayable funds, public programmes;
* ``rumour``: unnamed sources, "in talks", "estaria", "negocia", "se confirmada";
* ``plan``: an intention or pledge ("planea levantar", "pretende captar", "will invest", "destinará");
* ``aggregate``: market totals, market sizes, a company's total to date;
* ``valuation``: a valuation reported with no new money;
* ``implausible``: a "round" too large to be one (over USD 20 bn, or stated in trillions);
* ``other``: a past round told as background, a round that failed.

The checks run on the sentence with its investor lists removed, so "led by the fund X" is not a fund close.
A valuation ("at a $1bn valuation") or revenue figure is never the round's amount; a running total
("bringing its total to $52M") is not either.
"""

from __future__ import annotations

import re

from ingestors.domain.funding_text.amounts import Money, find_money
from ingestors.domain.funding_text.text import fold

# Checked in this order on the folded sentence, with investor lists blanked and amounts replaced by '¤'.
_NOT_ROUND = (
    ("ipo", re.compile(
        r"\bipo\b|\binitial public offering\b|\bgo(?:es|ing)? public\b|\bwent public\b|\boferta publica\b|\bopi\b"
        r"|\bsalida a bolsa\b|\bcotizar en (?:el |la )?(?:bolsa|nasdaq|nyse)\b|\babertura de capital\b"
        r"|\babre (?:seu )?capital\b|\bestre(?:ia|ou|ar) na (?:bolsa|b3|nasdaq|nyse)\b"
        r"|\bdebut(?:s|ed)? on the (?:nasdaq|nyse)\b|\bdebuto en la bolsa\b"
        r"|\bfollow-on\b|\b(?:salio|sale|saldra) a (?:la )?bolsa\b|\b(?:debuto|debuta) en (?:la )?bolsa\b"
        r"|\b(?:listed|listing|lists) (?:its shares )?on\b|\bdebuted on\b|\bspac\b")),
    ("fund_close", re.compile(
        r"\b(?:first|final|second|initial) close\b|\bprimer cierre\b|\bcierre final\b|\bprimeiro fechamento\b"
        r"|\bfechamento final\b"
        r"|(?:¤|\b(?:its|new|debut|first|second|third|fourth|fifth|latest|inaugural|flagship|maiden))\s+"
        r"(?:(?!to\b)[\w-]+\s+)?fund\b(?!\s+(?:its|their|the|expansion|growth|operations|product|research|hiring))"
        r"|\bfund (?:i{1,3}|iv|v|vi)\b|\bfund of ¤|\bfund at ¤"
        r"|\b(?:su|nuevo|segundo|tercer|tercero|primer|cuarto|quinto)\s+fondo\b|\bfondo (?:de|por) ¤"
        r"|\b(?:cierra|cerro|lanza|lanzo|anuncia|anuncio)\b[^.;]{0,40}\bfondo\b|\bfondo de \w+ de ¤"
        r"|\b(?:seu|novo|segundo|terceiro|primeiro|quarto)\s+fundo\b|\bfundo de ¤"
        r"|\b(?:fecha|fechou|lanca|lancou)\b[^.;]{0,40}\bfundo\b|\bfondo de capital de riesgo\b")),
    ("debt", re.compile(
        r"\bbonds?\b|\bnotes due\b|\bsenior (?:secured |unsecured )?notes\b|\bdebentures?\b|\bbonos?\b"
        r"|\bobligaciones negociables\b|\bcertificados bursatiles\b|\bcebures\b|\beurobon(?:o|d)s?\b"
        r"|\btitulos de deuda\b|\b(?:cra|cri)s?\b|\bnotas? comercia(?:l|is)\b|\btoken de nota\b")),
    ("acquisition", re.compile(
        r"(?<!to )\bacquir(?:e|es|ed)\b|\bacquisition of\b|\b(?:agreed|agrees|plans) to (?:buy|acquire)\b|\bbought\b"
        r"|\bbuys\b|\btakeover\b|\bmerg(?:e|es|ed|er)\b|\badquiri[oó]\b|\badquiere\b|\badquirira\b"
        r"|\badquisicion de\b|\bcompro\b|\bcomprara\b|\bacordo comprar\b|\bcompra de(?:l)? \d+ ?%"
        r"|\b(?:fecho|fechou|concluiu|concluyo|cerro|anuncio|anunciou|acordo|acordou|completo|completou)"
        r" (?:a |la )?compra\b|\bse fusiona\b|\bcomprar el \d+ ?%|\bcomprara el \d+ ?%"
        r"|\bfusion con\b|\badquiriu\b|\badquire\b|\baquisicao d[aoe]\b|\bcomprou\b|\bfusao com\b"
        r"|\bincorporou\b|\bsold to\b|\b(?:comprad|adquirid|vendid)[ao]s? (?:por|pel[oa]s?|para|a)\b"
        r"|\bacquired by\b|\badquirindo\b|\badquiriendo\b|\bse quedara con\b|\bse queda con\b|\bse quedo con\b"
        r"|\bsnap(?:s|ped) up\b|\bscoop(?:s|ed) up\b|\bbuy(?:s)? out\b|\bbought out\b")),
    ("grant", re.compile(
        r"\bgrants?\b|\bnon-?dilutive\b|\bsubvencion(?:es)?\b|\bsubsidios?\b|\bno reembolsables?\b|\bsubvencao\b"
        r"|\bnao[- ]reembolsave(?:l|is)\b|\bedital\b|\bconvocatorias?\b|\ba fundo perdido\b|\bfondos? perdidos?\b"
        r"|\bnon-?repayable\b|\bconcursables?\b|\bsin devolucion\b|\bsem devolucao\b|\bsubvencao\b|\bem subvencao\b"
        r"|\b(?:won|wins|awarded|gano|gana|ganhou|ganha|venceu|vence)\b[^.;]{0,40}\b(?:prize|premio|award)\b"
        r"|\bconcedeu\b|\bprograma (?:de |do |da )?(?:corfo|innpulsa|anii|finep"
        r"|fapesp|conacyt|proinnovate|start-?up chile|cnpq)\b")),
    ("rumour", re.compile(
        r"\bin (?:advanced )?talks\b|\bin discussions\b|\breportedly\b|\baccording to (?:people|sources|a person"
        r"|reports)\b|\bsources (?:said|say|told)\b|\bsources say\b|\bis said to be\b|\bnegocia\b|\bnegociando\b"
        r"|\ben conversaciones\b|\bestaria\b|\bestarian\b|\bsegun fuentes\b|\bfuentes cercanas\b"
        r"|\bem (?:negociacao|negociacoes|conversas)\b|\bsegundo fontes\b|\bpessoas a par\b|\bpeople familiar\b"
        r"|\bis (?:currently )?raising\b|\b(?:could|would) value\b|\bpersonas (?:familiarizadas|cercanas)\b"
        r"|\bpessoas (?:familiarizadas|proximas)\b|\bse confirmada\b|\bsi se confirma\b|\bif confirmed\b"
        r"|\besta para fechar\b|\bsegundo sites\b|\breportes de prensa\b|\bsegun publico\b|\bsegundo o jornal\b"
        r"|\bconversando com fundos\b|\b(?:seeking|looking) to raise\b|\bcould raise\b|\btrascendio\b"
        r"|\b(?:el|o) mercado comenta\b|\bse comenta\b|\bbriefed on\b|\bweighing (?:a|an)\b|\bdizem fontes\b")),
    ("plan", re.compile(
        r"\b(?:plans?|aims?|intends?|expects?|hopes?|hoping|wants?) to (?:raise|invest)\b|\bwill (?:invest|allocate)\b"
        r"|\b(?:meta|objetivo|plano|goal)\b[^.;]{0,40}\b(?:e|es|is) (?:levantar|captar|recaudar|raise)\b"
        r"|\b(?:planea|prev[eé]|pretende|busca|espera) (?:levantar|recaudar|captar|invertir)\b"
        r"|\b(?:planeja|pretende|busca|espera) (?:levantar|captar|investir|abrir)\b|\bplaneja abrir\b"
        r"|\b(?:invertira|invertiran|investira|investirao|destinara|destinaran|vai destinar|vao destinar"
        r"|vai investir|vao investir|allocate[sd]?|earmark(?:s|ed)?|pledge[sd]?)\b"
        r"|\b(?:anuncia|anuncio|anunciou|announces|announced|confirma|confirmo|confirmou)\s+(?:una |um |an |a )?"
        r"(?:nueva |novo |new )?(?:inversion|investimento|investment)\s+(?:de|of)\s+¤\s+(?:en|em|no|na|in)\b")),
    ("aggregate", re.compile(
        r"(?:^|,\s*)(?:(?:las|los|as|os|the)\s+)?(?:[\w-]+\s+){0,3}(?:startups|fintechs|scaleups|healthtechs|edtechs"
        r"|agtechs|proptechs|insurtechs|companies|empresas|emprendimientos|unicorns|unicornios)\b(?:\s+[\w-]+){0,3}"
        r"\s+(?:raised|levantaron|recaudaron|captaron|captaram|levantaram|received|recibieron|receberam|attracted"
        r"|secured|obtuvieron)\b"
        r"|\b\d+\s+(?:[\w-]+\s+)?(?:rounds|deals|transactions|rondas|rodadas|operaciones|transacciones|transacoes"
        r"|aportes|startups|empresas|emprendimientos|companies)\b"
        r"|\b\d+ ?% (?:more|less|up|down|mas|menos)\b|\b(?:up|down|queda de|alta de|caida de|crecimiento de"
        r"|aumento de) \d+ ?%|\b(?:first|second) (?:half|quarter)\b|\b(?:primer|segundo|primeiro|tercer) (?:semestre"
        r"|trimestre)\b|\byear-over-year\b|\binteranual\b|\bcomparacao anual\b|\bventure capital (?:investment"
        r"|funding|en|em|in)\b|\b(?:el|o) venture capital\b|\bsumaron\b|\bsomou\b|\bsomaram\b"
        r"|\btotalizou\b|\btotalizaram\b|\btotalizaron\b|\btotaled\b|\btotalled\b|\bmovimentaram\b|\bmovimentou\b"
        r"|\bmovera\b|\b(?:reached|alcanzo|alcanzaron|alcancou|alcancaram|atingiu|atingiram|will reach)\b"
        r"|\b(?:en el|no|in the) (?:trimestre|quarter|semestre)\b|\b(?:el|o) capital de (?:riesgo|risco)\b"
        r"|\bsince (?:its )?(?:founding|launch|inception)\b|\bdesde su (?:fundacion|creacion|lanzamiento)\b"
        r"|\bdesde (?:a|sua) (?:fundacao|criacao)\b|\b(?:so|thus) far\b|\bhasta (?:ahora|el momento)\b"
        r"|\bate (?:agora|o momento)\b|\bto date\b|\b(?:ecosistema|ecossistema|ecosystem)\b|\bpib\b|\bgdp\b"
        r"|\b(?:el|o|the) mercado\b|\bmarket (?:will|is|was|size)\b|\b(?:cayo|caiu|fell|dropped) (?:a|para|to) ¤"
        r"|\bao todo\b|\ben total\b|\bin total\b"
        r"|^(?:(?:la|el|o|a|the)\s+)?(?:inversion|investimento|investment|venture funding|vc funding|funding)\s+"
        r"(?:en|em|in|para|for|de)\b")),
    ("other", re.compile(
        r"\bfail(?:ed|ing|s)? to raise\b|\bno (?:logro|consiguio) (?:levantar|recaudar)\b"
        r"|\bnao conseguiu (?:captar|levantar)\b|\bshut(?:s|ting)? down\b")),
)
_TOTAL_BEFORE = re.compile(
    r"(?:a total of|in total|total(?:ing|ling)?(?: funding| investment)?(?: to| of)?|bringing (?:its|the) total"
    r"(?: funding)?(?: raised)? to|suma|soma|sumando|somando|acumula|acumulando|totaliza(?:ndo)?"
    r"|elevando (?:o|su|a) (?:total|monto)(?: captado| levantado)? (?:para|a))\s*$")
_TOTAL_AFTER = re.compile(
    r"^\s*(?:in total|en total|no total|ao todo|to date|hasta la fecha|ate hoje|ate agora|since (?:its )?"
    r"(?:founding|launch|inception|\d{4})|(?:\w+ )?desde (?:su |a |sua )?(?:fundacion|fundacao|creacion|criacao"
    r"|lancamento|\d{4}))")
# A past round told as background, just before its amount: "had previously raised a $3M seed", "which raised".
_PRIOR_BEFORE = re.compile(
    r"(?:previously raised|(?<!it )had (?:previously )?raised|which (?:had )?raised|(?<!que )habia (?:levantado"
    r"|recaudado|captado|obtenido)|(?<!que )(?:ja )?havia (?:captado|levantado|recebido)|anteriormente"
    r"|(?:previous|prior|earlier) round|(?:comes|came) after|follows (?:a|an|its)|(?:ronda|rodada) anterior"
    r"|tras (?:una|su) ronda|apos (?:uma|a|sua) rodada)(?:\s+\S+){0,5}\s*$")
_PRIOR_AFTER = re.compile(r"^[^.;]{0,40}\b(?:last year|el ano pasado|no ano passado|ano passado)\b")
MIN_ROUND_AMOUNT = 10_000  # below this a figure is a price ("$5 a month"), not a round
# Above this, in US dollars, a "round" is a market size, a GDP effect or a misread (no startup round is that big).
MAX_ROUND_USD = 20e9
# Rough US dollars per unit, only to apply MAX_ROUND_USD (amounts are kept in their own currency).
_USD_PER_UNIT = {"USD": 1.0, "EUR": 1.1, "GBP": 1.25, "CAD": 0.75, "AUD": 0.65, "BRL": 0.2, "MXN": 0.055,
                 "COP": 0.00025, "CLP": 0.0011, "ARS": 0.001, "PEN": 0.27, "UYU": 0.025}
_VALUATION_BEFORE = re.compile(
    r"\b(?:valuation|valued|valuing|valoracion|valuacion|valorizacion|avaliad[ao]|avaliacao|avaliou|avalia-la"
    r"|avaliando|valorada|valorizada|valuada|valor de mercado|market cap|passa a valer|vale|worth|value)"
    r"(?:\s+[\w-]+){0,6}\s*$")
_REVENUE_BEFORE = re.compile(
    r"\b(?:revenues?|sales|ingresos|ventas|facturacion|facturo|receita|faturamento|faturou|gmv|arr|tpv|lucro"
    r"|profit|ebitda)(?:\s+\w+){0,2}\s*$")
_VALUATION_AFTER = re.compile(r"^\s*(?:valuation|post-money|pre-money)\b")
_ROUND_CUE = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|lands?|landed|bags?|bagged|nabs?|nabbed|snags?|funding"
    r"|clos(?:e|es|ed)|obtain(?:s|ed)?|financing|round|seed|series [a-h]|pre-seed|investment|invest(?:s|ed)"
    r"|backed|aport(?:a|o|aron|ou|aram)|invirti(?:o|eron)|coinvirtieron|investi(?:u|ram)|coinvestiram"
    r"|captaron|levantaron|recaudaron|financiamento|obteve|recebeu|recebe|recibio|received|receives|cheque"
    r"|levant(?:a|o|ou|an|aron|aram|ado)|recaud(?:a|o|aron)|capt(?:a|o|ou|aram|ado|acao)|arrecadou|angariou"
    r"|consiguio|consigue|conseguiu|obtuv(?:o|ieron)|obtiene|ronda|inversion|financiamiento|aporte|rodada"
    r"|investimento|semilla|semente|serie [a-h]|injetou|inyecto|completa|completou|fechou|cerro|cierra|sumo|sumou"
    r"|garantiu|conquistou|lidero|liderou|led|encabezo|entran como socios|entram como socios|financiad[ao]"
    r"|financed|funded|gets|got|nets|netted|apuesta por|aposta n[ao]|aposta em|betting|bets|inyecto|cheque"
    r"|colocou|puts? ¤\s+into|puso ¤\s+en)\b")
_ROUND_NOUN = re.compile(r"\b(?:round|ronda|rodada|seed|semilla|semente|series [a-h]|serie [a-h]|aporte)\b")
_STRONG_ROUND = re.compile(
    r"\b(?:rais(?:es|ed)|secured|closed|closes|levanto|levantou|recaudo|captou|cerro|fechou|recebeu|recibio"
    r"|announced|anuncio|anunciou)\b")
# "suma/soma US$ 8 millones de capital fresco": adding new money, not a running total.
_FRESH_MONEY_AFTER = re.compile(r"^\s*(?:de|em|en|in)\s+(?:capital (?:fresco|novo|nuevo)|new capital|fresh capital"
                                r"|(?:una |uma |a )?(?:nueva |nova )?(?:ronda|rodada|round))\b")


# A public funder named as the source of the money: a subsidy or grant, not equity.
PUBLIC_FUNDER = re.compile(r"\b(?:corfo|finep|fapesp|innpulsa|anii|conacyt|cnpq|bid lab|start-?up chile|sebrae"
                           r"|embrapii|minciencias|agencia nacional de innovacion|fondo emprender)\b")


def usd_value(money: Money) -> float | None:
    """A rough US-dollar value of ``money`` (for the plausibility check only); None for an unknown currency."""
    rate = _USD_PER_UNIT.get(money.currency or "")
    return money.amount * rate if rate is not None else None


def is_implausible(money: Money) -> bool:
    """Too large for a startup round: over USD 20 bn, or stated in trillions (10^12, "billones", "trilhões")."""
    usd = usd_value(money)
    return money.amount >= 1e12 or (usd is not None and usd > MAX_ROUND_USD)


def _classify(cue_text: str, primary: Money | None, folded_sentence: str,
              names_a_type: bool) -> tuple[bool, str | None, str] | None:
    """(is_round, not_round_reason, the cue that decided), or None when the sentence is not about funding."""
    for reason, pattern in _NOT_ROUND:
        if m := pattern.search(cue_text):
            return False, reason, m[0].strip(" ,")
    if primary is not None and _is_running_total(folded_sentence, primary):
        return False, "aggregate", "running total"
    if primary is not None and _is_background(folded_sentence, primary):
        return False, "other", "past round"
    if m := _ROUND_CUE.search(cue_text):
        return True, None, m[0]
    if names_a_type:
        return True, None, "round type"
    return None


def _is_running_total(folded: str, money: Money) -> bool:
    if _FRESH_MONEY_AFTER.match(folded[money.end:]):
        return False
    return bool(_TOTAL_BEFORE.search(folded[max(0, money.start - 40):money.start])
                or _TOTAL_AFTER.match(folded[money.end:money.end + 50]))


def _is_background(folded: str, money: Money) -> bool:
    return bool(_PRIOR_BEFORE.search(folded[max(0, money.start - 60):money.start])
                or _PRIOR_AFTER.match(folded[money.end:]))


def is_valuation(folded: str, money: Money) -> bool:
    """``money`` is a valuation ("at a $1bn valuation", "avaliada em R$ 2 bilhões", "valued at")."""
    return bool(_VALUATION_BEFORE.search(folded[max(0, money.start - 60):money.start])
                or _VALUATION_AFTER.match(folded[money.end:]))


def _pick_money(folded: str, money: list[Money]) -> Money | None:
    """The round's amount: the first that is not a price, an aside, a valuation, revenue, a running total or a
    past round."""
    plausible = [m for m in money if m.amount >= MIN_ROUND_AMOUNT and not m.aside]
    candidates = [m for m in plausible if not is_valuation(folded, m)
                  and not _REVENUE_BEFORE.search(folded[max(0, m.start - 45):m.start])]
    fresh = [m for m in candidates if not (_is_running_total(folded, m) or _is_background(folded, m))]
    return (fresh or candidates or [None])[0]


_DESCRIPTOR_SUFFIX = re.compile(r"(?:tech|-based|-driven|-powered|-stage|-focused|-backed|-founded)$")
_SUBJECT_VERB = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed)|clos(?:e|es|ed)|lands?|landed|bags?|bagged|nabs?|nabbed|snags?"
    r"|gets?|got|obtain(?:s|ed)?|receive[sd]?|announce[sd]?|attracts?|levant[ao]|recaud[ao]|capt[ao]|captou"
    r"|consigu(?:e|io)|conseguiu|obtuvo|obtiene|cerro|cierra|recibio|recibe|anuncio|anuncia|anunciou|logro"
    r"|levantou|levantan|levantaram|recebe|recebeu|fecha|fechou|garante|garantiu|conquista|conquistou|obteve"
    r"|estruturou|estructuro|arrecadou|angariou|acquir(?:e|es|ed)|adquirio|adquiere|adquiriu|compro|comprou"
    r"|issued|emitio|emitiu|coloco|priced|won|gano|ganhou|venceu|negocia|estaria|is|prepara|filed|estreou|soma"
    r"|suma|sumo|acumula|will|invertira|vai|has|had|habia|havia|levantaron|captaram|closes|aportaron|cerrar"
    r"|levantar|recaudar|captar|fechar|raise|invirtio|invirtieron|coinvirtieron|invested|invests|investiu"
    r"|investiram|coinvestiram|aportou|aporto|injetou|inyecto|lidero|liderou|led|leads|encabezo|coliderou"
    r"|completa|completou|fue|foi|was|were|entran|entram|virou|alcanzo|supero|passa|planea|planeja|pretende"
    r"|busca|concedeu|recebeu|received|debuto|destinara|destino|destinou|lanzo|lanza|lancou|concluiu|apuesta|aposta"
    r"|betting|bets|colocou|put|puso|gets|got|nets|fue financiad[ao]|foi financiad[ao])\b")
# An investor named before the company: "Fondo X lideró una inversión de US$ 7M en Rutamax".
INVESTING_VERB = re.compile(
    r"\b(?:(?:has |have |ha |han )?(?:co-?)?(?:lidero|liderou|lideraron|lideraram|led|leads|encabezo|encabezaron"
    r"|coliderou|colidero|coinvirtieron|coinvestiram|co-?invested|invirtio|invirtieron|invested|invests"
    r"|investiu|investiram|aportou|aporto|aportaron|injetou|inyecto|backs|backed|colocou)|fez um aporte"
    r"|hizo un aporte|entran como socios|entram como socios|apuesta por|aposta n[ao]|aposta em|is betting|bets"
    r"|puts?(?=[^.;]{0,40}\binto\b)|puso(?=[^.;]{0,40}\ben\b))\b")
LEAD_VERB = re.compile(r"\b(?:co-?)?(?:lidero|liderou|lideraron|lideraram|led|leads|encabezo|encabezaron|coliderou"
                       r"|colidero)\b")


_STRONG_FUNDING = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|funding|round|seed|pre-seed|series [a-h]|secures?|secured|backs|backed"
    r"|venture debt|levanta|levanto|levantou|recauda|recaudo|ronda|semilla|serie [a-h]|capta|captou|captacao"
    r"|aporte|rodada|semente|fondo|fundo|fund|bags|lands|nabs|snags|obtiene|obtuvo|cierra|cerro|recebe|recebeu"
    r"|recibe|recibio|arrecada|arrecadou|adquiere|adquirio|adquire|adquiriu|acquires|acquired|ipo|unicornio"
    r"|unicorn)\b")
_WEAK_FUNDING = re.compile(r"\b(?:invest(?:s|ed|ment|ments)?|inversion(?:es)?|investimentos?|financiamiento"
                           r"|financiamento|financing|capital)\b")


def looks_like_funding(text: str) -> bool:
    """Whether a feed item's title and summary look like funding news worth fetching the page of."""
    folded = fold(text)
    return bool(_STRONG_FUNDING.search(folded) or (_WEAK_FUNDING.search(folded) and find_money(text)))
