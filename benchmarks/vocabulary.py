"""Word lists for the synthetic registry: real clinical vocabulary beyond the shipped seeds.

The shipped drugs, diseases and adverse-event terms come from seeds/; these lists add
the long tail a department's trial registry has (more diseases, CTCAE terms, authors),
and the pieces from which drug names and trial acronyms are made.
"""

from __future__ import annotations

# (id, name, synonyms)
DISEASES = [
    ("sclc", "Small cell lung cancer", ["SCLC", "small-cell lung carcinoma"]),
    ("nsclc", "Non-small cell lung cancer", ["NSCLC", "non-small-cell lung carcinoma"]),
    ("hcc", "Hepatocellular carcinoma", ["HCC", "liver cancer"]),
    ("crc", "Colorectal cancer", ["CRC", "colorectal carcinoma", "bowel cancer"]),
    ("gastric-cancer", "Gastric cancer", ["gastric adenocarcinoma", "stomach cancer"]),
    ("pheo", "Pheochromocytoma", ["phaeochromocytoma", "PCC"]),
    ("paraganglioma", "Paraganglioma", ["PGL", "PPGL"]),
    ("merkel", "Merkel cell carcinoma", ["MCC", "neuroendocrine carcinoma of the skin"]),
    ("acc", "Adrenocortical carcinoma", ["ACC", "adrenal cortical carcinoma"]),
    ("melanoma", "Melanoma", ["cutaneous melanoma", "malignant melanoma"]),
    ("pdac", "Pancreatic adenocarcinoma", ["PDAC", "pancreatic ductal adenocarcinoma"]),
    ("gist", "Gastrointestinal stromal tumour", ["GIST", "gastrointestinal stromal tumor"]),
    ("neuroblastoma", "Neuroblastoma", ["NB"]),
    ("sts", "Soft tissue sarcoma", ["STS", "soft-tissue sarcoma"]),
    ("ovarian-cancer", "Ovarian cancer", ["ovarian carcinoma", "epithelial ovarian cancer"]),
    ("prostate-cancer", "Prostate cancer", ["prostate adenocarcinoma", "mCRPC"]),
    ("hnscc", "Head and neck squamous cell carcinoma", ["HNSCC", "head and neck cancer"]),
    ("cholangiocarcinoma", "Cholangiocarcinoma", ["biliary tract cancer", "BTC"]),
    ("endometrial-cancer", "Endometrial cancer", ["endometrial carcinoma", "uterine cancer"]),
    ("glioblastoma", "Glioblastoma", ["GBM", "glioblastoma multiforme"]),
    ("nec", "Neuroendocrine carcinoma", ["NEC", "poorly differentiated neuroendocrine carcinoma"]),
    ("mixed-nen", "Mixed neuroendocrine-non-neuroendocrine neoplasm", ["MiNEN"]),
]

# (id, name, synonyms)
AE_TERMS = [
    ("arthralgia", "Arthralgia", ["joint pain"]), ("myalgia", "Myalgia", ["muscle pain"]),
    ("insomnia", "Insomnia", []), ("dyspnea", "Dyspnoea", ["dyspnea", "shortness of breath"]),
    ("abdominal-pain", "Abdominal pain", ["stomach pain"]), ("back-pain", "Back pain", []),
    ("dry-skin", "Dry skin", ["xerosis"]), ("hypothyroidism", "Hypothyroidism", ["TSH increased"]),
    ("hypokalemia", "Hypokalaemia", ["hypokalemia", "low potassium"]),
    ("hypomagnesemia", "Hypomagnesaemia", ["hypomagnesemia"]), ("lymphopenia", "Lymphopenia", []),
    ("creatinine-increased", "Creatinine increased", ["raised creatinine"]),
    ("bilirubin-increased", "Blood bilirubin increased", ["hyperbilirubinaemia", "hyperbilirubinemia"]),
    ("lipase-increased", "Lipase increased", ["raised lipase"]),
    ("hypercholesterolemia", "Hypercholesterolaemia", ["hypercholesterolemia"]),
    ("hypertriglyceridemia", "Hypertriglyceridaemia", ["hypertriglyceridemia"]),
    ("dysphonia", "Dysphonia", ["hoarseness", "voice alteration"]),
    ("febrile-neutropenia", "Febrile neutropenia", ["neutropenic fever"]),
    ("thromboembolism", "Thromboembolic event", ["venous thromboembolism", "VTE"]),
    ("hypoalbuminemia", "Hypoalbuminaemia", ["hypoalbuminemia"]), ("dehydration", "Dehydration", []),
    ("dyspepsia", "Dyspepsia", ["indigestion"]), ("chills", "Chills", ["rigors"]),
    ("neuropathy", "Peripheral sensory neuropathy", ["peripheral neuropathy", "paraesthesia"]),
    ("blurred-vision", "Blurred vision", []), ("uti", "Urinary tract infection", ["UTI"]),
    ("wound-complication", "Wound complication", ["impaired wound healing"]),
    ("muscle-cramp", "Muscle cramp", []), ("hot-flashes", "Hot flashes", ["hot flushes", "flushing"]),
    ("hypotension", "Hypotension", []), ("bradycardia", "Sinus bradycardia", ["bradycardia"]),
    ("heart-failure", "Heart failure", ["cardiac failure"]),
    ("lvef-decreased", "Ejection fraction decreased", ["LVEF decreased"]),
    ("onj", "Osteonecrosis of jaw", ["ONJ", "jaw osteonecrosis"]), ("hypoglycemia", "Hypoglycaemia", ["hypoglycemia"]),
    ("cholelithiasis", "Cholelithiasis", ["gallstones"]),
    ("abdominal-distension", "Abdominal distension", ["bloating"]),
    ("flatulence", "Flatulence", []), ("injection-site", "Injection site reaction", []),
    ("lymphocyte-decreased", "Lymphocyte count decreased", []),
]

