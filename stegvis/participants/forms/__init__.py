"""Forms of the participant pages: a participant (register, change, exit), the list's
filters, anonymous participants, kompletterande frågor and the förbund's rules.

The forms parse input; the rules are in `participants.services`. A personnummer field
is a password field that never shows its value again, also after an error.

The modules of this package divide the work: `participants` (a participant, its exit,
the list's filters, anonymous participants), `questions` (kompletterande frågor and the
answers to them), `policy` (the förbund's rules) and `common` (what they share). The
import forms are in `forms_import`.
"""

from stegvis.participants.forms.common import DateInput, members_of
from stegvis.participants.forms.participants import (
    REFERRER_MEMBER_PREFIX,
    AnonymousCountForm,
    ExitForm,
    ParticipantFilterForm,
    ParticipantForm,
)
from stegvis.participants.forms.policy import PolicyForm
from stegvis.participants.forms.questions import (
    FollowUpAnswerForm,
    QuestionFieldsMixin,
    QuestionForm,
)

__all__ = [
    "REFERRER_MEMBER_PREFIX",
    "AnonymousCountForm",
    "DateInput",
    "ExitForm",
    "FollowUpAnswerForm",
    "ParticipantFilterForm",
    "ParticipantForm",
    "PolicyForm",
    "QuestionFieldsMixin",
    "QuestionForm",
    "members_of",
]
