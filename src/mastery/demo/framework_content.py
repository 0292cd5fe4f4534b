"""Riverside High School's competency framework, as its teachers wrote it.

Plain data: eight competencies, each an ordered progression of subskills across the grade bands
9-10 and 11-12, with rubric language for every subskill at every level of the four-level scale.
`school.py` turns it into records through the frameworks api.
"""

from dataclasses import dataclass

BAND_9_10 = "9-10"
BAND_11_12 = "11-12"


@dataclass(frozen=True)
class LevelContent:
    value: int
    label: str
    description: str
    is_mastery: bool


SCALE_KEY = "four-level"
SCALE_NAME = "Riverside four-level scale"
LEVELS = (
    LevelContent(
        1,
        "Beginning",
        "Shows an early, partial grasp of the skill; needs substantial guidance to use it.",
        False,
    ),
    LevelContent(
        2,
        "Developing",
        "Uses the skill with some success; work is uneven and still leans on support.",
        False,
    ),
    LevelContent(
        3,
        "Meeting",
        "Uses the skill accurately and independently in a familiar context: mastery.",
        True,
    ),
    LevelContent(
        4,
        "Exceeding",
        "Uses the skill with insight and transfers it to new, more complex contexts.",
        False,
    ),
)


@dataclass(frozen=True)
class SubskillContent:
    key: str
    title: str
    band: str
    description: str
    beginning: str
    developing: str
    meeting: str
    exceeding: str

    @property
    def descriptors(self) -> tuple[str, str, str, str]:
        return (self.beginning, self.developing, self.meeting, self.exceeding)


@dataclass(frozen=True)
class CompetencyContent:
    key: str
    title: str
    description: str
    subskills: tuple[SubskillContent, ...]


ARGUMENTATIVE_WRITING = CompetencyContent(
    "AW",
    "Argumentative Writing",
    "Writes arguments that take a defensible position, support it with evidence and reasoning, "
    "and answer the strongest objections.",
    (
        SubskillContent(
            "AW.1",
            "Make a clear, arguable claim",
            BAND_9_10,
            "States a position someone could reasonably dispute, and keeps the piece pointed at "
            "it.",
            "Names a topic or shares an opinion, but not a claim anyone could dispute.",
            "States an arguable claim that is broad or vague; the reader has to guess its scope.",
            "States a precise, arguable claim that sets the direction of the whole piece.",
            "States a precise claim that anticipates complexity and qualifies it where the "
            "evidence demands.",
        ),
        SubskillContent(
            "AW.2",
            "Support reasons with relevant evidence",
            BAND_9_10,
            "Chooses facts, quotations and data that actually bear on each reason.",
            "Offers personal opinion or general knowledge in place of evidence.",
            "Includes evidence, but some of it is loosely related or comes from a single source.",
            "Supports each reason with relevant, accurately cited evidence from credible sources.",
            "Selects the most telling evidence from varied sources and weighs its strength.",
        ),
        SubskillContent(
            "AW.3",
            "Explain how evidence supports the claim",
            BAND_9_10,
            "Writes the commentary that connects evidence to the claim instead of letting a "
            "quotation speak for itself.",
            "Drops evidence into the text with no explanation of why it matters.",
            "Explains some evidence, often by restating it rather than interpreting it.",
            "Explains clearly how each piece of evidence supports the reason and the claim.",
            "Interprets evidence insightfully, drawing out implications a reader would miss.",
        ),
        SubskillContent(
            "AW.4",
            "Address counterclaims fairly and rebut them",
            BAND_11_12,
            "Represents the strongest opposing view honestly and answers it with reasoning.",
            "Ignores opposing views or dismisses them without a reason.",
            "Mentions a counterclaim, but in a weak form or without a real rebuttal.",
            "Presents a fair counterclaim and rebuts it with evidence and reasoning.",
            "Engages the strongest counterclaim, concedes what is valid and uses it to "
            "sharpen the argument.",
        ),
        SubskillContent(
            "AW.5",
            "Organize an argument with purposeful structure",
            BAND_11_12,
            "Orders reasons, evidence and transitions so the argument builds.",
            "Ideas appear in the order they occurred to the writer; the reader loses the thread.",
            "Follows a template structure; transitions are mechanical and some sections drift.",
            "Orders ideas so the argument builds, with transitions that show logical "
            "relationships.",
            "Shapes structure strategically for the audience, so that the form itself persuades.",
        ),
        SubskillContent(
            "AW.6",
            "Write with precise language and an appropriate style",
            BAND_11_12,
            "Chooses words, sentence patterns and tone that suit the audience and purpose.",
            "Language is vague or informal in ways that obscure the argument.",
            "Language is mostly clear, with lapses in precision, tone or sentence control.",
            "Uses precise vocabulary and a consistent, formal tone suited to the audience.",
            "Commands a distinctive, controlled style; word choice and rhythm strengthen the "
            "argument.",
        ),
    ),
)

