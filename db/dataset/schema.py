"""The dataset database's schema. Bump SCHEMA_VERSION whenever the DDL changes.

The dataset database is derived data: it is rebuilt from seeds/ whenever the seeds
or the schema version change, so a schema change needs no migration of its own.
(The user's notes live in a separate database, which does need migrations.)
"""

from __future__ import annotations

SCHEMA_VERSION = 17

DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE sources (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, short TEXT NOT NULL, citation TEXT NOT NULL,
    year TEXT, doi TEXT, pmid TEXT, nct TEXT, file TEXT, description TEXT, ord INTEGER NOT NULL
);

CREATE TABLE diseases (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, short TEXT, parent_id TEXT REFERENCES diseases(id),
    description TEXT, ord INTEGER NOT NULL
);

CREATE TABLE drugs (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, class TEXT NOT NULL, targets TEXT NOT NULL,
    route TEXT, ord INTEGER NOT NULL
);

-- A drug's therapy classes (seeds/therapy-classes.yaml): an earlier lenvatinib is an earlier vegfr-mki.
CREATE TABLE drug_classes (
    drug_id TEXT NOT NULL REFERENCES drugs(id), class_id TEXT NOT NULL, ord INTEGER NOT NULL,
    PRIMARY KEY (drug_id, class_id)
) WITHOUT ROWID;
CREATE INDEX drug_classes_class ON drug_classes(class_id);

-- The vocabularies of therapy classes and markers (seeds/therapy-classes.yaml, seeds/markers.yaml):
-- `kind` 'class' or 'marker'; their names and synonyms are in entity_names under the same kind.
CREATE TABLE vocabulary (
    kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, ord INTEGER NOT NULL, PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TABLE entity_names (
    entity_kind TEXT NOT NULL, entity_id TEXT NOT NULL, name TEXT NOT NULL,
    name_kind TEXT NOT NULL
);
CREATE INDEX entity_names_entity ON entity_names(entity_kind, entity_id);

CREATE TABLE drug_facts (
    id INTEGER PRIMARY KEY, drug_id TEXT NOT NULL REFERENCES drugs(id), kind TEXT NOT NULL,
    text TEXT NOT NULL, source_id TEXT NOT NULL REFERENCES sources(id), locator TEXT NOT NULL
);

-- Brand names from a regulator's product information (seeds/brands.yaml; not from the curated sources): each
-- is cited to that label (`source_id`, a source of kind 'label'); `regions` where the name is used ("US EU").
-- They are in entity_names too (name_kind 'brand'), with the brands a drug's own seed file lists.
CREATE TABLE drug_brands (
    drug_id TEXT NOT NULL REFERENCES drugs(id), name TEXT NOT NULL, regions TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id), locator TEXT NOT NULL, ord INTEGER NOT NULL
);
CREATE INDEX drug_brands_drug ON drug_brands(drug_id);

CREATE TABLE approvals (
    id INTEGER PRIMARY KEY, drug_id TEXT NOT NULL REFERENCES drugs(id), agency TEXT NOT NULL,
    year TEXT, indication TEXT NOT NULL, diseases TEXT NOT NULL, note TEXT,
    source_id TEXT NOT NULL REFERENCES sources(id), locator TEXT NOT NULL
);

CREATE TABLE ae_terms (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, ctcae_term TEXT, short TEXT, meddra TEXT, soc TEXT,
    definition TEXT, grade1 TEXT, grade2 TEXT, grade3 TEXT, grade4 TEXT, grade5 TEXT,
    ord INTEGER NOT NULL
);

CREATE TABLE grading_systems (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, edition TEXT NOT NULL,
    site TEXT, rule TEXT, combine TEXT, note TEXT, columns TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id), locator TEXT NOT NULL, ord INTEGER NOT NULL
);

CREATE TABLE grading_rows (
    id INTEGER PRIMARY KEY, system_id TEXT NOT NULL REFERENCES grading_systems(id),
    grade TEXT NOT NULL, label TEXT NOT NULL, description TEXT, criteria TEXT NOT NULL,
    ord INTEGER NOT NULL
);

