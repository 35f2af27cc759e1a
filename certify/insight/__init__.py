"""The certification body's view of its own work (issue 17): the dashboard, assessor calibration, the
statistics on decided applications and the exports.

`calibration`, `charts`, `figures`, `statistics` and `xlsx` are pure (neither Flask nor SQLAlchemy);
`pipeline`, `caseload`, `ratings` and `decided` read the database for them; `views` serves the pages and
the exports. What each number counts is in docs/insight.md.
"""
