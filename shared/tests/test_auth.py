"""Tokens, passwords and the users file."""

from __future__ import annotations

import json

import jwt
import pytest
from linesight_shared.auth import (
    Role,
    TokenIssuer,
    check_password,
    hash_password,
    load_users,
)
from linesight_shared.errors import Forbidden, Unauthorized
from linesight_shared.testing.fixtures import USERS_FILE


class TestTokens:
    def test_a_token_carries_the_user_and_roles(self):
        issuer = TokenIssuer("s" * 40)
        p = issuer.verify(issuer.issue("a.analyst", {"analyst"}))
        assert (p.username, p.roles, p.acting_service) == ("a.analyst", {"analyst"}, None)

    def test_a_job_token_names_the_user_and_the_acting_service(self):
        issuer = TokenIssuer("s" * 40)
        p = issuer.for_job("a.analyst", ["analyst"], "ingest")
        assert (p.username, p.acting_service) == ("a.analyst", "ingest")

    def test_a_token_signed_with_another_secret_is_refused(self):
        token = TokenIssuer("a" * 40).issue("x", {"analyst"})
        with pytest.raises(Unauthorized, match="not valid"):
            TokenIssuer("b" * 40).verify(token)

    def test_an_expired_token_is_refused(self):
        token = jwt.encode({"iss": "linesight-local", "sub": "x", "iat": 1, "exp": 2},
                           "s" * 40, algorithm="HS256")
        with pytest.raises(Unauthorized, match="expired"):
            TokenIssuer("s" * 40).verify(token)

    def test_an_unsigned_token_is_refused(self):
        token = jwt.encode({"iss": "linesight-local", "sub": "x", "iat": 1, "exp": 2**40},
                           key=None, algorithm="none")
        with pytest.raises(Unauthorized):
            TokenIssuer("s" * 40).verify(token)

    def test_a_missing_role_is_forbidden(self):
        issuer = TokenIssuer("s" * 40)
        p = issuer.verify(issuer.issue("x", {"analyst"}))
        with pytest.raises(Forbidden, match="disclosure_officer"):
            p.require(Role.disclosure_officer)


class TestPasswords:
    def test_the_right_password_checks_and_a_wrong_one_does_not(self):
        stored = hash_password("correct horse")
        assert check_password("correct horse", stored)
        assert not check_password("wrong horse", stored)

    def test_two_hashes_of_one_password_differ_by_salt(self):
        assert hash_password("x") != hash_password("x")


class TestUsersFile:
    def test_the_development_users_load_with_their_roles(self):
        users = load_users(USERS_FILE)
        assert users["d.officer"].roles == {"disclosure_officer"}
        assert check_password("analyst-demo-password", users["a.analyst"].password_hash)

    def test_an_unknown_role_is_an_error_naming_the_user(self, tmp_path):
        f = tmp_path / "users.json"
        f.write_text(json.dumps({"users": [{"username": "u", "roles": ["god"],
                                            "password_hash": "x"}]}))
        with pytest.raises(RuntimeError, match="'u' has unknown roles"):
            load_users(f)

    def test_malformed_json_names_the_file_and_line(self, tmp_path):
        f = tmp_path / "users.json"
        f.write_text('{\n "users": [\n oops]}')
        with pytest.raises(RuntimeError, match=r"users.json: line 3"):
            load_users(f)