-- `design`, `population`, `endpoints`: JSON objects as the seed writes them, each item with its
-- `source` and `at` (db/dataset/population.py); an arm's `population` holds where a cohort or stratum differs.
-- `population_line` (db/presentation/who.py `line_word`: first, later, mixed, not stated) and `population_markers`
-- (the population's markers entry, JSON, without its citations): what the Trials table's Line and
-- Markers columns filter and sort by, read for every study without parsing its population.
CREATE TABLE studies (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, acronym TEXT, first_author TEXT, year TEXT,
    title TEXT, nct TEXT, phase TEXT NOT NULL, kind TEXT NOT NULL, design TEXT,
    status TEXT NOT NULL, setting TEXT, population TEXT, endpoints TEXT, summary TEXT,
    population_line TEXT NOT NULL DEFAULT 'not stated', population_markers TEXT NOT NULL DEFAULT '"not stated"',
    enrolled_text TEXT, enrolled REAL, enrolled_source TEXT REFERENCES sources(id), enrolled_locator TEXT,
    enrolled_scope TEXT, enrolled_note TEXT, enrolled_reading TEXT,
    evaluable_text TEXT, evaluable REAL, evaluable_source TEXT REFERENCES sources(id), evaluable_locator TEXT,
    evaluable_scope TEXT, evaluable_note TEXT, evaluable_reading TEXT,
    source_id TEXT NOT NULL REFERENCES sources(id), locator TEXT NOT NULL, ord INTEGER NOT NULL
);
-- The Trials tab groups every study by these (db/trials/queries.py GROUPS): along this index, without
-- sorting the table (100 000 studies: 25-40 ms instead of 100-150 ms).
CREATE INDEX studies_groups ON studies(phase, status, population_line, population_markers, id);

CREATE TABLE study_diseases (
    study_id TEXT NOT NULL REFERENCES studies(id), disease_id TEXT NOT NULL REFERENCES diseases(id),
    ord INTEGER NOT NULL, PRIMARY KEY (study_id, disease_id)
);

-- Identifiers the sources do not print (an acronym, a ClinicalTrials.gov number), each cited to the
-- registry record or publication that gives it (sources of kind registry or publication).
CREATE TABLE study_identifiers (
    study_id TEXT NOT NULL REFERENCES studies(id), kind TEXT NOT NULL, value TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id), locator TEXT NOT NULL, ord INTEGER NOT NULL
);
CREATE INDEX study_identifiers_study ON study_identifiers(study_id);

CREATE TABLE arms (
    id INTEGER PRIMARY KEY, study_id TEXT NOT NULL REFERENCES studies(id), key TEXT NOT NULL,
    label TEXT NOT NULL, role TEXT NOT NULL, regimen_key TEXT NOT NULL, regimen_label TEXT NOT NULL,
    n_text TEXT, n REAL, n_source TEXT REFERENCES sources(id), n_locator TEXT, n_scope TEXT, n_note TEXT,
    n_reading TEXT, population TEXT, ord INTEGER NOT NULL, UNIQUE (study_id, key)
);
CREATE INDEX arms_regimen ON arms(regimen_key);

CREATE TABLE arm_drugs (
    arm_id INTEGER NOT NULL REFERENCES arms(id), drug_id TEXT NOT NULL REFERENCES drugs(id),
    dose TEXT, route TEXT, schedule TEXT, ord INTEGER NOT NULL
);
CREATE INDEX arm_drugs_drug ON arm_drugs(drug_id);
CREATE INDEX arm_drugs_arm ON arm_drugs(arm_id, ord);
-- The drugs some arm of each study gives (arm_drugs through arms; written by the build from them): the Trials
-- tab's drug and drug-class filters read a study per drug along this key, not a row of arm_drugs and of arms per
-- arm (a class of 17 000 studies at 100 000: 5-10 ms instead of 25-35 ms).
CREATE TABLE study_drugs (
    drug_id TEXT NOT NULL REFERENCES drugs(id), study_id TEXT NOT NULL REFERENCES studies(id),
    PRIMARY KEY (drug_id, study_id)
) WITHOUT ROWID;

