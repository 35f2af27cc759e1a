"""Exams on the standard: the item bank, blueprinted forms, scoring, item statistics and cut scores.

The modules here are the pure core (no Flask, no SQLAlchemy; a test checks it): `bank` reads a bank file,
`forms` draws a form, `scoring` scores an attempt, `statistics` analyses the responses, `angoff` recommends
a pass mark. docs/exams.md explains the rules and the reasons.
"""
