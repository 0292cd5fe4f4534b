"""Riverside's courses, their learning experiences in scope-and-sequence order, and sections.

Plain data; `school.py` creates the records through the curriculum and rosters apis.
"""

from dataclasses import dataclass
from decimal import Decimal

from mastery.curriculum.api import ExperienceKind

PROJECT = ExperienceKind.PROJECT
LAB = ExperienceKind.LAB
ESSAY = ExperienceKind.ESSAY
TASK = ExperienceKind.PERFORMANCE_TASK
PRESENTATION = ExperienceKind.PRESENTATION
DISCUSSION = ExperienceKind.DISCUSSION
TEST = ExperienceKind.TEST
PRACTICE = ExperienceKind.PRACTICE

CREDIT_AREAS = (
    ("english", "English"),
    ("mathematics", "Mathematics"),
    ("science", "Science"),
    ("social-studies", "Social Studies"),
)


@dataclass(frozen=True)
class ExperienceContent:
    title: str
    kind: ExperienceKind
    subskills: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class CourseContent:
    key: str
    title: str
    credit_area: str
    lowest_grade: int
    highest_grade: int
    description: str
    competencies: tuple[tuple[str, Decimal], ...]
    experiences: tuple[ExperienceContent, ...]
    credit_value: Decimal = Decimal("1.0")


def _weights(*pairs: tuple[str, str]) -> tuple[tuple[str, Decimal], ...]:
    return tuple((key, Decimal(weight)) for key, weight in pairs)


