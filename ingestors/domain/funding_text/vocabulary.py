"""The vocabulary of funding in English, Spanish and Portuguese: raising verbs, round cues and look-alike cues.

Look-alikes are kept with ``is_round`` false and a reason: ``ipo``,
``fund_close`` (a VC firm closing its own fund), ``bond`` (bonds,
debentures, notes, obligaciones negociables, certificados bursátiles),
``acquisition``, ``grant`` (grants, subsidies, prizes, non-repayable funds),
``rumour`` ("in talks to raise", "negocia", "estaria"), ``aggregate``
(market totals, a company's total to date) and ``other`` (a past round
mentioned as background, a corporate's pledge to invest in a country or a
data centre, a round that failed). Venture debt, credit lines and FIDCs of
a company are rounds (round type debt). The checks run on the sentence with
its investor lists removed, so "led by the fund X" is not a fund close.

A valuation ("at a $1bn valuation") or revenue figure is never the round's
amount; a running total ("bringing its total to $52M") is not either.
"""

from __future__ import annotations

import re

from ingestors.domain.funding_text.amounts import Money, find_money
from ingestors.domain.funding_text.text import fold

# Checked in this order on the folded sentence, with investor lists blanked and amounts replaced by '¤'.
_NOT_ROUND = (
    ("ipo", re.compile(
        r"\bipo\b|\binitial public offering\b|\bgo(?:es|ing)? public\b|\bwent public\b|\boferta publica\b|\bopi\b"
        r"|\bsalida a bolsa\b|\bcotizar en bolsa\b|\babertura de capital\b|\babre (?:seu )?capital\b"
        r"|\bestre(?:ia|ou|ar) na (?:bolsa|b3|nasdaq|nyse)\b|\bdebut(?:s|ed)? on the (?:nasdaq|nyse)\b"
        r"|\bfollow-on\b|\b(?:salio|sale|saldra) a (?:la )?bolsa\b|\b(?:debuto|debuta) en (?:la )?bolsa\b"
        r"|\b(?:listed|listing|lists) (?:its shares )?on\b|\bdebuted on\b")),
    ("fund_close", re.compile(
        r"\b(?:first|final|second|initial) close\b|\bprimer cierre\b|\bcierre final\b|\bprimeiro fechamento\b"
        r"|\bfechamento final\b"
        r"|(?:¤|\b(?:its|new|debut|first|second|third|fourth|fifth|latest|inaugural|flagship|maiden))\s+"
        r"(?:(?!to\b)[\w-]+\s+)?fund\b(?!\s+(?:its|their|the|expansion|growth|operations|product|research|hiring))"
        r"|\bfund (?:i{1,3}|iv|v|vi)\b|\bfund of ¤"
        r"|\b(?:su|nuevo|segundo|tercer|tercero|primer|cuarto|quinto)\s+fondo\b|\bfondo (?:de|por) ¤"
        r"|\b(?:cierra|cerro|lanza|lanzo|anuncia|anuncio)\b[^.;]{0,40}\bfondo\b"
        r"|\b(?:seu|novo|segundo|terceiro|primeiro|quarto)\s+fundo\b|\bfundo de ¤"
        r"|\b(?:fecha|fechou|lanca|lancou)\b[^.;]{0,40}\bfundo\b")),
    ("bond", re.compile(
        r"\bbonds?\b|\bnotes due\b|\bsenior (?:secured |unsecured )?notes\b|\bdebentures?\b|\bbonos?\b"
        r"|\bobligaciones negociables\b|\bcertificados bursatiles\b|\bcebures\b|\beurobon(?:o|d)s?\b"
        r"|\btitulos de deuda\b|\b(?:cra|cri)s?\b")),
    ("acquisition", re.compile(
        r"(?<!to )\bacquir(?:e|es|ed)\b|\bacquisition of\b|\b(?:agreed|agrees|plans) to (?:buy|acquire)\b|\bbought\b"
        r"|\bbuys\b|\btakeover\b|\bmerg(?:e|es|ed|er)\b|\badquiri[oó]\b|\badquiere\b|\badquirira\b"
        r"|\badquisicion de\b|\bcompro\b|\bcomprara\b|\bla compra de\b|\bacordo comprar\b|\bse fusiona\b"
        r"|\bfusion con\b|\badquiriu\b|\badquire\b|\baquisicao d[aoe]\b|\bcomprou\b|\bfusao com\b"
        r"|\bincorporou\b|\bsold to\b|\b(?:comprad|adquirid|vendid)[ao]s? (?:por|pel[oa]s?|para|a)\b"
        r"|\bacquired by\b")),
    ("grant", re.compile(
        r"\bgrants?\b|\bnon-?dilutive\b|\bsubvencion\b|\bsubsidio\b|\bno reembolsables?\b|\bsubvencao\b"
        r"|\bnao[- ]reembolsave(?:l|is)\b|\bedital\b|\b(?:won|wins|awarded|gano|gana|ganhou|ganha)\b[^.;]{0,40}"
        r"\b(?:prize|premio|award)\b")),
    ("rumour", re.compile(
        r"\bin (?:advanced )?talks\b|\b(?:seeking|looking|plans?|aims?) to raise\b|\bin discussions\b"
        r"|\breportedly\b|\baccording to (?:people|sources|a person)\b|\bsources (?:said|say|told)\b"
        r"|\bis said to be\b|\bnegocia\b|\bnegociando\b|\ben conversaciones\b|\bestaria\b|\bestarian\b"
        r"|\bbusca(?:ria|ndo)? (?:levantar|recaudar|captar)\b|\bplanea (?:levantar|recaudar)\b"
        r"|\bsegun fuentes\b|\bfuentes cercanas\b|\bem (?:negociacao|negociacoes|conversas)\b"
        r"|\b(?:busca|pretende) (?:levantar|captar)\b|\bsegundo fontes\b|\bpessoas a par\b|\bpeople familiar\b"
        r"|\bis (?:currently )?raising\b|\b(?:could|would) value\b|\bpersonas (?:familiarizadas|cercanas)\b"
        r"|\bpessoas (?:familiarizadas|proximas)\b")),
    ("aggregate", re.compile(
        r"(?:^|,\s*)(?:(?:las|los|as|os|the)\s+)?(?:[\w-]+\s+){0,3}(?:startups|fintechs|scaleups|healthtechs|edtechs"
        r"|agtechs|proptechs|insurtechs|companies|empresas|emprendimientos|unicorns|unicornios)\b(?:\s+[\w-]+){0,3}"
        r"\s+(?:raised|levantaron|recaudaron|captaron|captaram|levantaram|received|recibieron|receberam|attracted"
        r"|secured|obtuvieron)\b"
        r"|\b\d+\s+(?:rounds|deals|transactions|rondas|rodadas|operaciones|transacoes|aportes)\b"
        r"|\b\d+ ?% (?:more|less|up|down|mas|menos)\b|\b(?:up|down|queda de|alta de|caida de|crecimiento de"
        r"|aumento de) \d+ ?%|\b(?:first|second) (?:half|quarter)\b|\b(?:primer|segundo|primeiro) (?:semestre"
        r"|trimestre)\b|\byear-over-year\b|\binteranual\b|\bcomparacao anual\b|\bventure capital (?:investment"
        r"|funding|en|em|in)\b|\b(?:el|o) venture capital\b|\bsumo\b|\bsumaron\b|\bsomou\b|\bsomaram\b"
        r"|\btotalizou\b|\btotalizaram\b|\btotalizaron\b|\btotaled\b|\btotalled\b|\bmovimentaram\b"
        r"|\b(?:reached|alcanzo|alcanzaron|alcancou|alcancaram|atingiu|atingiram)\b"
        r"|\b(?:en el|no|in the) (?:trimestre|quarter|semestre)\b"
        r"|\bsince (?:its )?(?:founding|launch|inception)\b|\bdesde su (?:fundacion|creacion|lanzamiento)\b"
        r"|\bdesde (?:a|sua) (?:fundacao|criacao)\b|\b(?:so|thus) far\b|\bhasta (?:ahora|el momento)\b"
        r"|\bate (?:agora|o momento)\b|\bto date\b"
        r"|^(?:(?:la|el|o|a|the)\s+)?(?:inversion|investimento|investment|venture funding|vc funding|funding)\s+"
        r"(?:en|em|in|para|for|de)\b")),
    ("other", re.compile(
        r"\bfail(?:ed|ing|s)? to raise\b|\bno (?:logro|consiguio) (?:levantar|recaudar)\b"
        r"|\bnao conseguiu (?:captar|levantar)\b|\bshut(?:s|ting)? down\b"
        r"|\b(?:destinara|destinaran|destino|destinou|vai destinar|allocate[sd]?|earmark(?:s|ed)?|pledge[sd]?)\b"
        r"|\b(?:will|plans to|plan to|is going to) invest\b|\binvertira\b|\binvertiran\b|\bplanea invertir\b"
        r"|\bvai investir\b|\bvao investir\b|\binvestira\b|\bplaneja investir\b"
        r"|\b(?:anuncia|anuncio|anunciou|announces|announced|confirma|confirmo|confirmou)\s+(?:una |um |an |a )?"
        r"(?:nueva |novo |new )?(?:inversion|investimento|investment)\s+(?:de|of)\s+¤\s+(?:en|em|no|na|in)\b")),
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
_NOT_THE_ROUND = re.compile(
    r"\b(?:valuation|valued|valuing|valoracion|valuacion|valorizacion|avaliad[ao]|avaliacao|valor de mercado"
    r"|market cap|revenues?|sales|ingresos|ventas|facturacion|receita|faturamento|gmv|arr|tpv|lucro|profit"
    r"|ebitda)(?:\s+\w+){0,2}\s*$")
_VALUATION_AFTER = re.compile(r"^\s*(?:valuation|post-money|pre-money)\b")
_ROUND_CUE = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|lands?|landed|bags?|bagged|nabs?|nabbed|snags?|funding"
    r"|clos(?:e|es|ed)|obtain(?:s|ed)?|financing|round|seed|series [a-h]|pre-seed|investment|invest(?:s|ed)"
    r"|backed|venture debt|debt facility|aport(?:a|o|aron|ou|aram)|invirti(?:o|eron)|investi(?:u|ram)"
    r"|captaron|levantaron|recaudaron|financiamento|obteve|recebeu|recibio|received|receives|cheque"
    r"|credit (?:line|facility)|levant(?:a|o|aron|ado)|recaud(?:a|o|aron)|capt(?:a|o|ou|aram|ado|acao)"
    r"|consiguio|consigue|obtuv(?:o|ieron)|obtiene|ronda|inversion|financiamiento|aporte|rodada|investimento"
    r"|linea de credito|linha de credito|semilla|semente|fidc|serie [a-h])\b")
