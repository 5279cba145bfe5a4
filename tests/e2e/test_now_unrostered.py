async def test_now_before_any_roster_is_configured(member):
    anna = await member("Anna de Vries")
    assert await anna.ask("/now") == (
        "Er zijn nog geen diensten ingeroosterd. Een teamleider stelt ze in met /rota."
    )
