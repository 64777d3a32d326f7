"""Conventions a linter cannot see: checked over the source tree."""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "opencomplaints"

# Interface modules: every read of case data there must go through the access functions (convention 5).
INTERFACE_FILES = [
    path
    for path in PACKAGE.rglob("*.py")
    if "tests" not in path.parts
    and (path.name in {"views.py", "apis.py", "forms.py"} or path.parent.name in {"views", "api"})
]
CASE_MODELS = re.compile(
    r"\b(Case|Stage|Person|CaseComplainant|CaseChild|Deadline|Hold|ComplaintPoint|PointFinding|Remedy|"
    r"LearningAction|OmbudsmanDetail|EnquiryDetail|ComplimentDetail)\.objects\b"
)


def test_interface_modules_read_case_data_only_through_access_functions():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in INTERFACE_FILES
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if CASE_MODELS.search(line)
    ]
    assert not offenders, "Use opencomplaints.cases.access, not the ORM, in: " + ", ".join(offenders)


def test_application_modules_never_read_the_environment():
    # Settings read the environment through config/env.py only (convention 14).
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "config" in path.parts or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"environ", "getenv"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "os"
            ):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    allowed = {"opencomplaints/cli.py"}  # sets the default settings module before Django starts
    assert [o for o in offenders if o.split(":")[0] not in allowed] == []


def test_templates_have_no_inline_styles():
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.html")
        if re.search(r"\sstyle=", path.read_text())
    ]
    assert offenders == []