COURSES = (
    CourseContent(
        "ENG-CA",
        "Composition and Argument",
        "english",
        9,
        10,
        "Students learn to take a position and defend it in writing and speech, from op-eds "
        "to a city-council speech, and set goals for their growth as writers.",
        _weights(("AW", "2"), ("CM", "1"), ("SD", "1"), ("CO", "0.5")),
        (
            ExperienceContent(
                "Claim clinic: arguable or not?",
                PRACTICE,
                ("AW.1", "AW.2"),
                "Sort twenty statements into facts, opinions and arguable claims, then sharpen "
                "three of them and find one piece of evidence for each.",
            ),
            ExperienceContent(
                "Op-ed: Should Riverside start school later?",
                ESSAY,
                ("AW.1", "AW.2", "AW.3", "SD.2"),
                "A 600-word op-ed for the school paper, using the sleep-research packet, "
                "drafted in three checkpoints.",
            ),
            ExperienceContent(
                "Writing goals conference",
                TASK,
                ("SD.1", "SD.2"),
                "A one-on-one conference: set two writing goals from the op-ed feedback and plan "
                "the next four weeks.",
            ),
            ExperienceContent(
                "Socratic seminar: Is social media good for democracy?",
                DISCUSSION,
                ("CM.2", "CO.2", "AW.2"),
            ),
            ExperienceContent(
                "Research brief: Riverside Creek water quality",
                PROJECT,
                ("AW.2", "AW.3", "SD.2", "CO.2"),
                "A two-page brief, written in pairs for the town's environmental committee, "
                "citing at least three sources.",
            ),
            ExperienceContent(
                "Peer editing workshop",
                TASK,
                ("CO.1", "CO.2", "CM.2", "AW.3"),
                "Give and take feedback on a partner's brief with the rubric in hand.",
            ),
            ExperienceContent(
                "Speech: persuade the city council",
                PRESENTATION,
                ("CM.1", "CM.2", "CM.3", "AW.1"),
                "A three-minute speech with one visual, delivered to a panel playing the "
                "council, then two minutes of questions.",
            ),
            ExperienceContent(
                "Timed argument essay",
                TEST,
                ("AW.1", "AW.2", "AW.3"),
                "Forty-five minutes, an unseen prompt, a short source set.",
            ),
            ExperienceContent(
                "Portfolio defense",
                PRESENTATION,
                ("CM.1", "SD.1", "AW.3"),
                "Present three pieces from the semester and argue for the growth they show.",
            ),
        ),
    ),
    CourseContent(
        "MTH-AF",
        "Algebra and Functions",
        "mathematics",
        9,
        10,
        "Linear, exponential and quadratic functions as tools for modeling real situations, "
        "with a steady diet of non-routine problems solved in teams.",
        _weights(("QR", "3"), ("CP", "1"), ("CO", "1")),
        (
            ExperienceContent("Visual patterns warm-up", PRACTICE, ("QR.1", "QR.2")),
            ExperienceContent(
                "Phone plans: comparing linear models",
                PROJECT,
                ("QR.1", "QR.3", "CP.1", "CO.2"),
                "In pairs: which of three real phone plans is best for which kind of user? "
                "Tables, equations and graphs, and a recommendation.",
            ),
            ExperienceContent(
                "Unit test: linear equations and inequalities",
                TEST,
                ("QR.1", "QR.2"),
            ),
            ExperienceContent(
                "Team problem: the fence puzzle",
                TASK,
                ("CO.1", "CO.2", "CP.2", "QR.2"),
                "Maximize a garden's area with a fixed length of fence; every member explains "
                "one approach.",
            ),
            ExperienceContent(
                "Design a skate ramp",
                TASK,
                ("QR.2", "QR.3", "CP.1", "CP.2"),
                "Slopes, lengths and a materials budget for a ramp the parks department could "
                "build.",
            ),
            ExperienceContent("Systems of equations quiz", TEST, ("QR.2", "QR.3")),
            ExperienceContent(
                "Exponential growth: modeling a viral video",
                PROJECT,
                ("QR.1", "QR.3", "CP.2", "CO.2"),
            ),
            ExperienceContent(
                "Projectile lab: quadratics from video",
                LAB,
                ("QR.1", "QR.2", "CO.1"),
                "Film a thrown ball, extract points frame by frame, fit a quadratic.",
            ),
            ExperienceContent(
                "Problem-solving portfolio",
                PRESENTATION,
                ("QR.3", "CP.1", "CP.2"),
            ),
        ),
    ),
    CourseContent(
        "SCI-BIO",
        "Biology: Living Systems",
        "science",
        9,
        10,
        "Cells, genetics, evolution and ecosystems, learned by investigating them: labs in the "
        "classroom and a field study on Riverside Creek.",
        _weights(("SI", "3"), ("QR", "1"), ("CO", "1"), ("CM", "1")),
        (
            ExperienceContent("Microscope skills and lab safety", PRACTICE, ("SI.2", "SI.3")),
            ExperienceContent(
                "Enzyme activity lab",
                LAB,
                ("SI.1", "SI.2", "SI.3", "QR.1"),
                "How does temperature affect catalase activity in liver and potato?",
            ),
            ExperienceContent(
                "Osmosis in potato cores",
                LAB,
                ("SI.2", "SI.3", "QR.1", "CO.1"),
            ),
            ExperienceContent(
                "Cell transport data analysis test",
                TEST,
                ("SI.3", "QR.1", "QR.3"),
            ),
            ExperienceContent(
                "Riverside Creek field study",
                PROJECT,
                ("SI.1", "SI.3", "CO.1", "CM.3"),
                "Macroinvertebrate sampling at three sites; teams report on stream health "
                "with a poster for the town library.",
            ),
            ExperienceContent(
                "Genetics case study presentation",
                PRESENTATION,
                ("CM.1", "CM.3", "SI.1", "CO.1"),
            ),
            ExperienceContent(
                "Design your own experiment: plant growth",
                PROJECT,
                ("SI.1", "SI.2", "CO.2", "CM.3"),
            ),
            ExperienceContent(
                "Evidence for evolution gallery walk",
                DISCUSSION,
                ("CM.2", "SI.3"),
            ),
            ExperienceContent(
                "Unit test: ecosystems and energy",
                TEST,
                ("SI.3", "QR.3"),
            ),
        ),
    ),
    CourseContent(
        "SOC-WH",
        "World History: Turning Points",
        "social-studies",
        9,
        10,
        "Turning points from the Silk Roads to industrialization, read through primary "
        "sources and argued about in writing and debate.",
        _weights(("HT", "3"), ("AW", "1"), ("CM", "1"), ("CO", "0.5")),
        (
            ExperienceContent(
                "Primary source starter: the Code of Hammurabi",
                PRACTICE,
                ("HT.1", "HT.2"),
            ),
            ExperienceContent(
                "Document analysis: the Columbian Exchange",
                ESSAY,
                ("HT.1", "HT.2", "AW.2", "CO.1"),
                "Pairs read six documents, then each writes their own analysis.",
            ),
            ExperienceContent(
                "Silk Roads trade simulation",
                TASK,
                ("HT.3", "CO.1", "CO.2", "CM.2"),
                "Merchant teams trade along the routes over three centuries of events.",
            ),
            ExperienceContent(
                "Unit test: the Age of Revolutions",
                TEST,
                ("HT.1", "HT.2", "HT.3", "AW.2"),
            ),
            ExperienceContent(
                "DBQ: Causes of the French Revolution",
                ESSAY,
                ("HT.1", "HT.2", "AW.1", "AW.2"),
            ),
            ExperienceContent(
                "Museum exhibit: the Industrial Revolution then and now",
                PROJECT,
                ("HT.3", "CM.2", "CM.3", "CO.1"),
                "Teams build an exhibit and act as docents for visiting eighth graders.",
            ),
            ExperienceContent(
                "Debate: Was imperialism inevitable?",
                DISCUSSION,
                ("CM.2", "HT.2", "AW.1"),
            ),
            ExperienceContent(
                "Oral history interview",
                PROJECT,
                ("HT.1", "CM.1"),
                "Interview a family or community member about a change they lived through.",
            ),
            ExperienceContent(
                "Unit test: imperialism and its legacies",
                TEST,
                ("HT.2", "HT.3"),
            ),
        ),
    ),
    CourseContent(
        "ENG-LR",
        "Literature and Rhetoric",
        "english",
        11,
        12,
        "American literature and speeches read as arguments: how writers persuade, and how to "
        "answer them in your own voice.",
        _weights(("AW", "2"), ("CM", "1"), ("SD", "1")),
        (
            ExperienceContent("College essay workshop", PRACTICE, ("SD.3", "AW.6")),
            ExperienceContent(
                "Rhetorical analysis: Letter from Birmingham Jail",
                ESSAY,
                ("AW.5", "AW.6", "SD.3"),
                "Drafted, peer-reviewed and revised before it is scored.",
            ),
            ExperienceContent(
                "Seminar: The Great Gatsby and the American Dream",
                DISCUSSION,
                ("CM.5", "AW.4", "SD.4"),
            ),
            ExperienceContent(
                "Argument essay with counterclaims",
                ESSAY,
                ("AW.4", "AW.5", "SD.3"),
            ),
            ExperienceContent(
                "Writing conference and revision plan",
                TASK,
                ("SD.3", "SD.4", "CM.5"),
            ),
            ExperienceContent(
                "Podcast episode: a contested text",
                PROJECT,
                ("CM.4", "CM.5", "AW.6"),
                "A ten-minute episode arguing over a text the class disagreed about.",
            ),
            ExperienceContent("Timed synthesis essay", TEST, ("AW.4", "AW.5", "AW.6")),
            ExperienceContent(
                "Reflection: my growth as a writer",
                ESSAY,
                ("SD.4", "AW.6"),
            ),
            ExperienceContent(
                "Research paper",
                PROJECT,
                ("AW.4", "AW.5", "SD.3"),
            ),
        ),
    ),
    CourseContent(
        "MTH-SM",
        "Statistics and Modeling",
        "mathematics",
        11,
        12,
        "Collecting, describing and modeling data, and judging what it can and cannot tell us.",
        _weights(("QR", "3"), ("SI", "1"), ("CM", "1"), ("SD", "0.5")),
        (
            ExperienceContent("Class survey: collecting data", PRACTICE, ("QR.5", "SI.3")),
            ExperienceContent(
                "Describing distributions quiz",
                TEST,
                ("QR.5", "QR.3", "SI.4"),
            ),
            ExperienceContent(
                "Sampling and bias investigation",
                PROJECT,
                ("QR.5", "SI.4", "CM.4", "SD.3"),
                "Why did the cafeteria poll get it wrong? Design a better sample, revise it "
                "after feedback, and present it to the food-service manager.",
            ),
            ExperienceContent(
                "Regression project: what predicts home prices?",
                PROJECT,
                ("QR.4", "QR.5", "SI.4", "CM.4"),
            ),
            ExperienceContent(
                "Unit test: probability, with test corrections",
                TEST,
                ("QR.5", "QR.3", "SD.3"),
            ),
            ExperienceContent(
                "Modeling population growth",
                TASK,
                ("QR.4", "QR.3", "SI.5", "SD.3"),
            ),
            ExperienceContent(
                "Statistics in the news",
                PRESENTATION,
                ("CM.4", "CM.5", "QR.5", "SI.5"),
                "Pick a news story built on a statistic and judge whether it holds up.",
            ),
            ExperienceContent(
                "Independent study proposal",
                TASK,
                ("SD.3", "QR.4"),
            ),
            ExperienceContent(
                "Final modeling portfolio",
                PRESENTATION,
                ("QR.4", "CM.4", "SD.3"),
            ),
        ),
    ),
    CourseContent(
        "SCI-CHM",
        "Chemistry in Context",
        "science",
        11,
        12,
        "Chemistry through the problems it solves: clean water, energy, materials and medicine.",
        _weights(("SI", "3"), ("QR", "1"), ("CP", "1"), ("CO", "0.5")),
        (
            ExperienceContent("Lab notebook check", PRACTICE, ("SI.3", "SI.5")),
            ExperienceContent(
                "Density of unknown liquids lab",
                LAB,
                ("SI.4", "SI.5", "QR.3"),
            ),
            ExperienceContent("Stoichiometry problem set", TEST, ("QR.2", "QR.3")),
            ExperienceContent(
                "Reaction rates investigation",
                LAB,
                ("SI.4", "SI.5", "CP.3", "CO.3"),
                "Lab teams design, trial and refine their own procedure.",
            ),
            ExperienceContent(
                "Water treatment engineering challenge",
                PROJECT,
                ("CP.3", "CP.4", "CO.3", "SI.4"),
                "Teams build a filter for a turbid sample and test it against turbidity and "
                "cost criteria.",
            ),
            ExperienceContent("Unit test: bonding and structure", TEST, ("SI.4", "QR.3")),
            ExperienceContent(
                "Hand warmer design challenge",
                PROJECT,
                ("CP.3", "CP.4", "CO.3", "QR.2"),
                "Design a hand warmer from an exothermic reaction that meets a temperature and "
                "cost specification.",
            ),
            ExperienceContent(
                "Acid-base titration lab",
                LAB,
                ("SI.4", "SI.5", "QR.2"),
            ),
            ExperienceContent(
                "Green chemistry proposal",
                PRESENTATION,
                ("CP.4", "CO.3"),
            ),
        ),
    ),
    CourseContent(
        "SOC-USH",
        "U.S. History and Civic Life",
        "social-studies",
        11,
        12,
        "United States history from Reconstruction to the present, and the civic skills to "
        "act on a local issue.",
        _weights(("HT", "3"), ("AW", "1"), ("CM", "1"), ("CO", "1")),
        (
            ExperienceContent("Founding documents close reading", PRACTICE, ("HT.1", "HT.4")),
            ExperienceContent(
                "Perspectives on Reconstruction DBQ",
                ESSAY,
                ("HT.4", "HT.5", "AW.4"),
            ),
            ExperienceContent(
                "Mock Supreme Court: landmark cases",
                TASK,
                ("CM.5", "CO.3", "HT.5", "AW.4"),
                "Teams write a brief, then argue it before a bench of classmates.",
            ),
            ExperienceContent(
                "Unit test: the Progressive Era",
                TEST,
                ("HT.4", "HT.5", "AW.4"),
            ),
            ExperienceContent(
                "Civic action project: a local issue",
                PROJECT,
                ("CO.3", "CO.4", "CM.4", "CM.5"),
                "Research a town issue, meet a stakeholder and present a proposal.",
            ),
            ExperienceContent(
                "Oral history of the civil rights movement",
                PROJECT,
                ("HT.4", "CM.4", "CM.5", "CO.3"),
                "Pairs interview a witness and present the story with its historical context.",
            ),
            ExperienceContent(
                "Historiography seminar: the New Deal",
                DISCUSSION,
                ("HT.4", "CM.5"),
            ),
            ExperienceContent(
                "Research essay: a turning point",
                ESSAY,
                ("HT.5", "AW.4", "AW.5"),
            ),
        ),
    ),
    CourseContent(
        "ENG-PSD",
        "Public Speaking and Debate",
        "english",
        11,
        12,
        "Speeches, structured debate and the craft of answering questions under pressure.",
        _weights(("CM", "3"), ("AW", "1"), ("CO", "1"), ("SD", "1")),
        (
            ExperienceContent("Impromptu speaking drills", PRACTICE, ("CM.1", "CM.5")),
            ExperienceContent(
                "Informative speech",
                PRESENTATION,
                ("CM.1", "CM.4", "SD.3"),
                "Rehearsed twice with peer feedback before it is delivered.",
            ),
            ExperienceContent(
                "Policy debate, round one",
                TASK,
                ("CM.5", "AW.4", "CO.3", "CO.4"),
            ),
            ExperienceContent("Speech analysis essay", ESSAY, ("AW.4", "AW.5", "CM.4")),
            ExperienceContent(
                "Team debate: Should voting be mandatory?",
                TASK,
                ("CO.3", "CO.4", "CM.5", "AW.4"),
            ),
            ExperienceContent(
                "Speaker self-review",
                TASK,
                ("SD.3", "SD.4", "CO.4"),
                "Watch your debate recording, score it against the rubric and set a goal.",
            ),
            ExperienceContent(
                "Persuasive speech",
                PRESENTATION,
                ("CM.4", "CM.5", "AW.4", "SD.3"),
            ),
            ExperienceContent("Tournament showcase", PRESENTATION, ("CM.4", "CM.5", "CO.3")),
            ExperienceContent(
                "Extemporaneous speaking final",
                PRESENTATION,
                ("CM.1", "CM.4", "CM.5"),
            ),
        ),
    ),
    CourseContent(
        "SCI-DES",
        "Design and Engineering Studio",
        "science",
        11,
        12,
        "A studio course: students define real problems with real users, then prototype, test "
        "and pitch solutions.",
        _weights(("CP", "3"), ("CO", "2"), ("SD", "1"), ("CM", "1")),
        (
            ExperienceContent(
                "Design warm-up: redesign the lunch line",
                PRACTICE,
                ("CP.1", "CP.2"),
            ),
            ExperienceContent(
                "Empathy interviews",
                TASK,
                ("CP.1", "CM.2", "CM.4"),
                "Interview three people who use a space or product you want to improve.",
            ),
            ExperienceContent(
                "Bridge challenge",
                PROJECT,
                ("CP.3", "CP.4", "CO.1", "CO.3"),
            ),
            ExperienceContent(
                "Assistive device prototype",
                PROJECT,
                ("CP.3", "CP.4", "CM.4", "SD.3"),
                "Work with a client from the Riverside senior center on an everyday task.",
            ),
            ExperienceContent(
                "Design review presentations",
                PRESENTATION,
                ("CM.4", "CM.5", "CP.4", "SD.3"),
            ),
            ExperienceContent("Team retrospective", DISCUSSION, ("CO.3", "CO.4", "SD.4")),
            ExperienceContent(
                "Solar oven build and test",
                LAB,
                ("CP.3", "CP.4", "CO.3", "SD.3"),
            ),
            ExperienceContent("Capstone pitch", PRESENTATION, ("CP.4", "CM.5", "SD.4")),
            ExperienceContent(
                "Exhibition night",
                PRESENTATION,
                ("CM.4", "CM.5", "SD.4"),
                "Teams show their capstone work to families and the design advisory board.",
            ),
        ),
    ),
)


