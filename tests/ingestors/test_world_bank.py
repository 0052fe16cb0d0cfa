"""World Bank: which economies the fetch asks for."""


def test_only_world_bank_economies_are_asked_for():
    """Seven LatAm territories are not World Bank economies; asking for them spoils the whole request."""
    from ingestors.sources.world_bank import NOT_WORLD_BANK_ECONOMIES, economies

    asked = economies()
    assert not set(asked) & NOT_WORLD_BANK_ECONOMIES
    assert {"BRA", "MEX", "PRI", "CUW", "ABW", "MAF"} <= set(asked)
    assert len(asked) == 49 - 7
