"""Demo exam: the default item bank, an exam open to the demo candidate, and simulated candidates' attempts.

The statistics need sittings to show real numbers, so 120 simulated candidates of spread ability have
sat the exam over the last weeks, through the real services (start, save, submit, the overdue sweep),
each at its own moment in the past. 120, because the statistics suspend an item on their own only once
30 attempts have shown it, and a form shows each item of the default bank to about one attempt in four.
The candidates answer by a simple item response model: a candidate of ability θ knows the answer to an
item of difficulty b with probability 1 / (1 + e^-(θ - b)); one who does not know guesses, and the first
distractor written tempts three times as often as any other option. The forms are drawn as for anyone
(exposure balanced), from a seed per candidate, so that the figures are the same on every load: with 30
attempts showing an item, a fresh seed would now and then let chance hide the wrong key.

One item is deliberately mis-keyed, so that the statistics have a wrong key to find. The default bank's
file stays as written: the exam is on a demo bank derived from it in code (code `cm-demo`), identical but
for the key of `MISKEYED_ITEM`, moved to its most attractive distractor under a new item version, as an
author's slip would be. The simulated candidates learnt the true key, so the stronger they are, the more
often they lose the item's point: its discrimination comes out negative, and once 30 attempts have shown
it, the statistics suspend it from drawing.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from statistics import NormalDist

import sqlalchemy as sa
import yaml

from certify.accounts.models import Role, User
from certify.accounts.passwords import hash_password
from certify.accounts.services import add_user
from certify.exams import attempts, registrations, services
from certify.exams.bank import LIBRARY, Item, ItemType
from certify.exams.models import Exam, ExamAttempt
from certify.exams.records import form_from_data
from certify.timeutil import as_utc, utcnow

DEFAULT_BANK = LIBRARY / "cm-1.0.yaml"
DEMO_BANK_CODE = "cm-demo"
BLUEPRINT = "cm_theory"
#: a single choice keyed in the demo bank to its first distractor; of middling difficulty, so that many
#: candidates miss its true key and fall for the distractor the bank now rewards
MISKEYED_ITEM = "strategy_value_chain_gaps"
MISKEYED_DIFFICULTY = 0.5
SIMULATED = 120
SIMULATED_EMAIL = "candidate-sim-{:02d}@certify-demo.example.org"
#: abilities spread as a normal distribution around the items' mean difficulty (0)
ABILITIES = NormalDist(mu=0.3, sigma=1.8)
#: item difficulties are kept within this of 0: an item nearly everyone gets right (or wrong) tells
#: little, and its discrimination is mostly chance
DIFFICULTY_RANGE = 1.8
#: every how many candidates one never submits: the server closes the attempt at its deadline
TIMES_OUT_EVERY = 8
SITTINGS_APART = timedelta(hours=12)
SEED = 20260415


def load_demo_exams(session, password: str) -> None:
    """Import the default and the demo bank, open the demo exam and let the missing candidates sit it."""
    default_source = DEFAULT_BANK.read_text(encoding="utf-8")
    services.import_bank(session, default_source, source_name=DEFAULT_BANK.name)
    demo_source, true_key = demo_bank_source(default_source)
    bank_row = services.import_bank(session, demo_source, source_name=f"{DEMO_BANK_CODE}-1.0.yaml").row
    exam = session.scalar(
        sa.select(Exam).where(Exam.bank_version_id == bank_row.id, Exam.blueprint_id == BLUEPRINT)
    )
    if exam is None:
        # Open-ended, so that the demo candidate always finds it open; `certify exam close` ends it.
        opens_at = utcnow().replace(hour=8, minute=0, second=0, microsecond=0) - SITTINGS_APART * SIMULATED
        exam = services.open_exam(session, bank_row, BLUEPRINT, opens_at=opens_at - timedelta(days=3))
    items = {item.id: item for item in services.bank_of(bank_row).items}
    # the candidates learnt the default bank: its keys are the true ones
    true_keys = {item_id: item.key for item_id, item in items.items()} | {MISKEYED_ITEM: true_key}
    sat = set(session.scalars(sa.select(ExamAttempt.candidate_id).where(ExamAttempt.exam_id == exam.id)))
    for number, candidate in enumerate(simulated_candidates(session, password), start=1):
        if candidate.id not in sat:
            _sit(session, exam, candidate, number, items, true_keys)
    attempts.close_overdue(session, limit=None)


def demo_bank_source(default_source: str) -> tuple[str, frozenset[str]]:
    """The demo bank's YAML (the default bank with MISKEYED_ITEM's key moved to its first distractor),
    and the item's true key."""
    data = yaml.load(default_source, Loader=yaml.CSafeLoader)
    data["code"] = DEMO_BANK_CODE
    data["title"] = {
        "ru": "Демонстрационный банк: банк cm 1.0 с намеренно неверным ключом одного задания",
        "en": "Demo bank: bank cm 1.0 with one item deliberately mis-keyed",
    }
    item = next(entry for entry in data["items"] if entry["id"] == MISKEYED_ITEM)
    item["version"] += 1  # a stored item version never changes: the wrong key is a version of its own
    right = next(option for option in item["options"] if option.get("correct"))
    wrong = next(option for option in item["options"] if not option.get("correct"))
    del right["correct"]
    wrong["correct"] = True
    source = yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=1000)
    return source, frozenset({right["id"]})


