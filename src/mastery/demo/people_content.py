"""The people of Riverside High School: staff, the named demo families, and the name pools the
generator draws every other student and family member from."""

from dataclasses import dataclass

from mastery.schools.api import Role


@dataclass(frozen=True)
class StaffContent:
    username: str
    first_name: str
    last_name: str
    role: Role
    title: str
    has_demo_password: bool = False
    """The named sign-ins have the password `demo`; other staff cannot sign in."""


STAFF = (
    StaffContent(
        "leader",
        "Angela",
        "Brooks",
        Role.LEADER,
        "Director of Teaching and Learning",
        has_demo_password=True,
    ),
    StaffContent("registrar", "Paul", "Jensen", Role.REGISTRAR, "Registrar", True),
    StaffContent(
        "teacher", "Dana", "Whitfield", Role.TEACHER, "English teacher and department lead", True
    ),
    StaffContent("teacher2", "Omar", "Haddad", Role.TEACHER, "Mathematics teacher", True),
    StaffContent("praman", "Priya", "Raman", Role.TEACHER, "Mathematics teacher"),
    StaffContent("mbell", "Marcus", "Bell", Role.TEACHER, "Biology teacher"),
    StaffContent("evasquez", "Elena", "Vásquez", Role.TEACHER, "Chemistry teacher"),
    StaffContent("tnakamura", "Thomas", "Nakamura", Role.TEACHER, "History teacher"),
    StaffContent("gadeyemi", "Grace", "Adeyemi", Role.TEACHER, "History and civics teacher"),
    StaffContent("hlindqvist", "Hannah", "Lindqvist", Role.TEACHER, "Speech and debate teacher"),
    StaffContent("jcarter", "Jamal", "Carter", Role.TEACHER, "Design and engineering teacher"),
    StaffContent("rmendel", "Ruth", "Mendel", Role.TEACHER, "Learning specialist (co-teaches)"),
)


@dataclass(frozen=True)
class NamedStudent:
    username: str
    first_name: str
    grade: int
    fall_sections: tuple[str, ...]
    has_demo_password: bool
    start: float
    """Latent level on the first day of the term (1-4 scale)."""
    growth: float
    """Levels gained over the fall term."""
    self_assessment_bias: float | None
    """How far they over- (or under-) rate their own work; None: does not self-assess."""
    strengths: tuple[tuple[str, float], ...] = ()
    """Competencies they are stronger (or weaker) in than their average; others are 0."""


@dataclass(frozen=True)
class NamedFamily:
    last_name: str
    guardian_username: str
    guardian_first_name: str
    children: tuple[NamedStudent, ...]


# The demo's storylines: Maya grows steadily, a confident writer and speaker who finds
# quantitative work harder; Sam, a ninth grader, is finding his feet (better at mathematics
# than writing, and underrates himself); Leo is a strong eleventh grader, strongest in
# statistics. Their sections are fixed, so the sign-ins show the same story whatever the seed.
NAMED_FAMILIES = (
    NamedFamily(
        "Okafor",
        "guardian",
        "Rosa",
        (
            NamedStudent("student", "Maya", 10, ("ENG-CA-01", "SCI-BIO-01"), True, 2.0, 1.1, 0.3),
            NamedStudent("sam.okafor", "Sam", 9, ("MTH-AF-01", "SOC-WH-01"), False, 1.6, 0.7, -0.3),
        ),
    ),
    NamedFamily(
        "Brandt",
        "guardian2",
        "Ben",
        (NamedStudent("student2", "Leo", 11, ("MTH-SM-01", "SOC-USH-01"), True, 2.5, 0.9, None),),
    ),
)

# Surnames that belong to one named family or member of staff, and are never drawn again.
RESERVED_LAST_NAMES = frozenset(
    {family.last_name for family in NAMED_FAMILIES} | {staff.last_name for staff in STAFF}
)

