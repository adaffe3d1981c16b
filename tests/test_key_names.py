"""Every fact key the reader can produce has a name in both languages: no internal key
("received.postal") ever reaches a clerk's message."""
from __future__ import annotations

from auditor.check.catalog import known_keys, load_catalog


def test_every_known_key_has_a_vietnamese_and_an_english_name():
    catalog = load_catalog()
    missing = sorted(k for k in known_keys() if k not in catalog.keys)
    assert not missing, f"rules/keys.yaml names no {missing}"
    for key in known_keys():
        vi, en = catalog.key_name(key, "vi"), catalog.key_name(key, "en")
        assert vi != key and en != key and "." not in vi and "_" not in en, key
