"""The policy editor's advanced form: the whole policy document as JSON (the forms of
`policy_editor` cover every part of it; this is for pasting a document from elsewhere)."""

import json
from typing import Any

from django import forms


class PolicyDocumentForm(forms.Form):
    document = forms.CharField(
        label="The whole policy document (JSON)",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
    )
    notes = forms.CharField(
        label="What changes and why", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    @classmethod
    def from_document(cls, document: dict[str, Any], notes: str) -> "PolicyDocumentForm":
        return cls(initial={"document": json.dumps(document, indent=2), "notes": notes})

    def clean_document(self) -> dict[str, Any]:
        try:
            document = json.loads(self.cleaned_data["document"])
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"Line {error.lineno}, column {error.colno}: {error.msg}"
            ) from None
        if not isinstance(document, dict):
            raise forms.ValidationError("The document must be a JSON object.")
        return document