@dataclass(frozen=True)
class SectionContent:
    course: str
    key: str
    term: str
    teachers: tuple[str, ...]
    """Usernames; the first is the lead teacher, any others co-teach."""
    room: str
    period: str
    experiences_done: int = 0
    """How many of the course's experiences the section has done by the demo's "today"."""


FALL = "fall"
SPRING = "spring"

# Periods are distinct within each grade band, so no student has two classes at once; teachers
# who teach in both bands (Dana Whitfield) never teach two sections in the same period.
SECTIONS = (
    SectionContent("ENG-CA", "ENG-CA-01", FALL, ("teacher",), "112", "1", 7),
    SectionContent("ENG-CA", "ENG-CA-02", FALL, ("teacher", "rmendel"), "112", "3", 7),
    SectionContent("MTH-AF", "MTH-AF-01", FALL, ("praman", "rmendel"), "204", "2", 7),
    SectionContent("MTH-AF", "MTH-AF-02", FALL, ("praman",), "204", "4", 7),
    SectionContent("SCI-BIO", "SCI-BIO-01", FALL, ("mbell",), "231", "5", 7),
    SectionContent("SOC-WH", "SOC-WH-01", FALL, ("tnakamura",), "118", "6", 7),
    SectionContent("ENG-LR", "ENG-LR-01", FALL, ("teacher",), "114", "5", 7),
    SectionContent("MTH-SM", "MTH-SM-01", FALL, ("teacher2",), "206", "1", 7),
    SectionContent("SCI-CHM", "SCI-CHM-01", FALL, ("evasquez",), "233", "2", 7),
    SectionContent("SOC-USH", "SOC-USH-01", FALL, ("gadeyemi",), "120", "3", 6),
    SectionContent("ENG-PSD", "ENG-PSD-01", FALL, ("hlindqvist",), "150", "4", 7),
    SectionContent("SCI-DES", "SCI-DES-01", FALL, ("jcarter", "teacher2"), "140", "6", 7),
    SectionContent("ENG-CA", "ENG-CA-03", SPRING, ("teacher",), "112", "1"),
    SectionContent("SCI-BIO", "SCI-BIO-02", SPRING, ("mbell",), "231", "2"),
    SectionContent("SCI-CHM", "SCI-CHM-02", SPRING, ("evasquez",), "233", "3"),
    SectionContent("MTH-SM", "MTH-SM-02", SPRING, ("teacher2",), "206", "4"),
)
