"""Grades an LMS imports: nbgrader export plugins for Canvas's and Moodle's grade import CSV files.

``nbgrader export --exporter course.lms.CanvasExportPlugin`` (or ``MoodleExportPlugin``) and
``python -m course grade ASSIGNMENT --lms canvas --lms-map ids.csv`` write the same files.
"""

from .plugins import CanvasExportPlugin, MoodleExportPlugin

__all__ = ["CanvasExportPlugin", "MoodleExportPlugin"]
