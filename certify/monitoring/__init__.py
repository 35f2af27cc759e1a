"""Effectiveness monitoring between certifications: the yearly reports' schedule and surveillance."""
