import hashlib

from linesight_audit.entries.chain import GENESIS_HASH, canonical, chain_hash


class TestCanonical:
    def test_keys_are_sorted_and_whitespace_removed(self):
        assert canonical({"b": 1, "a": [True, None, "x"]}) == b'{"a":[true,null,"x"],"b":1}'

    def test_numbers_follow_rfc8785(self):
        assert canonical({"n": 1.0, "m": 1e21}) == b'{"m":1e+21,"n":1}'


class TestChainHash:
    def test_hash_is_sha256_of_previous_hash_bytes_then_entry(self):
        entry = canonical({"seq": 1})
        want = hashlib.sha256(bytes(32) + entry).hexdigest()
        assert chain_hash(GENESIS_HASH, entry) == want

    def test_changing_the_previous_hash_changes_the_hash(self):
        entry = canonical({"seq": 2})
        assert chain_hash(GENESIS_HASH, entry) != chain_hash("11" * 32, entry)
