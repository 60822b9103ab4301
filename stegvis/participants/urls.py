"""/f/<förbund>/deltagare/…: rows and registration (urls_rows), the import
(urls_import) and the suppressed report pages (urls_report)."""

from stegvis.participants.urls_import import urlpatterns as import_patterns
from stegvis.participants.urls_report import urlpatterns as report_patterns
from stegvis.participants.urls_rows import urlpatterns as row_patterns

app_name = "participants"

urlpatterns = [*row_patterns, *import_patterns, *report_patterns]
