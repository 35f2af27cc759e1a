"""The scoring engine is pure: importing it loads neither Flask nor SQLAlchemy."""

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_scoring_engine_pulls_in_no_web_or_database_stack():
    code = (
        "import certify.scoring, certify.scoring.plan, certify.scoring.levels; import sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)
