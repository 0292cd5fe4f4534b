"""The policy editor as forms: every part of the policy document a leader can change, as fields
and editable tables (add a row, remove a row), read from the document and written back into it.

A bad value is refused twice over: by the fields (a number where a number goes), then by the
engine, whose error names the document field (``course_grade.cuts[1].min: ...``); `PolicyEditor`
remembers which form field wrote each part of the document and puts the engine's error there.
"""

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BaseForm, BaseFormSet, formset_factory
from django.http import QueryDict

from mastery.engine.evidence import OrderBy
from mastery.engine.methods import METHODS
from mastery.engine.policy import Aggregate
from mastery.grading.api import PolicyVocabulary

PARAMETERS = sorted(
    {parameter.name for method in METHODS.values() for parameter in method.parameters}
)
METHOD_CHOICES = [(name, name.replace("_", " ")) for name in METHODS]
_PARAMETER_LABELS = {
    "at_bats": "At-bats needed (consistent)",
    "window": "Most recent at-bats looked at (consistent)",
    "contexts": "Different contexts needed for mastery (consistent)",
    "count": "Count (average_recent, n_mastery, mode_recent)",
    "weight": "Weight of the latest (weighted_latest)",
    "rate": "Decay rate (decaying_average)",
}


def _number(value: Decimal | int | None) -> int | float | None:
    """A JSON number that reads back exactly (0.65 stays 0.65)."""
    if value is None:
        return None
    decimal = Decimal(value)
    return int(decimal) if decimal == decimal.to_integral_value() else float(decimal)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _joined(items: Iterable[object]) -> str:
    return ", ".join(str(item) for item in items)


class _MethodFields(forms.Form):
    """A calculation method and its parameters (the default method, or one exception's)."""

    method = forms.ChoiceField(label="Calculation method", choices=METHOD_CHOICES)
    at_bats = forms.IntegerField(label=_PARAMETER_LABELS["at_bats"], min_value=1, required=False)
    window = forms.IntegerField(label=_PARAMETER_LABELS["window"], min_value=1, required=False)
    contexts = forms.IntegerField(label=_PARAMETER_LABELS["contexts"], min_value=1, required=False)
    count = forms.IntegerField(label=_PARAMETER_LABELS["count"], min_value=1, required=False)
    weight = forms.DecimalField(label=_PARAMETER_LABELS["weight"], required=False)
    rate = forms.DecimalField(label=_PARAMETER_LABELS["rate"], required=False)

    @staticmethod
    def initial_from(method: dict[str, Any]) -> dict[str, Any]:
        return {"method": method.get("name"), **{name: method.get(name) for name in PARAMETERS}}

    def method_document(self) -> dict[str, Any]:
        data = self.cleaned_data
        method: dict[str, Any] = {"name": data["method"]}
        for parameter in METHODS[data["method"]].parameters:
            if data.get(parameter.name) is not None:
                method[parameter.name] = _number(data[parameter.name])
        return method