CREATE TABLE outcomes (
    id INTEGER PRIMARY KEY, study_id TEXT NOT NULL REFERENCES studies(id),
    arm_id INTEGER REFERENCES arms(id), vs_arm_id INTEGER REFERENCES arms(id),
    measure TEXT NOT NULL, value_text TEXT NOT NULL, value REAL, qualifier TEXT NOT NULL,
    unit TEXT, ci_low_text TEXT, ci_low REAL, ci_high_text TEXT, ci_high REAL,
    p_text TEXT, p REAL, timepoint TEXT, count_text TEXT, subgroup TEXT, note TEXT,
    ci_level TEXT, label TEXT, caveat TEXT, of_text TEXT, of_scope TEXT, verdict TEXT,
    figure_id TEXT NOT NULL, reading_id TEXT NOT NULL UNIQUE, preferred INTEGER NOT NULL, why TEXT,
    source_id TEXT NOT NULL REFERENCES sources(id), locator TEXT NOT NULL, ord INTEGER NOT NULL
);
CREATE INDEX outcomes_study ON outcomes(study_id);
CREATE INDEX outcomes_arm ON outcomes(arm_id);

CREATE TABLE adverse_events (
    id INTEGER PRIMARY KEY, study_id TEXT NOT NULL REFERENCES studies(id),
    arm_id INTEGER NOT NULL REFERENCES arms(id), ae_id TEXT NOT NULL REFERENCES ae_terms(id),
    term TEXT NOT NULL, all_text TEXT, all_value REAL, all_qualifier TEXT,
    high_text TEXT, high_value REAL, high_qualifier TEXT, high_band TEXT NOT NULL, note TEXT, caveat TEXT,
    figure_id TEXT NOT NULL, reading_id TEXT NOT NULL UNIQUE, preferred INTEGER NOT NULL, why TEXT,
    source_id TEXT NOT NULL REFERENCES sources(id), locator TEXT NOT NULL, ord INTEGER NOT NULL
);
CREATE INDEX adverse_events_arm ON adverse_events(arm_id);
CREATE INDEX adverse_events_term ON adverse_events(ae_id);
CREATE INDEX adverse_events_study ON adverse_events(study_id);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY, study_id TEXT NOT NULL REFERENCES studies(id),
    arm_id INTEGER REFERENCES arms(id), kind TEXT NOT NULL, text TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id), locator TEXT NOT NULL, ord INTEGER NOT NULL
);
CREATE INDEX notes_study ON notes(study_id);
CREATE INDEX notes_arm ON notes(arm_id);  -- an arm's ambiguities beside its figures (db/toxicity/queries.py arm_notes)

-- Which readings a contradiction, ambiguity or caveat note marks (db/dataset/readings.py ids).
CREATE TABLE note_figures (
    note_id INTEGER NOT NULL REFERENCES notes(id), reading_id TEXT NOT NULL
);
CREATE INDEX note_figures_reading ON note_figures(reading_id);
CREATE INDEX note_figures_note ON note_figures(note_id);

