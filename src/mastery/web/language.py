"""The language a page speaks: a signed-in person's own choice, else the browser's.

Django's LocaleMiddleware reads the URL, the language cookie and Accept-Language; Mastery's
people choose once on their account (User.preferred_language) and every page, report and
email follows that choice, so the middleware puts it first.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PreferredLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.known = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self._language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        translation.deactivate()
        return response

    def _language_for(self, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        chosen = getattr(user, "preferred_language", "") if user and user.is_authenticated else ""
        if chosen in self.known:
            return chosen
        from_browser = translation.get_language_from_request(request)
        return from_browser if from_browser in self.known else settings.LANGUAGE_CODE
