"""The JSON-LD contexts a transcript credential names, pinned as files: nothing is ever fetched.

VC-JWT signs the JSON as written, so no context is read to sign or verify (decision 0005); the
files are here so that every term the credential uses is known to be defined, and so that a
JSON-LD processor given `load_context` as its document loader can never reach the network.
They are LOCAL SUBSETS written by Mastery (see README.md here), not copies of the published
contexts.
"""

import json
from functools import cache
from importlib import resources
from typing import Any

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
CLR_2_0_1 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_3_0_3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

PINNED = {
    CREDENTIALS_V2: "credentials-v2.local-subset.jsonld",
    CLR_2_0_1: "clr-v2p0-context-2.0.1.local-subset.jsonld",
    OB_3_0_3: "ob-v3p0-context-3.0.3.local-subset.jsonld",
}
"""Context URL -> the file pinned for it in this package."""


class UnpinnedContextError(LookupError):
    """A context URL with no pinned file: it is refused, never fetched."""


@cache
def _read(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def load_context(url: str, /) -> dict[str, Any]:
    """The pinned context document for `url`; raises UnpinnedContextError for any other URL."""
    name = PINNED.get(url)
    if name is None:
        raise UnpinnedContextError(f"{url} is not a pinned context: nothing is fetched")
    document: dict[str, Any] = json.loads(_read(name))
    return document


def defined_terms(url: str, /) -> frozenset[str]:
    """The terms the pinned context for `url` defines (keywords such as @version left out)."""
    return frozenset(term for term in load_context(url)["@context"] if not term.startswith("@"))
