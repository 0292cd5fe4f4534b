"""The policy editor's form: the common choices as fields, everything else as the document."""

import json
from typing import Any

from django import forms

from mastery.engine.evidence import OrderBy
from mastery.engine.methods import METHODS
from mastery.engine.policy import Aggregate

PARAMETERS = sorted(
    {parameter.name for method in METHODS.values() for parameter in method.parameters}
)


class PolicyDraftForm(forms.Form):
    method = forms.ChoiceField(
        label="Calculation method", choices=[(name, name.replace("_", " ")) for name in METHODS]
    )
    at_bats = forms.IntegerField(label="At-bats needed (consistent)", min_value=1, required=False)
    window = forms.IntegerField(
        label="Most recent at-bats looked at (consistent)", min_value=1, required=False
    )
    contexts = forms.IntegerField(
        label="Different contexts needed for mastery (consistent)", min_value=1, required=False
    )
    count = forms.IntegerField(
        label="Count (average_recent, n_mastery, mode_recent)", min_value=1, required=False
    )
    weight = forms.DecimalField(label="Weight of the latest (weighted_latest)", required=False)
    rate = forms.DecimalField(label="Decay rate (decaying_average)", required=False)
    order_by = forms.ChoiceField(
        label="“Most recent” means", choices=[(o.value, o.value.replace("_", " ")) for o in OrderBy]
    )
    require_independent_for_mastery = forms.BooleanField(
        label="Mastery needs independent work", required=False
    )
    aggregate = forms.ChoiceField(
        label="Competency from subskills", choices=[(a.value, a.value) for a in Aggregate]
    )
    document = forms.CharField(
        label="The whole policy document (JSON)",
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text="Course-grade tables, credit rules, graduation requirements and per-competency "
        "exceptions live here. The fields above override their part of it.",
    )
    notes = forms.CharField(
        label="What changes and why", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    @classmethod
    def from_document(cls, document: dict[str, Any], notes: str) -> "PolicyDraftForm":
        method = document.get("method", {})
        initial: dict[str, Any] = {
            "method": method.get("name"),
            "order_by": document.get("order_by", OrderBy.ASSESSED_ON.value),
            "require_independent_for_mastery": document.get(
                "require_independent_for_mastery", False
            ),
            "aggregate": document.get("competency", {}).get("aggregate", Aggregate.MEAN.value),
            "document": json.dumps(document, indent=2),
            "notes": notes,
        }
        initial.update({name: method.get(name) for name in PARAMETERS})
        return cls(initial=initial)

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

    def merged_document(self) -> dict[str, Any]:
        """The document with the fields above written into it."""
        data = self.cleaned_data
        document = dict(data["document"])
        chosen = METHODS[data["method"]]
        method: dict[str, Any] = {"name": data["method"]}
        for parameter in chosen.parameters:
            value = data.get(parameter.name)
            if value is not None:
                method[parameter.name] = int(value) if isinstance(value, int) else float(value)
        document["method"] = method
        document["order_by"] = data["order_by"]
        document["require_independent_for_mastery"] = data["require_independent_for_mastery"]
        document["competency"] = {**document.get("competency", {}), "aggregate": data["aggregate"]}
        return document
