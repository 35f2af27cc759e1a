"""The exams core is pure: importing it loads neither Flask nor SQLAlchemy."""

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_exams_core_pulls_in_no_web_or_database_stack():
    code = (
        "import certify.exams.bank, certify.exams.forms, certify.exams.scoring, certify.exams.statistics, "
        "certify.exams.angoff, certify.exams.records, certify.exams.supply, certify.exams.workbook; "
        "import sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)