QUANTITATIVE_REASONING = CompetencyContent(
    "QR",
    "Quantitative Reasoning",
    "Represents situations mathematically, solves problems accurately, and interprets results, "
    "models and data in context.",
    (
        SubskillContent(
            "QR.1",
            "Represent relationships with equations, tables and graphs",
            BAND_9_10,
            "Moves between verbal, symbolic, tabular and graphical representations of a "
            "relationship.",
            "Uses one representation, with errors in setting it up.",
            "Builds a correct representation but struggles to connect it to another form.",
            "Represents a relationship accurately in several forms and connects them.",
            "Chooses the representation that best reveals the structure and explains why.",
        ),
        SubskillContent(
            "QR.2",
            "Solve multi-step problems accurately",
            BAND_9_10,
            "Plans a path through a problem and carries out the computation without slips.",
            "Starts a strategy but cannot carry it through; frequent computational errors.",
            "Reaches a solution with an appropriate strategy, with some errors along the way.",
            "Solves multi-step problems with an efficient strategy and accurate computation.",
            "Solves non-routine problems, compares strategies and checks results independently.",
        ),
        SubskillContent(
            "QR.3",
            "Interpret results in context",
            BAND_9_10,
            "Says what an answer means for the situation, with sensible units and precision.",
            "Reports a number without units or without connecting it to the question.",
            "Connects the answer to the context, but misses units, precision or reasonableness.",
            "Interprets results in context with correct units, precision and a reasonableness "
            "check.",
            "Interprets results critically, noting what they do and do not show about the "
            "situation.",
        ),
        SubskillContent(
            "QR.4",
            "Build and evaluate mathematical models",
            BAND_11_12,
            "Chooses a function or model for a real situation, fits it and judges its limits.",
            "Applies a model without regard to whether it fits the situation.",
            "Chooses a plausible model, but justifies or tests it only partially.",
            "Builds a model suited to the situation, tests it against data and states its limits.",
            "Compares competing models, refines the best one and explains the trade-offs.",
        ),
        SubskillContent(
            "QR.5",
            "Reason about data, variability and uncertainty",
            BAND_11_12,
            "Describes distributions, compares groups and draws conclusions that respect chance.",
            "Compares single values and treats any difference as meaningful.",
            "Describes center and spread, but draws conclusions that overstate the data.",
            "Uses center, spread and sampling to draw conclusions with appropriate uncertainty.",
            "Questions how the data were produced and quantifies how confident a conclusion can "
            "be.",
        ),
    ),
)