_ROUND_NOUN = re.compile(r"\b(?:round|ronda|rodada|seed|semilla|semente|series [a-h]|serie [a-h]|aporte)\b")
_STRONG_ROUND = re.compile(
    r"\b(?:rais(?:es|ed)|secured|closed|closes|levanto|levantou|recaudo|captou|cerro|fechou|recebeu|recibio"
    r"|announced|anuncio|anunciou)\b")


def _classify(cue_text: str, primary: Money | None, folded_sentence: str,
              names_a_type: bool) -> tuple[bool, str | None] | None:
    """(is_round, not_round_reason), or None when the sentence is not about funding at all."""
    for reason, pattern in _NOT_ROUND:
        if pattern.search(cue_text):
            return False, reason
    if primary is not None and _is_running_total(folded_sentence, primary):
        return False, "aggregate"
    if primary is not None and _is_background(folded_sentence, primary):
        return False, "other"
    if names_a_type or _ROUND_CUE.search(cue_text):
        return True, None
    return None


def _is_running_total(folded: str, money: Money) -> bool:
    return bool(_TOTAL_BEFORE.search(folded[max(0, money.start - 40):money.start])
                or _TOTAL_AFTER.match(folded[money.end:money.end + 50]))


def _is_background(folded: str, money: Money) -> bool:
    return bool(_PRIOR_BEFORE.search(folded[max(0, money.start - 60):money.start])
                or _PRIOR_AFTER.match(folded[money.end:]))