class _PlainDumper(yaml.CSafeDumper):
    """Writes every value in full: a bank file may hold no anchors or aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def simulated_candidates(session, password: str) -> list[User]:
    """The simulated candidates, created when missing (one password hash for all: nobody logs in as them)."""
    emails = [SIMULATED_EMAIL.format(n) for n in range(1, SIMULATED + 1)]
    existing = {user.email: user for user in session.scalars(sa.select(User).where(User.email.in_(emails)))}
    password_hash = None
    for number, email in enumerate(emails, start=1):
        if email not in existing:
            password_hash = password_hash or hash_password(password)
            existing[email] = add_user(
                session,
                email=email,
                password_hash=password_hash,
                full_name_ru=f"Смоделированный кандидат {number:02d}",
                full_name_en=f"Simulated candidate {number:02d}",
                roles=[Role.CANDIDATE],
                confirmed=True,
            )
    return [existing[email] for email in emails]


def _sit(session, exam: Exam, candidate: User, number: int, items: dict, true_keys: dict) -> None:
    """One sitting in the past: started, answered in two saves and the submission, or left to time out."""
    chooser = random.Random(f"{SEED}:{number}")
    # candidates in an order unrelated to ability, so that the first attempts are not the weakest
    ability = ABILITIES.inv_cdf((number * 37 % SIMULATED + 0.5) / SIMULATED)
    started = as_utc(exam.opens_at) + SITTINGS_APART * number + timedelta(minutes=chooser.randrange(180))
    attempts.close_overdue(session, started)  # as the next request of anyone to the exam pages does
    registrations.register_candidate(session, exam, candidate, now=started, seed=SEED * SIMULATED + number)
    attempt = registrations.start_attempt(session, exam, candidate, now=started)
    answers = {
        slot.item_id: simulated_answer(items[slot.item_id], true_keys[slot.item_id], ability, chooser)
        for slot in form_from_data(attempt.form).slots
        if chooser.random() > 0.03  # now and then an item is left unanswered
    }
    parts = [dict(list(answers.items())[part::3]) for part in range(3)]
    for minutes, part in zip((12, 24), parts[:2], strict=True):
        attempts.save_answers(session, attempt, part, now=started + timedelta(minutes=minutes))
    if number % TIMES_OUT_EVERY:
        attempts.submit_attempt(session, attempt, parts[2], now=started + timedelta(minutes=40 + number % 15))


def simulated_answer(item: Item, key: frozenset[str], ability: float, chooser: random.Random) -> list[str]:
    """The candidate's answer: the key if they know it (with the model's probability), else a guess."""
    difficulty = MISKEYED_DIFFICULTY if item.id == MISKEYED_ITEM else _difficulty(item.id)
    if chooser.random() < 1 / (1 + math.exp(difficulty - ability)):
        return sorted(key)
    wrong = [option for option in item.option_ids if option not in key]
    if item.type is ItemType.SINGLE_CHOICE:
        # a guess, the first distractor written the most tempting: now and then it lands on the key
        return [chooser.choice([wrong[0], wrong[0], *item.option_ids])]
    # a multiple choice missed: one correct option forgotten, or one distractor ticked as well
    if len(key) > 1 and chooser.random() < 0.5:
        return sorted(key - {chooser.choice(sorted(key))})
    return sorted(key | {chooser.choice(wrong)})


def _difficulty(item_id: str) -> float:
    """The item's difficulty b, fixed per item: most items moderate, a few easy or hard."""
    return max(-DIFFICULTY_RANGE, min(DIFFICULTY_RANGE, random.Random(f"{SEED}:{item_id}").gauss(0, 1)))
