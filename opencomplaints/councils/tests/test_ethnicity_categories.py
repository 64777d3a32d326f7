"""The ethnicity schemes seeded by migration 0003 (R6.2, R6.3)."""

import pytest

from opencomplaints.councils.models import EqualityScheme, EthnicityCategory

pytestmark = pytest.mark.django_db

CENSUS_BROAD_GROUPS = {
    "Asian, Asian British or Asian Welsh": ["bangladeshi", "chinese", "indian", "pakistani", "other_asian"],
    "Black, Black British, Black Welsh, Caribbean or African": ["african", "caribbean", "other_black"],
    "Mixed or Multiple ethnic groups": [
        "white_and_asian",
        "white_and_black_african",
        "white_and_black_caribbean",
        "other_mixed",
    ],
    "White": ["white_british", "irish", "gypsy_or_irish_traveller", "roma", "other_white"],
    "Other ethnic group": ["arab", "any_other_ethnic_group"],
}

DFE_CODES = [
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
    "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
]  # fmt: skip


def census():
    return EthnicityCategory.objects.filter(scheme=EqualityScheme.CENSUS_2021)


def dfe():
    return EthnicityCategory.objects.filter(scheme=EqualityScheme.DFE_CSC)


def test_census_2021_has_19_groups_in_5_broad_groups_plus_two_system_values():
    grouped: dict[str, list[str]] = {}
    for row in census():
        grouped.setdefault(row.broad_group, []).append(row.code)

    assert census().count() == 21
    assert {g: codes for g, codes in grouped.items() if g in CENSUS_BROAD_GROUPS} == CENSUS_BROAD_GROUPS
    assert sum(len(codes) for codes in CENSUS_BROAD_GROUPS.values()) == 19
    assert list(census().order_by("position").values_list("code", flat=True))[-2:] == [
        "prefer_not_to_say",
        "not_known",
    ]


def test_census_names_are_the_ons_wording():
    names = dict(census().values_list("code", "name"))
    assert names["white_british"] == "English, Welsh, Scottish, Northern Irish or British"
    assert names["roma"] == "Roma"
    assert names["other_mixed"] == "Other Mixed or Multiple ethnic groups"
    assert names["prefer_not_to_say"] == "Prefer not to say"


def test_dfe_codes_are_all_present_in_guidance_order():
    assert list(dfe().values_list("code", flat=True)) == DFE_CODES


def test_dfe_groups_differ_from_the_census_r6_3():
    groups = dict(dfe().values_list("code", "broad_group"))
    assert groups["CHNE"] == groups["OOTH"] == "Chinese or other ethnic group"
    assert groups["WROM"] == groups["WIRT"] == "White"
    assert groups["AIND"] == "Asian or Asian British"
    assert groups["REFU"] != groups["NOBT"]
    assert not dfe().filter(name__icontains="Arab").exists()


def test_codes_are_unique_within_each_scheme_and_positions_run_in_order():
    for rows in (census(), dfe()):
        positions = list(rows.values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1))