-- What the options of a case read (db/case; written by db/building/case_rows.py): a row per therapy (`regimen_key`)
-- and disease family (`root`, the family's top disease) with an arm under test in a study of it; its arms, in the
-- evidence order of every study in no setting (the study's place: design, n, year, seed order; then arm id), as
-- lists, one item per arm: `studies` the study ids, `places` the studies' places, `seeds` the arm's position among
-- the therapy's arms here in seed order, `kinds` the study's disease list (case_diseases: ids, sorted,
-- space-separated) times 7 plus its design rank, `populations` its patients' (case_populations: the study's, a
-- cohort's or stratum's own over it, as JSON), all space-separated; `names` what a reason names of the arm (its
-- study's short name, a cohort's or stratum's label) and `keys` the arm's key, joined by U+001F; `label` the
-- regimen's. A case reads its family's rows and a few hundred disease lists and populations.
CREATE TABLE case_therapies (
    root TEXT NOT NULL, regimen_key TEXT NOT NULL, studies TEXT NOT NULL, places TEXT NOT NULL,
    seeds TEXT NOT NULL, kinds TEXT NOT NULL, populations TEXT NOT NULL, names TEXT NOT NULL, keys TEXT NOT NULL,
    label TEXT NOT NULL, PRIMARY KEY (root, regimen_key)
) WITHOUT ROWID;
CREATE TABLE case_diseases (id INTEGER PRIMARY KEY, diseases TEXT NOT NULL);
CREATE TABLE case_populations (id INTEGER PRIMARY KEY, population TEXT NOT NULL);

-- `diseases`: a study's own disease ids (space-separated), so search can tell a study in the
-- query's disease from one in a parent or an unrelated disease without reading the study;
-- `design`: its design rank (db/presentation/evidence.py), 0 for documents that are not studies or their figures.
CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, title TEXT NOT NULL,
    snippet TEXT NOT NULL, prior REAL NOT NULL, diseases TEXT NOT NULL DEFAULT '',
    design INTEGER NOT NULL DEFAULT 0
);
-- search_docs is numbered in static rank order (db/building/search_index.py), kind by kind and, within
-- a kind, by prior: each band of rowids from `first` up to the next band shares a kind and a
-- prior, so search knows a hit's kind and prior without reading its row. Studies and their toxicity
-- rows are ordered by evidence (db/presentation/evidence.py): `design` is the band's design rank (0 randomised
-- phase 3 ... 6 not stated; 0 for other kinds) and, within a band, rowids follow n and year.
CREATE TABLE search_bands (
    first INTEGER PRIMARY KEY, kind TEXT NOT NULL, prior REAL NOT NULL, design INTEGER NOT NULL DEFAULT 0
);

-- `title`: what the hit is called when this key is typed, where not the document's title: a brand shows
-- with its drug ("Lutathera (177Lu-Dotatate)").
CREATE TABLE search_keys (key TEXT NOT NULL, doc_id INTEGER NOT NULL REFERENCES search_docs(id), title TEXT);
CREATE INDEX search_keys_key ON search_keys(key);

-- Every indexed term with the number of documents it occurs in (counted per column, so an
-- upper bound) and whether it is a word that names something (in a title, names, drugs,
-- diseases or adverse events; no digits): search expands prefixes, estimates the cost of
-- ranking, and corrects typos from the named words.
CREATE TABLE search_terms (
    term TEXT PRIMARY KEY, docs INTEGER NOT NULL, named INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX search_terms_named ON search_terms(term) WHERE named;

-- Who each study treated, as search reads it (db/search/who.py; written by db/building/who_rows.py): a row
-- for each line, earlier-therapy class and marker that a study's population states (`scope` '') or a
-- cohort's or stratum's own population over the study's (`scope` the arm's key, `label` its label).
-- `what` 'line' (`value` first, later or mixed; `share` as printed), 'prior' (`value` a class id, `rule`
-- required, allowed or excluded, `share` as printed) or 'marker' (a marker id, `rule` required or excluded).
CREATE TABLE search_population (
    doc_id INTEGER NOT NULL REFERENCES search_docs(id), what TEXT NOT NULL, value TEXT NOT NULL,
    scope TEXT NOT NULL, rule TEXT NOT NULL, share TEXT NOT NULL, label TEXT NOT NULL,
    PRIMARY KEY (doc_id, what, value, scope)
) WITHOUT ROWID;
CREATE INDEX search_population_value ON search_population(what, value, rule, doc_id);

-- The names a query may give a therapy class (`kind` 'class': the class's names and synonyms and the names
-- of every drug in it) or a marker ('marker': its names and synonyms, and its gene alone), as folded words
-- separated by one space: 'lenvatinib' -> vegfr-mki, 'braf' -> braf-v600e and braf-mutation.
CREATE TABLE search_phrases (words TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL);

-- `endpoints`: every spelling of each end point a study reports ('PFS progression-free survival'),
-- db/search/endpoints.py.
CREATE VIRTUAL TABLE search USING fts5(
    title, names, drugs, diseases, aes, endpoints, facets, body,
    content='', tokenize="unicode61 remove_diacritics 2", prefix='1 2 3'
);
"""
