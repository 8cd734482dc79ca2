"""Controlled vocabularies that the seed files use: outcome measures, phases, kinds.

The clinical content lives in seeds/; this module only names the kinds of things a
seed may say, so that a typo in a measure name is an error and not a new measure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str  # "time", "percent", "ratio", "count"
    needs_timepoint: bool = False
    comparison: bool = False


_MEASURES = [
    Measure("pfs_median", "Median PFS", "time"),
    Measure("os_median", "Median OS", "time"),
    Measure("pfs2_median", "Median PFS to second progression", "time"),
    Measure("ttp_median", "Median time to progression", "time"),
    Measure("dor_median", "Median duration of response", "time"),
    Measure("treatment_duration_median", "Median duration of treatment", "time"),
    Measure("followup_median", "Median follow-up", "time"),
    Measure("pfs_rate", "Progression-free rate", "percent", needs_timepoint=True),
    Measure("os_rate", "Overall survival rate", "percent", needs_timepoint=True),
    Measure("pfs2_rate", "Free of second progression", "percent", needs_timepoint=True),
    Measure("orr", "Objective response rate", "percent"),
    Measure("cr", "Complete response", "percent"),
    Measure("pr", "Partial response", "percent"),
    Measure("sd", "Stable disease", "percent"),
    Measure("sd_durable", "Durable stable disease", "percent"),
    Measure("pd", "Progressive disease", "percent"),
    Measure("dcr", "Disease control rate", "percent"),
    Measure("cbr", "Clinical benefit rate", "percent"),
    Measure("tumour_shrinkage", "Any tumour shrinkage", "percent"),
    Measure("ae_any", "Any adverse event", "percent"),
    Measure("ae_grade3plus_any", "Any grade >= 3 adverse event", "percent"),
    Measure("ae_grade4_any", "Any grade 4 adverse event", "percent"),
    Measure("ae_discontinuation", "Discontinued for adverse events", "percent"),
    Measure("ae_dose_reduction", "Dose reduced for adverse events", "percent"),
    Measure("ae_dose_interruption", "Dose interrupted for adverse events", "percent"),
    Measure("crossover", "Crossed over at progression", "percent"),
    Measure("mortality", "Deaths during follow-up", "percent"),
    Measure("deaths", "Deaths", "count"),
    Measure("treatment_related_deaths", "Treatment-related deaths", "count"),
    Measure("pfs_hr", "Hazard ratio, PFS", "ratio", comparison=True),
    Measure("os_hr", "Hazard ratio, OS", "ratio", comparison=True),
    Measure("orr_difference", "Difference in response rate", "percent", comparison=True),
]

MEASURES: dict[str, Measure] = {m.key: m for m in _MEASURES}

TIME_UNITS = ("months", "weeks", "days", "years")

PHASES = ("1", "1b", "1-2", "1b-2", "2", "2-3", "3", "4", "observational", "not stated")

STUDY_KINDS = (
    "randomized trial",
    "single-arm trial",
    "non-randomized trial",
    "trial, design not stated",
    "real-world series",
    "compassionate use",
    "expanded access",
    "retrospective series",
)

STATUSES = (
    "completed",
    "ongoing",
    "recruiting",
    "not yet recruiting",
    "active, not recruiting",
    "terminated",
    "unknown",
)

# single: the only arm of a study; cohort, stratum: a group defined by who was enrolled, not by
# allocation; pooled: all patients together (never a therapy's lead arm, never a study's only arm).
ARM_ROLES = ("experimental", "control", "single", "cohort", "stratum", "pooled")
# The roles a comparison may run from; it always runs to a control arm.
COMPARED_ROLES = ("experimental", "cohort", "stratum", "single")

NOTE_KINDS = ("contradiction", "ambiguity", "context")

# document: one of the curated source documents; standard: a public standard (WHO, CTCAE, RECIST);
# registry: a trial-registry record (ClinicalTrials.gov); publication: a trial's own paper or a
# published scorecard outside the curated documents. The last two are cited only for a study's
# identifiers (its acronym or registry number), never for a figure. label: a regulator's product
# information (US prescribing information, EU product information), cited only for a brand name.
SOURCE_KINDS = ("document", "standard", "registry", "publication", "label")
IDENTIFIER_SOURCE_KINDS = ("registry", "publication")
BRAND_SOURCE_KINDS = ("label",)  # a regulator's product information: cited only for a drug's brand names
NAME_SOURCE_KINDS = IDENTIFIER_SOURCE_KINDS + BRAND_SOURCE_KINDS  # cited only for a name, never a figure or fact
REGIONS = ("US", "EU")

# A study's identifiers not printed in the sources (`identifiers:`): its acronym, its registry number.
IDENTIFIER_KINDS = ("acronym", "nct")

GRADING_KINDS = ("tumour_grade", "response", "performance", "definition")

# Whom a count counts, as the source says it; "not stated" where it does not.
SCOPES = ("randomised", "enrolled", "arm", "treated", "evaluable", "subgroup", "not stated")

# An interval's level as printed; "range" and "not stated" where the source gives bracketed
# numbers without calling them a confidence interval of a stated level.
CI_LEVELS = ("90", "95", "96", "98", "99", "range", "not stated")

# Who was treated, how the study was built, what it set out to show (docs/seed-format.md, last
# section). A field the source is silent on is the text NOT_STATED.
NOT_STATED = "not stated"
ALLOCATIONS = ("randomised", "non-randomised", "single-arm", NOT_STATED)
GROUP_KINDS = ("arms", "cohorts", "strata")
LINES = ("first", "later", "mixed", NOT_STATED)
PRIOR_RULES = ("required", "allowed", "excluded")
MARKER_RULES = ("required", "excluded")
FUNCTIONAL = ("functional", "nonfunctional", "both", NOT_STATED)
SSTR = ("required", NOT_STATED)
RESULTS = ("met", "not met", "met at an interim analysis", NOT_STATED)
# `functional`, `sstr` and `grades` are for a study with a disease under this one.
NET_ROOT = "net"
# The markers of seeds/markers.yaml are thyroid and tumour-agnostic markers: a study that requires
# one is expected to have a disease under one of these (else `check` warns).
MARKER_ROOTS = ("thyroid-cancer", "solid-tumours")