SCIENTIFIC_INQUIRY = CompetencyContent(
    "SI",
    "Scientific Inquiry",
    "Investigates the natural world: asks testable questions, designs fair tests, and reasons "
    "from data to conclusions while owning the limits of the evidence.",
    (
        SubskillContent(
            "SI.1",
            "Ask testable questions and form hypotheses",
            BAND_9_10,
            "Turns curiosity into a question an investigation can answer, with a reasoned "
            "prediction.",
            "Asks a question that cannot be tested, or predicts without a reason.",
            "Asks a testable question; the hypothesis is a guess not linked to science ideas.",
            "Writes a testable question and a hypothesis justified by scientific reasoning.",
            "Frames a focused question that builds on prior findings and predicts a mechanism.",
        ),
        SubskillContent(
            "SI.2",
            "Plan and carry out a fair investigation",
            BAND_9_10,
            "Identifies variables, controls what must be controlled, and repeats trials.",
            "Follows steps given by others; variables are not identified.",
            "Names the variables but leaves some uncontrolled or runs too few trials.",
            "Designs a fair test that controls variables, with enough trials to trust the results.",
            "Designs an efficient, safe investigation and anticipates confounding factors.",
        ),
        SubskillContent(
            "SI.3",
            "Collect, organize and display data",
            BAND_9_10,
            "Records measurements carefully and presents them in clear tables and graphs.",
            "Records data incompletely; tables or graphs are missing labels or units.",
            "Records data in a table; the graph type or scale does not suit the data.",
            "Organizes complete data in labeled tables and chooses an appropriate graph.",
            "Presents data so that patterns and anomalies are immediately visible.",
        ),
        SubskillContent(
            "SI.4",
            "Analyze data to draw evidence-based conclusions",
            BAND_11_12,
            "Finds patterns in data and writes conclusions that follow from them.",
            "States a conclusion that the data do not support.",
            "Describes a pattern but overreaches or ignores data that do not fit.",
            "Draws a conclusion supported by the data, citing specific values and trends.",
            "Connects the conclusion to a scientific model and explains any anomalous results.",
        ),
        SubskillContent(
            "SI.5",
            "Evaluate error and limitations, and propose improvements",
            BAND_11_12,
            "Judges how far results can be trusted and how the investigation could be better.",
            "Blames 'human error' without saying what went wrong.",
            "Names sources of error but not their effect on the results.",
            "Explains specific sources of error, their likely effect, and realistic improvements.",
            "Estimates the size of errors and redesigns the investigation to reduce them.",
        ),
    ),
)

HISTORICAL_THINKING = CompetencyContent(
    "HT",
    "Historical Thinking",
    "Reads the past through its sources: weighs who wrote what and why, explains causes and "
    "change, and builds arguments about history from evidence.",
    (
        SubskillContent(
            "HT.1",
            "Source and contextualize primary documents",
            BAND_9_10,
            "Asks who made a source, when, for whom and why, and places it in its time.",
            "Reads a source for facts only, without asking who made it or why.",
            "Identifies author and date but does not explain how they shape the source.",
            "Explains how a source's author, purpose and context shape what it says.",
            "Uses sourcing and context to judge a document's reliability for a specific question.",
        ),
        SubskillContent(
            "HT.2",
            "Explain cause and consequence",
            BAND_9_10,
            "Explains why events happened and what followed, distinguishing kinds of causes.",
            "Lists events in order without explaining how they are connected.",
            "Names causes and effects, but treats them as single and simple.",
            "Explains multiple causes and consequences and how they are connected.",
            "Weighs the relative importance of causes, including long-term and short-term ones.",
        ),
        SubskillContent(
            "HT.3",
            "Analyze continuity and change over time",
            BAND_9_10,
            "Identifies what changed and what stayed the same across a period, and why.",
            "Describes one moment in time without comparison.",
            "Notes changes across a period but overlooks what stayed the same.",
            "Explains patterns of both continuity and change across a period, with evidence.",
            "Explains why some things changed while others persisted, across regions or groups.",
        ),
        SubskillContent(
            "HT.4",
            "Corroborate and weigh multiple perspectives",
            BAND_11_12,
            "Compares sources and viewpoints, including historians', and reconciles them.",
            "Relies on a single source or viewpoint.",
            "Compares sources, but lists their differences without weighing them.",
            "Corroborates sources against one another and explains why accounts differ.",
            "Weighs competing interpretations, including historians', and takes a reasoned "
            "position.",
        ),
        SubskillContent(
            "HT.5",
            "Construct a historical argument from evidence",
            BAND_11_12,
            "Makes a defensible claim about the past and supports it with well-chosen evidence.",
            "Retells events rather than making a claim about them.",
            "Makes a claim, supported by general or loosely chosen evidence.",
            "Makes a defensible historical claim supported by specific, sourced evidence.",
            "Makes a nuanced claim that accounts for complexity and contrary evidence.",
        ),
    ),
)

