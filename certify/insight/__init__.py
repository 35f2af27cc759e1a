"""The certification body's view of its own work: the dashboard and assessor calibration (issue 17).

`calibration` and `charts` are pure (neither Flask nor SQLAlchemy); `pipeline` and `ratings` read the
database for them; `views` serves the pages. What each number counts is in docs/insight.md.
"""
