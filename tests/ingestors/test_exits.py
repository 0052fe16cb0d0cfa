"""Buyer and target of an acquisition told apart by the sentence's grammar (ingestors.domain.exits)."""

from __future__ import annotations

import pytest

from ingestors.domain.exits import exit_rows, split_acquisition

# Sentences of our own, in the shapes the region's press uses; the companies are invented.
CASES = [
    ("Lumora adquiere la startup argentina Kintal por US$ 20 millones.", "Kintal", "Lumora", "Kintal", "active"),
    ("Kintal fue adquirida por Lumora en una operación de US$ 20 millones.", "Kintal", "Lumora", "Kintal",
     "passive"),
    ("São Paulo — A fintech Pagoz foi comprada pelo Banco Varuna.", "Pagoz", "Banco Varuna", "Pagoz", "passive"),
    ("Trevo acquired the Brazilian startup Foo Labs for $10 million.", "Trevo", "Trevo", "Foo Labs", "active"),
    ("A Nuvix comprou a Easyvest por R$ 100 milhões.", "Nuvix", "Nuvix", "Easyvest", "active"),
    ("Quilla was acquired by Orbe Holdings, the companies said.", "Quilla", "Orbe Holdings", "Quilla", "passive"),
    # lower-case descriptors and a stake share before the target's name are not the name
    ("La aseguradora Tambo compró el banco chileno Lircay por US$ 12 millones.", "Tambo", "Tambo", "Lircay",
     "active"),
    ("Orbe Holdings has acquired Peruvian logistics startup Ruta Sur.", "Orbe Holdings", "Orbe Holdings",
     "Ruta Sur", "active"),
    ("A Varuna fechou a compra de 45% da healthtech Clínica Aberta.", "Varuna", "Varuna", "Clínica Aberta",
     "active"),
    # "agreed to buy" and "acordó comprar" are buying verbs; a number before the verb is not the buyer
    ("LIMA — Peruvian grocer Mercado Inca agreed to buy delivery app Yapa for $6 million.", "Yapa",
     "Mercado Inca", "Yapa", "active"),
    ("Pampa Pay, valorada en 1.200 millones de dólares, acordó comprar el 100% de la aseguradora Garúa.",
     "Pampa Pay", "Pampa Pay", "Garúa", "active"),
]


@pytest.mark.parametrize(("sentence", "company", "acquirer", "target", "voice"), CASES)
def test_buyer_and_target(sentence, company, acquirer, target, voice):
    split = split_acquisition(sentence, company)
    assert (split.acquirer, split.target) == (acquirer, target)
    assert voice in split.rule


def test_without_a_buying_verb_the_extractor_company_is_the_target_and_the_buyer_unknown():
    split = split_acquisition("The deal closed on Monday after months of talks.", "Quilla")
    assert (split.acquirer, split.target) == (None, "Quilla")
    assert "no buying verb" in split.rule


def test_ipos_have_no_buyer_and_a_buyer_equal_to_the_target_is_dropped():
    rows = exit_rows([
        {"event_id": "a#1", "not_round_reason": "ipo", "sentence": "Quilla lists on B3.", "company_name": "Quilla"},
        {"event_id": "a#2", "not_round_reason": "acquisition", "sentence": "Quilla acquires Quilla.",
         "company_name": "Quilla"},
    ])
    assert rows[0] == ("a#1", "ipo", None, "Quilla", "ipo: the extractor's company lists")
    assert rows[1][2:4] == (None, "Quilla") and "buyer dropped" in rows[1][4]
