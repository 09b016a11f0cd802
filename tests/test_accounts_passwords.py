from referral.accounts import passwords


def codes(password: str, email: str | None = None) -> set[str]:
    return {p.code for p in passwords.problems(password, email=email)}


def test_password_of_eleven_characters_is_too_short():
    assert codes("kettle-moss") == {"too_short"}


def test_password_of_twelve_characters_is_accepted():
    assert codes("kettle-moss!") == set()


def test_long_passphrases_up_to_128_characters_are_accepted():
    assert codes("river stone " * 5 + "tree") == set()  # 64 characters
    assert codes(("lantern harbor " * 9)[:128]) == set()


def test_password_longer_than_128_characters_is_refused():
    assert "too_long" in codes("x7" * 65)


def test_no_composition_rules_all_lowercase_words_are_fine():
    assert codes("purple monkey dishwasher") == set()


def test_unicode_and_spaces_are_allowed():
    assert codes("ñandú corre rápido 🐦") == set()


def test_common_password_is_refused_whatever_its_case():
    assert "common" in codes("1q2w3e4r5t6y")
    assert "common" in codes("1Q2W3E4R5T6Y")


def test_shipped_list_has_the_common_passwords():
    common = passwords.common_passwords()
    assert len(common) > 15_000
    assert {"password", "123456", "qwerty", "iloveyou"} <= common


def test_repeated_common_password_is_refused():
    assert "common" in codes("passwordpassword")
    assert "common" in codes("aaaaaaaaaaaaaa")


def test_email_address_as_password_is_refused():
    assert "email" in codes("jane.doe.smith@example.org", email="jane.doe.smith@example.org")


def test_hash_is_argon2id_and_verifies_only_the_right_password():
    hashed = passwords.hash_password("purple monkey dishwasher")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "purple monkey dishwasher")
    assert not passwords.verify_password(hashed, "purple monkey dishwashe")


def test_unicode_forms_of_the_same_password_verify():
    hashed = passwords.hash_password("cafe\u0301 au lait noir")
    assert passwords.verify_password(hashed, "caf\u00e9 au lait noir")


def test_verifying_against_a_garbage_hash_is_false_not_an_error():
    assert not passwords.verify_password("not-a-hash", "anything at all")
