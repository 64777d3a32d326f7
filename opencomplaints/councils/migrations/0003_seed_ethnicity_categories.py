"""Seed the two ethnicity schemes (R6.2, R6.3).

The lists are written out here rather than imported, so this migration keeps meaning what it meant when it ran.
Each value keeps its scheme: a child's ethnicity imported from the case system is in DfE codes while
complainants' monitoring uses the 2021 Census groups, and reports map between them (R6.3).
"""

from django.db import migrations

CENSUS_2021 = "census_2021"
DFE_CSC = "dfe_csc"

ASIAN = "Asian, Asian British or Asian Welsh"
BLACK = "Black, Black British, Black Welsh, Caribbean or African"
MIXED = "Mixed or Multiple ethnic groups"
WHITE = "White"
OTHER = "Other ethnic group"

# (code, name, broad group): the 19 groups of the 2021 Census (England and Wales) in the ONS order, then the
# two values the system adds (R6.2).
CENSUS_2021_GROUPS = [
    ("bangladeshi", "Bangladeshi", ASIAN),
    ("chinese", "Chinese", ASIAN),
    ("indian", "Indian", ASIAN),
    ("pakistani", "Pakistani", ASIAN),
    ("other_asian", "Other Asian", ASIAN),
    ("african", "African", BLACK),
    ("caribbean", "Caribbean", BLACK),
    ("other_black", "Other Black", BLACK),
    ("white_and_asian", "White and Asian", MIXED),
    ("white_and_black_african", "White and Black African", MIXED),
    ("white_and_black_caribbean", "White and Black Caribbean", MIXED),
    ("other_mixed", "Other Mixed or Multiple ethnic groups", MIXED),
    ("white_british", "English, Welsh, Scottish, Northern Irish or British", WHITE),
    ("irish", "Irish", WHITE),
    ("gypsy_or_irish_traveller", "Gypsy or Irish Traveller", WHITE),
    ("roma", "Roma", WHITE),
    ("other_white", "Other White", WHITE),
    ("arab", "Arab", OTHER),
    ("any_other_ethnic_group", "Any other ethnic group", OTHER),
    ("prefer_not_to_say", "Prefer not to say", "Prefer not to say"),
    ("not_known", "Not known or not recorded", "Not known or not recorded"),
]

# The DfE children's social care codes (CIN census, SSDA903), in the order the census guidance lists them. Their broad groups are the 2001 Census headings the
# codes come from: Chinese sits with "other", not with Asian, and there is no Arab group (R6.3).
DFE_ASIAN = "Asian or Asian British"
DFE_BLACK = "Black or Black British"
DFE_MIXED = "Mixed"
DFE_WHITE = "White"
DFE_OTHER = "Chinese or other ethnic group"

DFE_CSC_CODES = [
    ("WBRI", "White British", DFE_WHITE),
    ("WIRI", "White Irish", DFE_WHITE),
    ("WIRT", "Traveller of Irish heritage", DFE_WHITE),
    ("WOTH", "Any other White background", DFE_WHITE),
    ("WROM", "Gypsy/Roma", DFE_WHITE),
    ("MWBC", "White and Black Caribbean", DFE_MIXED),
    ("MWBA", "White and Black African", DFE_MIXED),
    ("MWAS", "White and Asian", DFE_MIXED),
    ("MOTH", "Any other Mixed background", DFE_MIXED),
    ("AIND", "Indian", DFE_ASIAN),
    ("APKN", "Pakistani", DFE_ASIAN),
    ("ABAN", "Bangladeshi", DFE_ASIAN),
    ("AOTH", "Any other Asian background", DFE_ASIAN),
    ("BCRB", "Black Caribbean", DFE_BLACK),
    ("BAFR", "Black African", DFE_BLACK),
    ("BOTH", "Any other Black background", DFE_BLACK),
    ("CHNE", "Chinese", DFE_OTHER),
    ("OOTH", "Any other ethnic group", DFE_OTHER),
    ("REFU", "Refused", "Refused"),
    ("NOBT", "Information not yet obtained", "Information not yet obtained"),
]

SCHEMES = {CENSUS_2021: CENSUS_2021_GROUPS, DFE_CSC: DFE_CSC_CODES}


def seed(apps, schema_editor):
    EthnicityCategory = apps.get_model("councils", "EthnicityCategory")
    db = schema_editor.connection.alias
    for scheme, rows in SCHEMES.items():
        for position, (code, name, broad_group) in enumerate(rows, start=1):
            EthnicityCategory.objects.using(db).update_or_create(
                scheme=scheme,
                code=code,
                defaults={"name": name, "broad_group": broad_group, "position": position},
            )


def unseed(apps, schema_editor):
    EthnicityCategory = apps.get_model("councils", "EthnicityCategory")
    db = schema_editor.connection.alias
    for scheme, rows in SCHEMES.items():
        EthnicityCategory.objects.using(db).filter(scheme=scheme, code__in=[code for code, _, _ in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_team_predecessor"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