def _pick_money(folded: str, money: list[Money]) -> Money | None:
    """The round's amount: the first that is not a price, valuation, revenue, running total or past round."""
    plausible = [m for m in money if m.amount >= MIN_ROUND_AMOUNT]
    candidates = [m for m in plausible if not _NOT_THE_ROUND.search(folded[max(0, m.start - 45):m.start])
                  and not _VALUATION_AFTER.match(folded[m.end:])]
    fresh = [m for m in candidates if not (_is_running_total(folded, m) or _is_background(folded, m))]
    return (fresh or candidates or [None])[0]


_DESCRIPTOR_SUFFIX = re.compile(r"(?:tech|-based|-driven|-powered|-stage|-focused|-backed|-founded)$")
_SUBJECT_VERB = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed)|clos(?:e|es|ed)|lands?|landed|bags?|bagged|nabs?|nabbed|snags?"
    r"|gets?|got|obtain(?:s|ed)?|receive[sd]?|announce[sd]?|attracts?|levant[ao]|recaud[ao]|capt[ao]|captou"
    r"|consigu(?:e|io)|obtuvo|obtiene|cerro|cierra|recibio|recibe|anuncio|anuncia|anunciou|logro|levantou"
    r"|recebe|recebeu|fecha|fechou|garante|garantiu|conquista|conquistou|obteve|estruturou|estructuro"
    r"|acquir(?:e|es|ed)|adquirio|adquiere|adquiriu|compro|comprou|issued|emitio|emitiu|coloco|priced"
    r"|won|gano|ganhou|negocia|estaria|is|prepara|filed|estreou|soma|suma|acumula|will|invertira|vai|has|had"
    r"|habia|havia|levantaron|captaram|closes|aportaron|cerrar|levantar|recaudar|captar|fechar|raise)\b")


_STRONG_FUNDING = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|funding|round|seed|pre-seed|series [a-h]|secures?|secured|backs|backed"
    r"|venture debt|levanta|levanto|recauda|recaudo|ronda|semilla|serie [a-h]|capta|captou|captacao|aporte"
    r"|rodada|semente|fondo|fundo|fund)\b")
_WEAK_FUNDING = re.compile(r"\b(?:invest(?:s|ed|ment|ments)?|inversion(?:es)?|investimentos?|financiamiento"
                           r"|financiamento|financing|capital)\b")


def looks_like_funding(text: str) -> bool:
    """Whether a feed item's title and summary look like funding news worth fetching the page of."""
    folded = fold(text)
    return bool(_STRONG_FUNDING.search(folded) or (_WEAK_FUNDING.search(folded) and find_money(text)))
