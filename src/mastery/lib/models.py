"""Field conventions shared by every app.

`id` is the internal primary key; `uuid` is the stable identifier shown outside Mastery (URLs,
exports, the API); `key` is a human code unique within its parent ("ELA.W.2").
"""

import uuid

from django.db import models


class PublicModel(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
