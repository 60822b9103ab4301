"""Synthetic data that looks like a Finsam installation and names no one.

* `people`: participants and follow-up events drawn in plain Python, and the same
  participants as rows of the participant file (for the import benchmark);
* `build`: whole synthetic förbund in the database (`stegvis demo-data`), and
  participants for one insats (the demo);
* `storage`: fast inserts for the large tables.
"""

from stegvis.core.synthetic.build import (
    SCALES,
    Scale,
    Summary,
    SyntheticDataExists,
    participants_populate,
    plan_associations,
    synthetic_build,
    synthetic_remove,
)
from stegvis.core.synthetic.people import (
    FILE_COLUMNS,
    Places,
    SyntheticParticipant,
    participant_file_rows,
    participant_generate,
)

__all__ = [
    "FILE_COLUMNS",
    "SCALES",
    "Places",
    "Scale",
    "Summary",
    "SyntheticDataExists",
    "SyntheticParticipant",
    "participant_file_rows",
    "participant_generate",
    "participants_populate",
    "plan_associations",
    "synthetic_build",
    "synthetic_remove",
]
