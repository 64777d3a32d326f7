from opencomplaints.reporting.redaction import NAME, candidate_words, is_name, name_parts, redact


def test_names_from_the_records_are_redacted_whole_and_in_parts():
    text = "Thank you to Priya Okonkwo-Bell and to okonkwo-bell's manager."
    assert redact(text, {"Priya", "Okonkwo-Bell", "Priya Okonkwo-Bell"}) == (
        f"Thank you to {NAME} and to {NAME}'s manager."
    )


def test_titled_names_and_initials():
    assert redact("Mrs Pemberton-Smythe was kind. Dr. A Quarshie helped.") == f"{NAME} was kind. {NAME} helped."


def test_common_first_names_are_redacted_even_when_not_in_the_records():
    assert redact("Zoe and Oliver were brilliant with my son.") == f"{NAME} and {NAME} were brilliant with my son."


def test_contact_details_are_removed():
    text = "Call me on 07700 900123 or write to parent@example.org please."
    assert redact(text) == "Call me on [contact details] or write to [contact details] please."


def test_ordinary_words_and_months_stay():
    text = "The Fostering Team visited in May and will call again."
    assert redact(text) == text


def test_candidate_words_are_only_capitalised_words():
    assert candidate_words(["Thank you Sam from the Team", "no names here"]) == {"Thank", "Sam", "Team"}


def test_ordinary_words_and_roles_from_the_records_are_never_redacted():
    # A compliment names someone by their role: the selector passes those words, and none is a name.
    names = {"the", "social", "worker", "Team", "Fostering", "manager", "A", "Okafor"}
    text = "The social worker in the Fostering Team and her manager, Okafor, were great. Thank you to the team."
    assert redact(text, names) == (
        "The social worker in the Fostering Team and her manager, [name], were great. Thank you to the team."
    )


def test_a_plain_surname_is_redacted_only_where_written_as_a_name():
    text = "The green room was calm and Dee Green listened; Green was kind. Young people said Ann Young helped."
    assert redact(text, {"Green", "Dee Green", "Young", "Ann Young"}) == (
        f"The green room was calm and {NAME} listened; {NAME} was kind. Young people said {NAME} helped."
    )


def test_name_parts_keep_only_the_names_of_a_description():
    assert name_parts("the social worker Sam Okafor") == {"Sam", "Okafor", "Sam Okafor"}
    assert name_parts("the Fostering Team") == set()
    assert not is_name("team")
    assert not is_name("The")
    assert is_name("Okafor")