COMMUNICATION = CompetencyContent(
    "CM",
    "Communication",
    "Speaks, listens and presents so that ideas reach a real audience and hold up to questions.",
    (
        SubskillContent(
            "CM.1",
            "Speak clearly and purposefully to an audience",
            BAND_9_10,
            "Delivers a message with a clear purpose, audible voice, eye contact and pacing.",
            "Reads from notes; the purpose is unclear and the audience loses interest.",
            "Has a clear purpose, but delivery (volume, pacing, eye contact) gets in the way.",
            "Speaks with a clear purpose and a delivery that keeps the audience engaged.",
            "Speaks with poise and presence, adjusting delivery to the audience's reactions.",
        ),
        SubskillContent(
            "CM.2",
            "Listen actively and respond to others' ideas",
            BAND_9_10,
            "Listens to understand, then responds by building on, questioning or challenging.",
            "Waits to speak; responses do not connect to what others said.",
            "Responds to others, mostly by agreeing or repeating their points.",
            "Paraphrases others accurately and responds with questions, extensions or challenges.",
            "Synthesizes several speakers' ideas and moves the whole discussion forward.",
        ),
        SubskillContent(
            "CM.3",
            "Design visual aids that support the message",
            BAND_9_10,
            "Builds slides, posters and displays that clarify rather than decorate.",
            "Visuals are crowded with text or unrelated to the message.",
            "Visuals are related to the message but cluttered or hard to read.",
            "Visuals are clear and uncluttered, and make the key points easier to grasp.",
            "Visuals make complex information instantly clear and are integrated into the talk.",
        ),
        SubskillContent(
            "CM.4",
            "Adapt message and medium to audience and purpose",
            BAND_11_12,
            "Chooses content, register and medium for a specific audience and purpose.",
            "Uses the same approach regardless of audience.",
            "Adjusts some choices for the audience, but inconsistently.",
            "Adapts content, tone and medium deliberately to the audience and purpose.",
            "Anticipates the audience's needs and objections and crafts the message around them.",
        ),
        SubskillContent(
            "CM.5",
            "Field questions and defend ideas in real time",
            BAND_11_12,
            "Answers questions and challenges on the spot, with evidence and composure.",
            "Avoids questions or answers off the point.",
            "Answers straightforward questions; challenging ones get vague responses.",
            "Answers questions directly and defends ideas with evidence and composure.",
            "Turns hard questions into opportunities to deepen and refine the argument.",
        ),
    ),
)

COLLABORATION = CompetencyContent(
    "CO",
    "Collaboration",
    "Works with others toward shared goals: does their part, brings every voice in, and helps "
    "the team decide and improve.",
    (
        SubskillContent(
            "CO.1",
            "Contribute a fair share and follow through",
            BAND_9_10,
            "Takes on a real share of the work and delivers it when the team needs it.",
            "Contributes little, or only when prompted by teammates or the teacher.",
            "Completes assigned tasks, sometimes late or below the team's expectations.",
            "Does a fair share of the work, on time and to the standard the team agreed.",
            "Takes initiative beyond their role and helps teammates meet their commitments.",
        ),
        SubskillContent(
            "CO.2",
            "Build on others' ideas and include every voice",
            BAND_9_10,
            "Makes room for teammates, draws out quiet voices, and builds on their ideas.",
            "Dominates or withdraws from the group's conversation.",
            "Listens to teammates but rarely builds on their ideas or invites others in.",
            "Builds on teammates' ideas and makes sure every member is heard.",
            "Creates a climate where the team's ideas combine into something better than any one.",
        ),
        SubskillContent(
            "CO.3",
            "Navigate disagreement and reach decisions",
            BAND_11_12,
            "Treats disagreement as useful and helps the group reach a decision it can own.",
            "Avoids conflict or lets it become personal.",
            "Voices disagreement, but the group struggles to resolve it.",
            "Disagrees respectfully with reasons and helps the group reach a shared decision.",
            "Mediates conflict so that the disagreement improves the team's decision.",
        ),
        SubskillContent(
            "CO.4",
            "Reflect on and improve team process",
            BAND_11_12,
            "Looks back at how the team worked and changes how it works next time.",
            "Reflection is limited to whether the group 'worked well'.",
            "Identifies what went well or badly, without proposing changes.",
            "Analyzes the team's process with specific examples and proposes workable changes.",
            "Leads the team in putting process changes into practice and checks their effect.",
        ),
    ),
)

