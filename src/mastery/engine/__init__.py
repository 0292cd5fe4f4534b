"""The grading engine: every rule that turns evidence into ratings, grades and credits.

Pure Python: values in, values out. No Django, no database, no clock (dates such as ``as_of`` are
arguments). The contract is GRADING.md; docs/grading-policies.md explains it for schools.

- `scales`: performance levels, cut scores, the mastery level.
- `evidence`: at-bats (ledger entries) and the counting rules.
- `methods`: the calculation methods and their registry.
- `policy`: the policy document, validated into a frozen `Policy`.
- `rating`: `rate()` -- one student, one target: rating, explanation, next step.
- `rollups`: competency from subskills, course grade, credit, graduation.
"""
