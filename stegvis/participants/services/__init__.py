"""Writes to a förbund's participant follow-up (DOMAIN.md §4 and §9): participants,
anonymous counts, kompletterande frågor and their answers, and the förbund's rules.

Each write is one transaction and one audit line. For a participant the audit line
holds its code and the NAMES of the fields that changed, never their values: the
log is read by more people than the rows are.

The rules of a participant are those of the participant file
(../shared/spec/participant-file.md), so the form and the import agree:
* the code is the insats's own: 1–40 of A–Z a–z 0–9 - _, unique in the insats, and
  never a personnummer (a value shaped like one is refused without being repeated);
* the birth year makes the person 15–70 years old at the start date;
* kommun is a municipality member of the förbund; remitterande part a member or
  "egen anmälan"/"annan"; överlämning till a member;
* the exit date is not before the start and not in the future, and an avslutsorsak
  is given exactly when an exit date is.

A personnummer is taken only when the förbund recognises persons across insatser
(`Policy.recognise_persons`); then only its keyed hash is kept
(`identity.person_key`). The number is not stored, logged, or repeated in a message.

Errors are `ValidationError`s keyed by the form field they concern; answers to
kompletterande frågor by `question_<pk>`.

Call them as `services.<name>`; the modules of this package only divide the work:
`rules` (the rules of a participant and the helpers that collect errors),
`participants` (register, change, exit, delete), `questions` (kompletterande frågor
and their answers), `anonymous` (counts of anonymous participants), `policy` (the
förbund's rules).
"""

from stegvis.participants.services.anonymous import anonymous_count_set
from stegvis.participants.services.participants import (
    EXIT_FIELDS,
    PARTICIPANT_FIELDS,
    participant_create,
    participant_delete,
    participant_exit,
    participant_update,
)
from stegvis.participants.services.policy import policy_update
from stegvis.participants.services.questions import (
    QUESTION_FIELDS,
    answer_problem,
    answer_set,
    question_create,
    question_delete,
    question_field,
    question_update,
    questions_for,
)
from stegvis.participants.services.rules import (
    CODE_PATTERN,
    MAX_AGE,
    MIN_AGE,
    PERSONAL_NUMBER_SHAPE,
    Errors,
    age_problem,
    code_problem,
    looks_like_personal_number,
)

__all__ = [
    "CODE_PATTERN",
    "EXIT_FIELDS",
    "MAX_AGE",
    "MIN_AGE",
    "PARTICIPANT_FIELDS",
    "PERSONAL_NUMBER_SHAPE",
    "QUESTION_FIELDS",
    "Errors",
    "age_problem",
    "anonymous_count_set",
    "answer_problem",
    "answer_set",
    "code_problem",
    "looks_like_personal_number",
    "participant_create",
    "participant_delete",
    "participant_exit",
    "participant_update",
    "policy_update",
    "question_create",
    "question_delete",
    "question_field",
    "question_update",
    "questions_for",
]
