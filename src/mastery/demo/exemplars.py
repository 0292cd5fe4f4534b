"""Exemplar work Riverside's teachers posted for the first subskills of their progressions:
excerpts of (made-up) student work at Meeting and at Exceeding, so a student who is working on a
subskill can see what the next level looks like. Plain text files, stored through the
frameworks api."""

from dataclasses import dataclass

from mastery.accounts.models import User
from mastery.frameworks.api import add_exemplar
from mastery.frameworks.models import PerformanceScale, Subskill


@dataclass(frozen=True)
class ExemplarContent:
    subskill: str
    level: str
    caption: str
    text: str


EXEMPLARS = (
    ExemplarContent(
        "AW.1",
        "Meeting",
        "Op-ed opening: a claim the reader could dispute",
        "The city should close Main Street to cars on Saturdays from May to September. A "
        "car-free Main Street would bring more shoppers to local businesses, make the street "
        "safer for the families who already walk it, and cost the city less than the parking "
        "garage it is planning to build.",
    ),
    ExemplarContent(
        "AW.1",
        "Exceeding",
        "Op-ed opening: a precise claim, qualified where the evidence demands",
        "The city should close Main Street to cars on summer Saturdays, but only if it keeps "
        "the two delivery hours shop owners asked for. Closing the street outright would hurt "
        "the very businesses a car-free street is meant to help; a trial season with delivery "
        "windows lets the city measure foot traffic before making the change permanent.",
    ),
    ExemplarContent(
        "AW.2",
        "Meeting",
        "Supporting a reason with cited evidence",
        "Pedestrian streets draw shoppers. When Burlington closed Church Street to cars, "
        "ground-floor vacancies fell from 12% to 4% within three years (Burlington Business "
        "Association, 2019). Our own Main Street merchants' survey found that 61% of weekend "
        "customers arrive on foot or by bike already.",
    ),
    ExemplarContent(
        "QR.1",
        "Meeting",
        "Lab write-up: the relationship as an equation, a table and a graph",
        "Let t be the time in minutes and T the water temperature in degrees C. From the table "
        "(0, 21), (5, 33), (10, 45), (15, 57) the temperature rises 12 degrees every 5 "
        "minutes, so T = 2.4t + 21. The graph is a straight line crossing the T axis at 21, "
        "which is the room temperature we started from.",
    ),
    ExemplarContent(
        "QR.1",
        "Exceeding",
        "Lab write-up: choosing the representation that answers the question",
        "The table shows a constant rate of 2.4 degrees per minute, but the graph shows where "
        "the model stops working: after 30 minutes the points bend below the line as the water "
        "nears boiling. T = 2.4t + 21 describes the first 30 minutes only; past that a linear "
        "model overestimates the temperature, so we report both the equation and its range.",
    ),
    ExemplarContent(
        "SI.1",
        "Meeting",
        "Enzyme lab: a testable question and hypothesis",
        "Question: How does temperature affect how fast catalase breaks down hydrogen peroxide? "
        "Hypothesis: if the temperature rises from 10 to 37 degrees C, the reaction will "
        "produce more oxygen per minute, because enzyme and substrate molecules collide more "
        "often; above 50 degrees the rate will drop as the enzyme denatures.",
    ),
    ExemplarContent(
        "CM.1",
        "Meeting",
        "Speech notes: purpose and audience named before the first line",
        "Audience: the city council, who care about cost and safety. Purpose: win a one-season "
        "trial. Open with the near-miss at Main and 3rd last June, give the three reasons in "
        "one sentence each, and end with the exact request: a vote on the trial at the May "
        "meeting.",
    ),
)


def post_exemplars(
    *, subskills: dict[str, Subskill], scale: PerformanceScale, teacher: User
) -> int:
    """Post the exemplars; returns how many. Fixed content, no randomness."""
    levels = {level.label: level for level in scale.levels.all()}
    for content in EXEMPLARS:
        add_exemplar(
            subskills[content.subskill],
            levels[content.level],
            name=f"demo-{content.subskill}-{content.level}.txt".lower(),
            content=content.text.encode(),
            caption=content.caption,
            uploaded_by=teacher,
        )
    return len(EXEMPLARS)