SURNAMES = """Yao Strosberg Raymond Caplin Kulke Pavel Schlumberger Brose Wirth Fassnacht Baudin Capdevila
Grande Garcia-Carbonero Lamarca Valle Halperin Chan Dasari Pusceddu Faggiano Ferone Walter Berruti Kunz Singh
Oberg Rinke Arnold Wiedenmann Fazio Buzzoni Panzuto Bajetta Kwekkeboom Krenning Hicks Kong Hofman Herrmann
Elisei Sherman Cabanillas Leboulleux Tahara Kiyota Robinson Ahmed Bauman Pitoia Jimenez Tsang Kim Lee Park
Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura
Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Martin Bernard Dubois Thomas Robert Richard Petit
Rossi Russo Ferrari Esposito Bianchi Romano Colombo Silva Santos Oliveira Souza Rodriguez Gonzalez Fernandez
Lopez Martinez Sanchez Perez Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore
Jackson White Harris Thompson Clark Lewis Walker Hall Young Allen King Wright Scott Green Baker Adams Nelson
Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins Edwards Stewart Morris
Nguyen Murphy Rivera Cook Rogers Morgan Peterson Cooper Reed Bailey Bell Gomez Kelly Howard Ward Cox Diaz
Richardson Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price Myers Long Foster Sanders Ross""".split()  # noqa: SIM905

DRUG_HEADS = ["ab", "bel", "cal", "dar", "el", "fen", "gal", "hex", "ib", "jan", "kel", "lor", "mav", "nir",
              "ox", "pal", "quin", "ros", "sel", "tal", "ul", "val", "xan", "zan", "pem", "ver", "dov", "fut",
              "cap", "mir", "sur", "tiv", "vor", "gep", "sap", "rel", "tor", "lan", "pex", "tep"]
DRUG_MIDS = ["a", "e", "i", "o", "u", "ra", "ti", "lo", "mi", "ne", "za", "ro", "ve", "fi"]
# stem -> class, targets
DRUG_STEMS = {
    "tinib": ("Tyrosine kinase inhibitor", ["VEGFR"]), "rafenib": ("Multikinase inhibitor", ["RAF", "VEGFR"]),
    "ciclib": ("CDK4/6 inhibitor", ["CDK4", "CDK6"]), "parib": ("PARP inhibitor", ["PARP"]),
    "limus": ("mTOR inhibitor", ["mTOR"]), "lisib": ("PI3K inhibitor", ["PI3K"]),
    "zumab": ("Monoclonal antibody", ["PD-1"]), "ximab": ("Monoclonal antibody", ["EGFR"]),
    "metinib": ("MEK inhibitor", ["MEK"]), "sertib": ("Kinase inhibitor", ["ATR"]),
    "platin": ("Platinum chemotherapy", []), "taxel": ("Taxane", []), "rubicin": ("Anthracycline", []),
    "trexed": ("Antifolate", []), "reotide": ("Somatostatin analogue", ["SSTR2"]),
    "degib": ("Hedgehog inhibitor", ["SMO"]), "catinib": ("RET inhibitor", ["RET"]),
}

ACRONYM_PARTS = ["CLAR", "NET", "TER", "RAD", "IANT", "SEL", "ECT", "DEC", "ISION", "EXAM", "COS", "ALTO", "LUN",
                 "AXI", "SUN", "CAB", "INET", "PRO", "MET", "EUS", "ORI", "GEN", "TAL", "ION", "COMP", "ETE",
                 "SPIN", "NAK", "ERS", "OCT", "AVA", "VAL", "ID", "ATE", "PAR", "ROT", "HEM", "AT", "LIB", "ERA"]

SETTINGS = ["advanced", "progressive", "metastatic", "unresectable", "well-differentiated", "previously treated",
            "treatment-naive", "refractory", "recurrent", "low-grade", "high-grade", "locally advanced"]

DESIGNS = ["Randomised, double-blind, placebo-controlled", "Open-label, single-arm", "Randomised, open-label",
           "Multicentre, single-arm", "Non-randomised, two-cohort", "Retrospective multicentre cohort",
           "Prospective observational registry", "Dose-escalation and expansion"]

PHASES = [("3", 12), ("2", 30), ("2-3", 3), ("1-2", 5), ("1b-2", 2), ("1", 10), ("1b", 2), ("4", 2),
          ("observational", 14), ("not stated", 20)]
STATUSES = [("completed", 60), ("active, not recruiting", 10), ("recruiting", 12), ("not yet recruiting", 3),
            ("terminated", 5), ("unknown", 8), ("ongoing", 2)]
