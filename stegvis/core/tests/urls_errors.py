"""The app's URLs and error handlers, plus a page that fails: for the 500 page's test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from stegvis.urls import handler400, handler403, handler404, handler500, urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [*urlpatterns, path("test-fel/", broken)]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
