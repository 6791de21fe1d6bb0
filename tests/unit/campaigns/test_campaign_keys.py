from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ballotguard.campaigns import ReportFacts, correlation_keys
from ballotguard.campaigns.text import (
    BANDS,
    jaccard,
    narrative_keys,
    signature,
    similar,
    words,
)
from ballotguard.vocabulary import Phase

T0 = datetime(2020, 1, 1, tzinfo=UTC)


def _facts(moment: datetime, techniques: frozenset[str]) -> ReportFacts:
    return ReportFacts("r", moment, Phase.CAMPAIGN, frozenset(), frozenset(), techniques,
                       frozenset())


@settings(max_examples=300, deadline=None)
@given(start=st.floats(0, 3_000), gap=st.floats(0, 14))
def test_observations_within_14_days_share_a_technique_key(start: float, gap: float) -> None:
    x = _facts(T0 + timedelta(days=start), frozenset({"disarm:T0049"}))
    y = _facts(T0 + timedelta(days=start + gap), frozenset({"disarm:T0049"}))
    assert {k for k in correlation_keys(x) & correlation_keys(y) if k.startswith("tech:")}


def test_technique_keys_name_the_bucket() -> None:
    keys = correlation_keys(_facts(datetime(2026, 10, 14, tzinfo=UTC), frozenset({"disarm:T1"})))
    assert keys == {"tech:disarm:T1:2026-10-12", "tech:disarm:T1:2026-10-26"}


def test_words_drop_stop_words_and_keep_numbers() -> None:
    assert words("The ballots in District 4 were SHREDDED, a video says") == {
        "ballots", "district", "4", "shredded", "video"}


def test_signature_is_the_least_hash_per_function() -> None:
    one, two = words("alpha beta gamma delta"), words("alpha beta gamma delta epsilon")
    assert len(signature(one)) == 3 * BANDS
    assert all(b <= a for a, b in zip(signature(one), signature(two), strict=True))
    assert signature(one) == signature(frozenset(sorted(one, reverse=True)))


def test_short_texts_have_no_narrative() -> None:
    assert narrative_keys(words("ballots shredded video")) == []
    assert similar(words("ballots shredded video"), words("ballots shredded video")) is None


def _vocabulary(rng: random.Random, n: int) -> list[str]:
    return [f"w{rng.getrandbits(40):x}" for _ in range(n)]


def test_lsh_catches_near_duplicates_and_rarely_unrelated_texts() -> None:
    rng = random.Random(11)
    vocabulary = _vocabulary(rng, 5_000)
    near = caught = unrelated = 0
    trials = 300
    for _ in range(trials):
        story = rng.sample(vocabulary, 16)
        x = frozenset(w for w in story if rng.random() < 0.85) | set(rng.sample(vocabulary, 2))
        y = frozenset(w for w in story if rng.random() < 0.85) | set(rng.sample(vocabulary, 2))
        if jaccard(x, y) >= 0.5:
            near += 1
            caught += bool(set(narrative_keys(x)) & set(narrative_keys(y)))
        other = frozenset(rng.sample(vocabulary, 16))
        unrelated += bool(set(narrative_keys(x)) & set(narrative_keys(other)))
    assert near >= 200 and caught / near >= 0.95
    assert unrelated / trials <= 0.02
