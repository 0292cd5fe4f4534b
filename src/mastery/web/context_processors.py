from django.http import HttpRequest

from mastery.lib.env import Mode


def mastery(request: HttpRequest) -> dict[str, object]:
    from django.conf import settings

    return {"demo_mode": settings.MODE is Mode.DEMO}
