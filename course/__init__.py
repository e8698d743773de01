"""Instructor and CI tooling for the course: ``python -m course build | verify | grade``."""