SELF_DIRECTION = CompetencyContent(
    "SD",
    "Self-Direction",
    "Owns their learning: sets goals, manages time, seeks and uses feedback, and reflects to "
    "adjust how they learn.",
    (
        SubskillContent(
            "SD.1",
            "Set specific learning goals",
            BAND_9_10,
            "Sets goals that say what will improve, how, and how they will know.",
            "Sets vague goals such as 'do better' or 'try harder'.",
            "Sets a goal about a skill, without a plan or a way to measure progress.",
            "Sets specific, measurable goals grounded in feedback and evidence of their work.",
            "Sets ambitious, well-sequenced goals and revisits them as evidence comes in.",
        ),
        SubskillContent(
            "SD.2",
            "Plan and manage time toward deadlines",
            BAND_9_10,
            "Breaks work into steps, schedules them, and adjusts when plans slip.",
            "Starts work late; deadlines are missed without a plan to recover.",
            "Makes a plan, but does not follow it consistently; work is rushed near deadlines.",
            "Plans steps and checkpoints and meets deadlines with work of steady quality.",
            "Manages several long tasks at once and adjusts plans before problems arise.",
        ),
        SubskillContent(
            "SD.3",
            "Seek out feedback and use it to revise",
            BAND_11_12,
            "Asks for specific feedback and uses it to make substantive revisions.",
            "Does not seek feedback; revisions fix surface errors only.",
            "Accepts feedback when given and makes some of the suggested changes.",
            "Seeks specific feedback and makes substantive revisions that improve the work.",
            "Seeks feedback from varied sources, weighs it, and decides which to act on and why.",
        ),
        SubskillContent(
            "SD.4",
            "Reflect on learning and adjust strategies",
            BAND_11_12,
            "Thinks about how they learn, and changes strategies based on what they notice.",
            "Describes what they did rather than what they learned.",
            "Names strengths and weaknesses in general terms.",
            "Reflects with evidence from their work and adjusts strategies in response.",
            "Reflects on their learning over time and transfers strategies to new challenges.",
        ),
    ),
)

CREATIVE_PROBLEM_SOLVING = CompetencyContent(
    "CP",
    "Creative Problem Solving",
    "Defines real problems, generates and develops ideas, and prototypes, tests and improves "
    "solutions against clear criteria.",
    (
        SubskillContent(
            "CP.1",
            "Define the problem, the users and the constraints",
            BAND_9_10,
            "Says precisely what problem is being solved, for whom, and within which limits.",
            "Describes a general topic rather than a problem.",
            "States a problem, but misses important users or constraints.",
            "Defines the problem, its users and its constraints clearly enough to guide the work.",
            "Reframes the problem after research, revealing its real cause or need.",
        ),
        SubskillContent(
            "CP.2",
            "Generate and develop multiple ideas",
            BAND_9_10,
            "Produces varied ideas before choosing, and develops the promising ones.",
            "Settles on the first idea.",
            "Generates several ideas, mostly variations on one approach.",
            "Generates genuinely different ideas and develops the most promising ones.",
            "Combines and transforms ideas into original approaches others had not considered.",
        ),
        SubskillContent(
            "CP.3",
            "Prototype, test and iterate",
            BAND_11_12,
            "Builds quick versions, tests them with users or data, and improves them.",
            "Builds one version and stops.",
            "Tests a prototype, but changes it without using what the test showed.",
            "Tests prototypes systematically and uses the results to improve each iteration.",
            "Designs tests that isolate what matters and iterates efficiently toward the goal.",
        ),
        SubskillContent(
            "CP.4",
            "Evaluate solutions against criteria and justify choices",
            BAND_11_12,
            "Judges a solution by agreed criteria and explains the trade-offs made.",
            "Judges a solution by personal preference.",
            "Refers to criteria, but evaluation is one-sided or unsupported.",
            "Evaluates solutions against the criteria with evidence and justifies trade-offs.",
            "Weighs trade-offs among criteria and recommends a solution persuasively to others.",
        ),
    ),
)

COMPETENCIES = (
    ARGUMENTATIVE_WRITING,
    QUANTITATIVE_REASONING,
    SCIENTIFIC_INQUIRY,
    HISTORICAL_THINKING,
    COMMUNICATION,
    COLLABORATION,
    SELF_DIRECTION,
    CREATIVE_PROBLEM_SOLVING,
)
