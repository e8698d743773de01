"""Similarity of students' answers, exercise by exercise, for the instructor (``python -m course similarity``)."""
