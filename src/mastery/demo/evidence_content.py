"""What Riverside's teachers and students write beside an at-bat: feedback, notes on support,
self-assessment remarks, and the reasons behind the demo's corrections and voids."""

# Feedback by competency: for work below Meeting, then for work at or above it.
FEEDBACK: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AW": (
        (
            "Your claim is a topic, not a position yet: what exactly do you want the reader to "
            "believe?",
            "Good quotation; now add two sentences explaining why it proves your point.",
            "The counterargument is named but not answered. Rebut it directly.",
        ),
        (
            "Precise claim and well-chosen evidence. Your commentary does the real work here.",
            "The rebuttal in paragraph four is the strongest writing you have done this term.",
        ),
    ),
    "QR": (
        (
            "Set-up is right; check the sign when you distribute in step 3.",
            "Label your axes and units, and say what the slope means for the situation.",
            "Your answer is a number: what does it tell the customer?",
        ),
        (
            "Clean, efficient solution, and the reasonableness check is a nice touch.",
            "Excellent: you compared two models and explained why the exponential one fits better.",
        ),
    ),
    "SI": (
        (
            "Your hypothesis needs a 'because': what science idea predicts this?",
            "Only one trial per condition: how sure can you be of the pattern?",
            "The conclusion goes beyond your data. Stick to what the graph shows.",
        ),
        (
            "Well-controlled design, and you explained the outlier instead of ignoring it.",
            "Strong error analysis: you estimated how much the heat loss affected your result.",
        ),
    ),
    "HT": (
        (
            "Who wrote this, and why might that shape what they say? Start with the source line.",
            "You list causes; now explain how they connect and which mattered most.",
            "Retelling, not arguing yet. What is your claim about this period?",
        ),
        (
            "Excellent sourcing: you used the author's position to judge the document's "
            "reliability.",
            "Your argument weighs both historians fairly and still takes a clear position.",
        ),
    ),
    "CM": (
        (
            "Strong content; look up from your notes and slow down in the second half.",
            "Your slides carry too much text: one idea and one image per slide.",
            "Try paraphrasing a classmate's point before you respond to it.",
        ),
        (
            "Confident delivery, and you handled the hardest question with evidence.",
            "You adapted beautifully when the panel pushed back.",
        ),
    ),
    "CO": (
        (
            "Your team needed your part on Tuesday; let's plan check-ins for the next project.",
            "Invite the quieter members in: ask them before you share your own idea.",
        ),
        (
            "You kept the group on track and made sure every voice was heard.",
            "Great mediation when the team disagreed about the design.",
        ),
    ),
    "SD": (
        (
            "'Do better' is a wish, not a goal. What will you practice, and how will you know?",
            "Break the project into three checkpoints and put them in your planner.",
        ),
        (
            "Specific, measurable goals grounded in your feedback: exactly right.",
            "Your revision plan shows you really used the feedback.",
        ),
    ),
    "CP": (
        (
            "You settled on the first idea. Sketch two very different alternatives first.",
            "Test your prototype before changing it, and write down what the test showed.",
        ),
        (
            "Three genuine iterations, each driven by test results. Impressive.",
            "Clear trade-off analysis against the client's criteria.",
        ),
    ),
}

SUPPORT_NOTES = (
    "Completed with a graphic organizer and teacher check-ins.",
    "Worked with the learning specialist on the planning step.",
    "Sentence starters and a worked example were provided.",
    "Extended time and a scribe for part of the task.",
    "Completed in a small group with guided prompts.",
)

MAKE_UP_NOTE = "Make-up work after an absence."

# What students write beside a self-assessment: when they rate themselves below Meeting, then
# at or above it.
SELF_ASSESSMENT_REMARKS = (
    (
        "I think I'm still Developing on this.",
        "I ran out of time at the end.",
        "I wasn't sure about the middle part.",
        "My evidence was OK but my explanation was rushed.",
    ),
    (
        "I'm proud of this one.",
        "I worked hard on this and I think it shows.",
        "Better than last time: I used the feedback.",
        "I think I really get this now.",
    ),
)