class GeneralForm(_MethodFields):
    order_by = forms.ChoiceField(
        label="“Most recent” means", choices=[(o.value, o.value.replace("_", " ")) for o in OrderBy]
    )
    require_independent_for_mastery = forms.BooleanField(
        label="Mastery needs independent work", required=False
    )
    aggregate = forms.ChoiceField(
        label="Competency from subskills", choices=[(a.value, a.value) for a in Aggregate]
    )
    notes = forms.CharField(
        label="What changes and why", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class LevelForm(forms.Form):
    value = forms.DecimalField(label="Value")
    label = forms.CharField(label="Label", max_length=60)
    description = forms.CharField(label="Description (rubric language)", required=False)
    min = forms.DecimalField(label="Cut score (lowest rating at this level)", required=False)
    mastery = forms.BooleanField(label="Mastery level", required=False)


class ExceptionForm(_MethodFields):
    target = forms.ChoiceField(label="Competency or subskill")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A blank first choice, so that the table's blank row stays blank until filled in.
        self.fields["method"].choices = [("", "—"), *METHOD_CHOICES]  # type: ignore[attr-defined]


class RequiredForm(forms.Form):
    competency = forms.ChoiceField(label="Competency")
    subskills = forms.CharField(label="Required subskills (keys, separated by commas)")


class CourseGradeForm(forms.Form):
    rule = forms.ChoiceField(
        label="Course grade from",
        choices=[
            ("", "No course grades"),
            ("cut_table", "A cut table on the weighted average"),
            ("rule_table", "A rule table (the first row that fits)"),
        ],
        required=False,
    )
    passing = forms.CharField(label="Passing grades (separated by commas)", required=False)
    when_insufficient = forms.ChoiceField(
        label="A competency without enough evidence at term end",
        choices=[
            ("incomplete", "gives the Incomplete grade"),
            ("ignore", "is left out of the grade"),
        ],
    )
    incomplete_label = forms.CharField(label="The Incomplete grade is called", max_length=20)


class CutForm(forms.Form):
    grade = forms.CharField(label="Grade", max_length=20)
    min = forms.DecimalField(label="Weighted average at least")


class RuleForm(forms.Form):
    grade = forms.CharField(label="Grade", max_length=20)
    none_below = forms.DecimalField(label="Every competency at least", required=False)
    at_least_level = forms.DecimalField(label="A share of them at least this level", required=False)
    at_least_share = forms.DecimalField(
        label="That share (0.5 = half)", required=False, min_value=Decimal(0)
    )
    mean_at_least = forms.DecimalField(label="Weighted average at least", required=False)
    all_mastered = forms.BooleanField(label="Every competency mastered", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("at_least_level") is None) != (data.get("at_least_share") is None):
            raise forms.ValidationError("Give both the level and the share of competencies.")
        return data


class CreditForm(forms.Form):
    basis = forms.ChoiceField(
        label="Credit is earned",
        choices=[
            ("grade", "when a course's final grade passes"),
            ("competencies", "when the competencies a credit rule names are mastered"),
        ],
    )


def _written_areas(areas: dict[str, object]) -> str:
    return "; ".join(f"{area}: {value}" for area, value in areas.items())


def _read_areas(text: str) -> dict[str, Decimal]:
    """'Science: 1; English: 0.5' -> {'Science': 1, 'English': 0.5}."""
    areas: dict[str, Decimal] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, colon, value = part.rpartition(":")
        try:
            amount = Decimal(value.strip())
        except ArithmeticError:
            amount = None
        if not colon or not name.strip() or amount is None or not amount.is_finite():
            raise forms.ValidationError(
                "Write each area as “Name: credits”, separated by semicolons "
                f"(got {part.strip()!r})."
            )
        areas[name.strip()] = amount
    return areas


class CreditRuleForm(forms.Form):
    name = forms.CharField(label="Rule name", max_length=120)
    competencies = forms.CharField(label="Competencies (keys, separated by commas)")
    areas = forms.CharField(label="Credit areas and credits (Science: 1; English: 0.5)")
    partial_increment = forms.DecimalField(label="Partial credit in steps of", required=False)

    def clean_areas(self) -> dict[str, Decimal]:
        return _read_areas(self.cleaned_data["areas"])


class GraduationForm(forms.Form):
    enabled = forms.BooleanField(label="This policy sets graduation requirements", required=False)
    first_grade = forms.IntegerField(label="First grade", initial=9)
    last_grade = forms.IntegerField(label="Last grade", initial=12)
    at_risk_margin = forms.DecimalField(
        label="Credits behind before “off track” (at risk up to this)", initial=1
    )


class AreaCreditsForm(forms.Form):
    area = forms.CharField(label="Credit area", max_length=120)
    credits = forms.DecimalField(label="Credits")


class CompetencyRequirementForm(forms.Form):
    name = forms.CharField(label="Requirement", max_length=120)
    competencies = forms.CharField(label="Competencies (keys, separated by commas)", required=False)
    band = forms.CharField(label="or every competency of the band", required=False, max_length=20)
    minimum = forms.DecimalField(label="At least")
    by_grade = forms.IntegerField(label="By the end of grade")


class ExpectedCreditsForm(forms.Form):
    grade = forms.IntegerField(label="Starting grade")
    credits = forms.DecimalField(label="Credits expected")


class ReportingForm(forms.Form):
    grading_periods = forms.MultipleChoiceField(
        label="Grading periods that end with a report card (none ticked: every one)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    progress_reports_per_period = forms.IntegerField(
        label="Progress reports during each grading period", min_value=0
    )
    shows_subskills = forms.BooleanField(label="A report shows each subskill", required=False)
    shows_comments = forms.BooleanField(label="A report shows teacher comments", required=False)
    shows_chart = forms.BooleanField(label="A report shows the progress chart", required=False)
    next_steps = forms.IntegerField(label="Next steps per competency", min_value=0)


class ReportDateForm(forms.Form):
    date = forms.DateField(
        label="Progress-report date", widget=forms.DateInput(attrs={"type": "date"})
    )


def _formset(form: type[forms.Form]) -> type[BaseFormSet]:
    return formset_factory(form, extra=1, can_delete=True)


class Table:
    """An editable table of the editor: a formset, its heading and its add-row button."""

    def __init__(self, prefix: str, title: str, formset: BaseFormSet, add_label: str) -> None:
        self.prefix = prefix
        self.title = title
        self.formset = formset
        self.add_label = add_label
        self.errors: list[str] = []

    def rows(self) -> Iterator[BaseForm]:
        """The rows to write into the document: filled in and not marked for removal."""
        for form in self.formset.forms:
            if form.empty_permitted and not form.has_changed():
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            yield form


class PolicyEditor:
    """Every form of the editor, filled from a policy document, or from a POST of them."""

    def __init__(
        self,
        document: dict[str, Any],
        vocabulary: PolicyVocabulary,
        *,
        notes: str = "",
        data: QueryDict | None = None,
    ) -> None:
        self.original = document
        self.vocabulary = vocabulary
        self.places: dict[str, tuple[BaseForm, str | None]] = {}
        self.section_errors: list[str] = []
        method = document.get("method", {})
        competency = document.get("competency", {})
        self.general = GeneralForm(
            data,
            initial={
                **GeneralForm.initial_from(method),
                "order_by": document.get("order_by", OrderBy.ASSESSED_ON.value),
                "require_independent_for_mastery": document.get(
                    "require_independent_for_mastery", False
                ),
                "aggregate": competency.get("aggregate", Aggregate.MEAN.value),
                "notes": notes,
            },
        )
        self.levels = self._table(
            "levels", "Performance levels", LevelForm, "Add a level", data,
            [{**level, "mastery": level.get("mastery", False)}
             for level in document.get("scale", {}).get("levels", [])],
        )  # fmt: skip
        targets = document.get("targets", {})
        self.exceptions = self._table(
            "exceptions", "Competencies rated another way", ExceptionForm, "Add an exception",
            data, [{"target": target, **ExceptionForm.initial_from(choice)}
                   for target, choice in targets.items()],
        )  # fmt: skip
        target_choices = {
            **vocabulary.competencies,
            **{key: name for key, (name, _competency) in vocabulary.subskills.items()},
            **{key: key for key in targets},
        }
        for form in self.exceptions.formset.forms:
            form.fields["target"].choices = [("", "—"), *target_choices.items()]
        required = competency.get("required", {})
        self.required = self._table(
            "required", "Required subskills", RequiredForm, "Add a competency", data,
            [{"competency": key, "subskills": _joined(keys)} for key, keys in required.items()],
        )  # fmt: skip
        competency_choices = {
            **vocabulary.competencies,
            **{key: key for key in required},
        }
        for form in self.required.formset.forms:
            form.fields["competency"].choices = [("", "—"), *competency_choices.items()]
        course_grade = document.get("course_grade") or {}
        self.course_grade = CourseGradeForm(
            data,
            prefix="course_grade",
            initial={
                "rule": course_grade.get("rule", ""),
                "passing": _joined(course_grade.get("passing", [])),
                "when_insufficient": course_grade.get("when_insufficient", "incomplete"),
                "incomplete_label": course_grade.get("incomplete_label", "Incomplete"),
            },
        )
        self.cuts = self._table(
            "cuts", "Cut table", CutForm, "Add a cut", data, course_grade.get("cuts", [])
        )
        self.rules = self._table(
            "rules", "Rule table", RuleForm, "Add a rule", data,
            [{**row, "at_least_level": row.get("at_least", {}).get("level"),
              "at_least_share": row.get("at_least", {}).get("share"),
              "all_mastered": row.get("all_mastered", False)}
             for row in course_grade.get("rules", [])],
        )  # fmt: skip
        credit = document.get("credit", {})
        self.credit = CreditForm(
            data, prefix="credit", initial={"basis": credit.get("basis", "grade")}
        )
        self.credit_rules = self._table(
            "credit_rules", "Competency credit rules", CreditRuleForm, "Add a credit rule", data,
            [{"name": rule.get("name"), "competencies": _joined(rule.get("competencies", [])),
              "areas": _written_areas(rule.get("areas", {})),
              "partial_increment": rule.get("partial_increment")}
             for rule in credit.get("rules", [])],
        )  # fmt: skip
        graduation = document.get("graduation")
        self.graduation = GraduationForm(
            data,
            prefix="graduation",
            initial={
                "enabled": graduation is not None,
                "first_grade": (graduation or {}).get("first_grade", 9),
                "last_grade": (graduation or {}).get("last_grade", 12),
                "at_risk_margin": (graduation or {}).get("at_risk_margin", 1),
            },
        )
        graduation = graduation or {}
        self.graduation_credits = self._table(
            "graduation_credits", "Credits to graduate", AreaCreditsForm, "Add a credit area",
            data, [{"area": area, "credits": value}
                   for area, value in graduation.get("credits", {}).items()],
        )  # fmt: skip
        self.graduation_competencies = self._table(
            "graduation_competencies", "Competency requirements", CompetencyRequirementForm,
            "Add a competency requirement", data,
            [{**requirement, "competencies": _joined(requirement.get("competencies", [])),
              "band": requirement.get("band", "")}
             for requirement in graduation.get("competencies", [])],
        )  # fmt: skip
        self.expected_credits = self._table(
            "expected_credits", "Expected pace (credits held when starting a grade)",
            ExpectedCreditsForm, "Add a grade", data,
            [{"grade": grade, "credits": value}
             for grade, value in graduation.get("expected_credits", {}).items()],
        )  # fmt: skip
        reporting = document.get("reporting", {})
        shows = reporting.get("shows", {})
        self.reporting = ReportingForm(
            data,
            prefix="reporting",
            initial={
                "grading_periods": reporting.get("grading_periods", []),
                "progress_reports_per_period": reporting.get("progress_reports_per_period", 1),
                "shows_subskills": shows.get("subskills", True),
                "shows_comments": shows.get("comments", True),
                "shows_chart": shows.get("chart", True),
                "next_steps": shows.get("next_steps", 3),
            },
        )
        periods = dict(vocabulary.grading_periods)
        for key in reporting.get("grading_periods", []):
            periods.setdefault(key, key)
        self.reporting.fields["grading_periods"].choices = list(periods.items())  # type: ignore[attr-defined]
        self.report_dates = self._table(
            "report_dates", "Progress-report dates", ReportDateForm, "Add a date", data,
            [{"date": datetime.date.fromisoformat(day)}
             for day in reporting.get("report_dates", []) if isinstance(day, str)],
        )  # fmt: skip

    @staticmethod
    def _table(
        prefix: str,
        title: str,
        form: type[forms.Form],
        add_label: str,
        data: QueryDict | None,
        initial: list[dict[str, Any]],
    ) -> Table:
        formset = _formset(form)(data, prefix=prefix, initial=initial)
        for row in formset.forms:
            row.fields["DELETE"].label = "Remove"
        return Table(prefix, title, formset, add_label)

    @property
    def tables(self) -> list[Table]:
        return [
            self.levels, self.exceptions, self.required, self.cuts, self.rules,
            self.credit_rules, self.graduation_credits, self.graduation_competencies,
            self.expected_credits, self.report_dates,
        ]  # fmt: skip

    @property
    def forms(self) -> list[BaseForm]:
        return [self.general, self.course_grade, self.credit, self.graduation, self.reporting]

    @property
    def notes(self) -> str:
        return str(self.general.cleaned_data.get("notes", ""))

    @staticmethod
    def with_added_row(data: QueryDict, prefix: str) -> QueryDict:
        """The POST with one more blank row in table `prefix` (the "Add a row" buttons)."""
        data = data.copy()
        total = f"{prefix}-TOTAL_FORMS"
        count = str(data.get(total, ""))
        if count.isdigit():
            data[total] = str(int(count) + 1)
        return data

    def is_valid(self) -> bool:
        valid = [form.is_valid() for form in self.forms]
        valid += [table.formset.is_valid() for table in self.tables]
        return all(valid)

    # -- writing the document -----------------------------------------------------------------

    def _place(self, path: str, form: BaseForm, field: str | None = None) -> None:
        self.places[path] = (form, field)

    def document(self) -> dict[str, Any]:
        """The policy document the forms describe (call after `is_valid`). Fields the forms do not
        cover (a policy's `name`, `description`) are kept from the original."""
        document = {
            key: value for key, value in self.original.items() if key in {"name", "description"}
        }
        general = self.general.cleaned_data
        document["scale"] = {"levels": self._levels()}
        document["method"] = self.general.method_document()
        self._place("method", self.general, "method")
        for name in PARAMETERS:
            self._place(f"method.{name}", self.general, name)
        self._place("method.name", self.general, "method")
        document["order_by"] = general["order_by"]
        document["require_independent_for_mastery"] = general["require_independent_for_mastery"]
        self._place("order_by", self.general, "order_by")
        targets = self._targets()
        if targets:
            document["targets"] = targets
        document["competency"] = {"aggregate": general["aggregate"], "required": self._required()}
        self._place("competency.aggregate", self.general, "aggregate")
        course_grade = self._course_grade()
        if course_grade is not None:
            document["course_grade"] = course_grade
        document["credit"] = self._credit()
        graduation = self._graduation()
        if graduation is not None:
            document["graduation"] = graduation
        document["reporting"] = self._reporting()
        return document

    def _levels(self) -> list[dict[str, Any]]:
        self._place(
            "scale", self.levels.formset.forms[0] if self.levels.formset.forms else self.general
        )
        levels = []
        for index, form in enumerate(self.levels.rows()):
            data = form.cleaned_data
            level: dict[str, Any] = {"value": _number(data["value"]), "label": data["label"]}
            if data.get("description"):
                level["description"] = data["description"]
            if data.get("min") is not None:
                level["min"] = _number(data["min"])
            if data.get("mastery"):
                level["mastery"] = True
            self._place(f"scale.levels[{index}]", form)
            for field in ("value", "label", "description", "min", "mastery"):
                self._place(f"scale.levels[{index}].{field}", form, field)
            levels.append(level)
        return levels

    def _targets(self) -> dict[str, Any]:
        targets = {}
        for form in self.exceptions.rows():
            target = form.cleaned_data["target"]
            targets[target] = form.method_document()  # type: ignore[attr-defined]
            self._place(f"targets.{target}", form, "target")
            self._place(f"targets.{target}.name", form, "method")
            for name in PARAMETERS:
                self._place(f"targets.{target}.{name}", form, name)
        return targets

    def _required(self) -> dict[str, list[str]]:
        required = {}
        known = self.vocabulary.subskills
        for form in self.required.rows():
            competency = form.cleaned_data["competency"]
            keys = _split(form.cleaned_data["subskills"])
            strangers = [key for key in keys if known and known.get(key, ("", ""))[1] != competency]
            if strangers:
                form.add_error("subskills", f"Not subskills of {competency}: {_joined(strangers)}.")
            required[competency] = keys
            self._place(f"competency.required.{competency}", form, "subskills")
        return required

    def _course_grade(self) -> dict[str, Any] | None:
        data = self.course_grade.cleaned_data
        for field in ("rule", "passing", "when_insufficient", "incomplete_label"):
            self._place(f"course_grade.{field}", self.course_grade, field)
        if not data.get("rule"):
            return None
        course_grade: dict[str, Any] = {
            "rule": data["rule"],
            "passing": _split(data.get("passing", "")),
            "when_insufficient": data["when_insufficient"],
            "incomplete_label": data["incomplete_label"],
        }
        if data["rule"] == "cut_table":
            cuts = []
            self._place("course_grade.cuts", self.course_grade, "rule")
            for index, form in enumerate(self.cuts.rows()):
                cuts.append(
                    {"grade": form.cleaned_data["grade"], "min": _number(form.cleaned_data["min"])}
                )
                self._place(f"course_grade.cuts[{index}].grade", form, "grade")
                self._place(f"course_grade.cuts[{index}].min", form, "min")
            course_grade["cuts"] = cuts
        else:
            rules = []
            self._place("course_grade.rules", self.course_grade, "rule")
            for index, form in enumerate(self.rules.rows()):
                data = form.cleaned_data
                row: dict[str, Any] = {"grade": data["grade"]}
                for field in ("none_below", "mean_at_least"):
                    if data.get(field) is not None:
                        row[field] = _number(data[field])
                if data.get("at_least_level") is not None:
                    row["at_least"] = {
                        "level": _number(data["at_least_level"]),
                        "share": _number(data["at_least_share"]),
                    }
                if data.get("all_mastered"):
                    row["all_mastered"] = True
                rules.append(row)
                where = f"course_grade.rules[{index}]"
                self._place(where, form)
                for field in ("grade", "none_below", "mean_at_least", "all_mastered"):
                    self._place(f"{where}.{field}", form, field)
                self._place(f"{where}.at_least.level", form, "at_least_level")
                self._place(f"{where}.at_least.share", form, "at_least_share")
            course_grade["rules"] = rules
        return course_grade

    def _credit(self) -> dict[str, Any]:
        self._place("credit.basis", self.credit, "basis")
        rules = []
        for index, form in enumerate(self.credit_rules.rows()):
            data = form.cleaned_data
            rule: dict[str, Any] = {
                "name": data["name"],
                "competencies": _split(data["competencies"]),
                "areas": {area: _number(value) for area, value in data["areas"].items()},
            }
            if data.get("partial_increment") is not None:
                rule["partial_increment"] = _number(data["partial_increment"])
            rules.append(rule)
            where = f"credit.rules[{index}]"
            self._place(where, form)
            for field in ("name", "competencies", "areas", "partial_increment"):
                self._place(f"{where}.{field}", form, field)
        return {"basis": self.credit.cleaned_data["basis"], "rules": rules}

    def _graduation(self) -> dict[str, Any] | None:
        data = self.graduation.cleaned_data
        if not data.get("enabled"):
            return None
        for field in ("first_grade", "last_grade", "at_risk_margin"):
            self._place(f"graduation.{field}", self.graduation, field)
        credits = {}
        for form in self.graduation_credits.rows():
            area = form.cleaned_data["area"]
            credits[area] = _number(form.cleaned_data["credits"])
            self._place(f"graduation.credits.{area}", form, "credits")
        requirements = []
        for index, form in enumerate(self.graduation_competencies.rows()):
            row = form.cleaned_data
            requirement: dict[str, Any] = {
                "name": row["name"],
                "minimum": _number(row["minimum"]),
                "by_grade": row["by_grade"],
            }
            if _split(row.get("competencies", "")):
                requirement["competencies"] = _split(row["competencies"])
            if row.get("band"):
                requirement["band"] = row["band"]
            requirements.append(requirement)
            where = f"graduation.competencies[{index}]"
            self._place(where, form, "competencies")
            for field in ("name", "minimum", "by_grade", "competencies", "band"):
                self._place(f"{where}.{field}", form, field)
        expected = {}
        for form in self.expected_credits.rows():
            grade = str(form.cleaned_data["grade"])
            expected[grade] = _number(form.cleaned_data["credits"])
            self._place(f"graduation.expected_credits.{grade}", form, "credits")
        return {
            "credits": credits,
            "competencies": requirements,
            "first_grade": data["first_grade"],
            "last_grade": data["last_grade"],
            "expected_credits": expected,
            "at_risk_margin": _number(data["at_risk_margin"]),
        }

    def _reporting(self) -> dict[str, Any]:
        data = self.reporting.cleaned_data
        self._place("reporting.grading_periods", self.reporting, "grading_periods")
        self._place(
            "reporting.progress_reports_per_period", self.reporting, "progress_reports_per_period"
        )
        for name in ("subskills", "comments", "chart"):
            self._place(f"reporting.shows.{name}", self.reporting, f"shows_{name}")
        self._place("reporting.shows.next_steps", self.reporting, "next_steps")
        dates = []
        for index, form in enumerate(self.report_dates.rows()):
            dates.append(form.cleaned_data["date"].isoformat())
            self._place(f"reporting.report_dates[{index}]", form, "date")
        return {
            "grading_periods": list(data.get("grading_periods", [])),
            "progress_reports_per_period": data["progress_reports_per_period"],
            "report_dates": dates,
            "shows": {
                "subskills": data["shows_subskills"],
                "comments": data["shows_comments"],
                "chart": data["shows_chart"],
                "next_steps": data["next_steps"],
            },
        }

    def has_row_errors(self) -> bool:
        """Errors the document writing itself found (a subskill of another competency)."""
        return any(
            form.errors for table in self.tables for form in table.formset.forms if form.is_bound
        )

    def add_document_error(self, message: str) -> None:
        """Put the engine's "path: problem" on the form field that wrote that path."""
        path, _colon, problem = message.partition(": ")
        matches = [
            place
            for place in self.places
            if path == place or path.startswith((f"{place}.", f"{place}["))
        ]
        self.section_errors.append(message)
        if not matches:
            return
        form, field = self.places[max(matches, key=len)]
        form.add_error(field, f"{path}: {problem}")