STUDENT_FIRST_NAMES = (
    "Aaliyah", "Aarav", "Abigail", "Adrian", "Aisha", "Alejandro", "Alex", "Amara", "Amelia",
    "Ana", "Andre", "Anika", "Arjun", "Ava", "Ayaan", "Beatriz", "Benjamin", "Bianca", "Brayden",
    "Caleb", "Camila", "Carlos", "Carmen", "Chloe", "Chris", "Daniel", "Daniela", "Darius",
    "David", "Deja", "Diego", "Dmitri", "Elena", "Eli", "Elijah", "Emily", "Emma", "Esperanza",
    "Ethan", "Eva", "Fatima", "Felix", "Gabriel", "Grace", "Hana", "Hannah", "Hassan", "Henry",
    "Hiroshi", "Ibrahim", "Imani", "Isaac", "Isabella", "Ivy", "Jacob", "Jada", "Jamal",
    "Javier", "Jayden", "Jin", "Jordan", "José", "Joshua", "Julia", "Julian", "Kai", "Kavya",
    "Keanu", "Kenji", "Khalid", "Kiara", "Layla", "Leah", "Liam", "Lila", "Lucas", "Lucía",
    "Luis", "Luna", "Malik", "Mariam", "Mateo", "Maya", "Mei", "Mia", "Miguel", "Mohammed",
    "Nadia", "Naomi", "Nathan", "Nia", "Noah", "Nora", "Olivia", "Omar", "Oscar", "Priya",
    "Quinn", "Rafael", "Rahul", "Rania", "Riley", "Rohan", "Rosa", "Ryan", "Samir", "Santiago",
    "Sara", "Sebastián", "Sienna", "Sofia", "Soo-ah", "Tariq", "Tenzin", "Thalia", "Theo",
    "Tomás", "Trinity", "Tyler", "Valentina", "Victor", "Wei", "Xavier", "Yara", "Yusuf",
    "Zainab", "Zara", "Zion", "Zoë",
)  # fmt: skip

ADULT_FIRST_NAMES = (
    "Adebayo", "Alicia", "Amir", "Andrea", "Angela", "Anthony", "Beatrice", "Brian", "Carla",
    "Catherine", "Chen", "Christopher", "Claudia", "Darnell", "Deborah", "Eduardo", "Elizabeth",
    "Emeka", "Farah", "Fernando", "Gloria", "Gregory", "Guadalupe", "Hyun-woo", "Jasmine",
    "Jennifer", "Jessica", "Joanna", "Jorge", "Karen", "Keisha", "Kevin", "Lakshmi", "Laura",
    "Li", "Linda", "Lorenzo", "Marcus", "Maria", "Mark", "Michelle", "Min-jung", "Monique",
    "Nasser", "Natalia", "Nicole", "Patricia", "Pedro", "Rachel", "Rashid", "Ricardo", "Robert",
    "Samantha", "Sanjay", "Shanice", "Stephanie", "Steven", "Sunita", "Tamara", "Teresa",
    "Tyrone", "Vanessa", "Vikram", "Yolanda", "Yuki",
)  # fmt: skip

LAST_NAMES = (
    "Abdi", "Acosta", "Afolabi", "Ahmed", "Akhtar", "Alvarez", "Anderson", "Asante", "Baptiste",
    "Barnes", "Becker", "Bianchi", "Bui", "Campbell", "Castillo", "Chang", "Chavez", "Chen",
    "Cohen", "Coleman", "Cruz", "Das", "Davis", "Delgado", "Diaz", "Dubois", "Edwards", "Eze",
    "Fernandes", "Fischer", "Flores", "Foster", "Friedman", "Gallagher", "García", "Goldberg",
    "Gomez", "Gonzalez", "Greene", "Gupta", "Gutierrez", "Hall", "Hansen", "Harris", "Hassan",
    "Hernandez", "Hoang", "Hughes", "Ibrahim", "Iyer", "Jackson", "Jimenez", "Johnson", "Kang",
    "Kaur", "Kelly", "Khan", "Kim", "Kowalski", "Kumar", "Lee", "Levy", "Lopez", "Malik",
    "Martin", "Martinez", "Mehta", "Mensah", "Mitchell", "Morales", "Moreno", "Murphy",
    "Nguyen", "Novak", "Nwosu", "O'Brien", "Oliveira", "Ortiz", "Osei", "Park", "Patel",
    "Pereira", "Perez", "Petrov", "Phillips", "Popescu", "Quispe", "Ramirez", "Reyes", "Rivera",
    "Robinson", "Rodriguez", "Romero", "Rossi", "Russo", "Saito", "Sanchez", "Santos", "Schmidt",
    "Shah", "Silva", "Singh", "Sokolov", "Sullivan", "Tanaka", "Taylor", "Thomas", "Thompson",
    "Torres", "Tran", "Turner", "Vargas", "Walker", "Wang", "Washington", "Williams", "Wilson",
    "Wong", "Wright", "Yamamoto", "Yang", "Yilmaz", "Young", "Zhang", "Zhou",
)  # fmt: skip

GUARDIAN_RELATIONSHIPS = ("Mother", "Father", "Parent", "Grandmother", "Aunt", "Stepfather")
