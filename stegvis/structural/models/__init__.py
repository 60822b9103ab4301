"""The structural work's models, one module per area."""

from stegvis.structural.models.activities import Activity, ActivityAttendance, ActivityKind  # noqa: F401
from stegvis.structural.models.deviations import Deviation, DeviationCategory  # noqa: F401
from stegvis.structural.models.surveys import (  # noqa: F401
    RespondentGroup,
    SurveyAnswer,
    SurveyResponse,
    SurveyRound,
    SurveyToken,
)
from stegvis.structural.models.teams import (  # noqa: F401
    ConsultationTeam,
    FinancingRate,
    MeetingAttendance,
    MeetingCases,
    TeamMeeting,
    TeamRepresentative,
)
