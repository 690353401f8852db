"""Sanity checks for the assistant's intent data (run: python3 check_data.py).

Checks intents.tsv, out_of_domain.tsv and the held-out eval_questions.tsv and
eval_questions_2.tsv: header, column count
(no stray tabs), valid topic keys, per-topic/lang minimum counts, no duplicates
within or across the files (after case/whitespace/punctuation normalisation), and
no exact overlap with the development set (its path in `DEV_QUESTIONS`, when you have it; the
set is not part of this repository). Topic keys come from plugins/helpcenter/topics.tsv.
"""

import collections
import os
import pathlib
import re
import sys
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parent / "data"
TOPICS = HERE.parent.parent / "helpcenter" / "topics.tsv"
DEV_QUESTIONS = os.environ.get("DEV_QUESTIONS", "")

MIN_INTENT = {"zh": 25, "en": 18}
MIN_OOD = {"zh": 150, "en": 120}
MIN_EVAL_PER_LANG = 2
MIN_EVAL_OOD = 40

CJK = re.compile(r"[\u3400-\u9fff]")
errors = []


def norm(text):
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s\W_]+", "", text)


def lang_of(text):
    return "zh" if CJK.search(text) else "en"


def read_tsv(path, header):
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != header:
        errors.append(f"{path.name}: bad header {lines[:1]!r}")
    ncols = header.count("\t") + 1
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cols = line.split("\t")
        if len(cols) != ncols:
            errors.append(f"{path.name}:{n}: expected {ncols} columns, got {len(cols)}")
            continue
        if any(c != c.strip() or not c for c in cols) or "\r" in line:
            errors.append(f"{path.name}:{n}: empty field or stray whitespace")
        rows.append((n, cols))
    return rows


topics = [r[1][0] for r in read_tsv(TOPICS, "key\tzh\ten\twhat the article must cover")]
valid = set(topics)
dev = read_tsv(pathlib.Path(DEV_QUESTIONS), "topic\tquestion") if DEV_QUESTIONS else []
dev_norm = {norm(q) for _, (_, q) in dev}

intents = read_tsv(DATA / "intents.tsv", "topic\tlang\ttext")
ood = read_tsv(DATA / "out_of_domain.tsv", "lang\ttext")
EVAL_FILES = ("eval_questions.tsv", "eval_questions_2.tsv", "eval_questions_3.tsv")

seen = {}  # normalised text -> "file:line"


def register(text, where):
    key = norm(text)
    if not key:
        errors.append(f"{where}: text is empty after normalisation")
        return
    if key in seen:
        errors.append(f"{where}: duplicate of {seen[key]}: {text!r}")
    else:
        seen[key] = where
    if key in dev_norm:
        errors.append(f"{where}: overlaps dev_questions.tsv: {text!r}")


# intents.tsv
counts = collections.Counter()
for n, (topic, lang, text) in intents:
    where = f"intents.tsv:{n}"
    if topic not in valid:
        errors.append(f"{where}: unknown topic {topic!r}")
    if lang not in MIN_INTENT:
        errors.append(f"{where}: bad lang {lang!r}")
    elif lang_of(text) != lang:
        errors.append(f"{where}: lang {lang} does not match text {text!r}")
    counts[topic, lang] += 1
    register(text, where)

# out_of_domain.tsv
ood_counts = collections.Counter()
for n, (lang, text) in ood:
    where = f"out_of_domain.tsv:{n}"
    if lang not in MIN_OOD:
        errors.append(f"{where}: bad lang {lang!r}")
    elif lang_of(text) != lang:
        errors.append(f"{where}: lang {lang} does not match text {text!r}")
    ood_counts[lang] += 1
    register(text, where)

# held-out sets: each needs every topic in both languages and enough out-of-domain questions
eval_counts = {name: collections.Counter() for name in EVAL_FILES}
eval_sizes = {}
for name in EVAL_FILES:
    evals = read_tsv(HERE / name, "topic\tquestion")
    eval_sizes[name] = len(evals)
    for n, (label, question) in evals:
        where = f"{name}:{n}"
        for t in label.split("|"):
            if t != "-" and t not in valid:
                errors.append(f"{where}: unknown topic {t!r}")
        eval_counts[name][label.split("|")[0], lang_of(question)] += 1
        register(question, where)

print(f"{'topic':28} {'zh':>4} {'en':>4}   eval zh/en  eval_2 zh/en")
for t in topics:
    zh, en = counts[t, "zh"], counts[t, "en"]
    held = "  ".join(f"{eval_counts[name][t, 'zh']}/{eval_counts[name][t, 'en']}" for name in EVAL_FILES)
    print(f"{t:28} {zh:4} {en:4}   {held}")
    for lang, need in MIN_INTENT.items():
        if counts[t, lang] < need:
            errors.append(f"intents.tsv: {t} has {counts[t, lang]} {lang} (< {need})")
        for name in EVAL_FILES:
            if eval_counts[name][t, lang] < MIN_EVAL_PER_LANG:
                errors.append(f"{name}: {t} has {eval_counts[name][t, lang]} {lang} (< {MIN_EVAL_PER_LANG})")
print(
    f"intents total: {len(intents)}  (zh {sum(v for (t, lang), v in counts.items() if lang == 'zh')}, "
    f"en {sum(v for (t, lang), v in counts.items() if lang == 'en')})"
)
print(f"out_of_domain: zh {ood_counts['zh']}, en {ood_counts['en']}")
for lang, need in MIN_OOD.items():
    if ood_counts[lang] < need:
        errors.append(f"out_of_domain.tsv: {ood_counts[lang]} {lang} (< {need})")
for name in EVAL_FILES:
    c = eval_counts[name]
    eval_ood = c["-", "zh"] + c["-", "en"]
    print(
        f"{name}: {eval_sizes[name]} questions, out-of-domain {eval_ood} (zh {c['-', 'zh']}, en {c['-', 'en']})"
    )
    if eval_ood < MIN_EVAL_OOD:
        errors.append(f"{name}: only {eval_ood} out-of-domain (< {MIN_EVAL_OOD})")

if errors:
    print(f"\n{len(errors)} problem(s):")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("\nOK")
