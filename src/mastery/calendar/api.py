"""The door to the calendar: school years, terms and grading periods."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from mastery.calendar.models import GradingPeriod, SchoolYear, Term
from mastery.schools.models import School

__all__ = [
    "create_grading_period",
    "create_school_year",
    "create_term",
    "get_current_term",
    "list_grading_periods",
    "list_terms",
]


@transaction.atomic
def create_school_year(
    school: School, key: str, /, *, starts_on: datetime.date, ends_on: datetime.date
) -> SchoolYear:
    year = SchoolYear(school=school, key=key, starts_on=starts_on, ends_on=ends_on)
    year.full_clean()
    year.save()
    return year


@transaction.atomic
def create_term(
    school_year: SchoolYear,
    key: str,
    /,
    *,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Term:
    if starts_on < school_year.starts_on or ends_on > school_year.ends_on:
        raise ValidationError(
            {"starts_on": f"A term must lie inside the school year {school_year}."}
        )
    term = Term(school_year=school_year, key=key, name=name, starts_on=starts_on, ends_on=ends_on)
    term.full_clean()
    term.save()
    return term


@transaction.atomic
def create_grading_period(
    term: Term, key: str, /, *, name: str, starts_on: datetime.date, ends_on: datetime.date
) -> GradingPeriod:
    if starts_on < term.starts_on or ends_on > term.ends_on:
        raise ValidationError({"starts_on": f"A grading period must lie inside the term {term}."})
    period = GradingPeriod(term=term, key=key, name=name, starts_on=starts_on, ends_on=ends_on)
    period.full_clean()
    period.save()
    return period


def list_terms(school: School, /) -> QuerySet[Term]:
    return Term.objects.filter(school_year__school=school).select_related("school_year")


def get_current_term(school: School, /, *, on: datetime.date) -> Term | None:
    """The term running on a date, else the latest one that has started, else the first one."""
    terms = list_terms(school)
    running = terms.filter(starts_on__lte=on, ends_on__gte=on).first()
    if running is not None:
        return running
    return terms.filter(starts_on__lte=on).order_by("-starts_on").first() or terms.first()


def list_grading_periods(school_year: SchoolYear, /) -> QuerySet[GradingPeriod]:
    """The year's grading periods in date order, with their terms."""
    return (
        GradingPeriod.objects.filter(term__school_year=school_year)
        .select_related("term")
        .order_by("starts_on", "key")
    )
