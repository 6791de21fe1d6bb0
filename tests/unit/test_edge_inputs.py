"""Inputs that once escaped as bare ValueErrors now name the field and the reason."""

from __future__ import annotations

import pytest

from ballotguard.errors import InvalidObservable, UnknownTerm
from ballotguard.sharing import ObservableKind, normalise
from ballotguard.vocabulary import Tlp


@pytest.mark.parametrize("url", ["http://a.org:99999/", "http://a.org:abc/", "http://[::1/"])
def test_urls_with_a_broken_host_or_port_are_invalid_observables(url: str) -> None:
    with pytest.raises(InvalidObservable, match="host or port is not valid") as caught:
        normalise(ObservableKind.URL, url)
    assert caught.value.field == "observables"


def test_one_letter_platforms_are_accepted() -> None:
    assert normalise(ObservableKind.SOCIAL_HANDLE, "x:@Example_Account") == "x:example_account"


def test_unknown_tlp_names_the_allowed_levels() -> None:
    with pytest.raises(UnknownTerm) as caught:
        Tlp.parse("BLUE")
    assert caught.value.field == "tlp"
    assert caught.value.allowed == ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
