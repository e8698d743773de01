"""The parts of ``python -m course grade`` (see course/grade.py), one purpose per module:

- ``runner``: the grading run (main process: nbgrader steps and gradebook; worker pool: executions);
- ``pipeline``: nbgrader's Autograde converter split around the execution;
- ``worker`` / ``execute`` / ``kernel``: execute one notebook in a sandboxed kernel with probes and a deadline;
- ``sandbox`` / ``launcher`` / ``kernel_boot``: the sandbox mode, its command line, limits and audit hook;
- ``probe_code`` / ``integrity``: runtime checks that checkers and error reporting were not patched;
- ``tamper`` / ``codescan``: tampering visible in the submitted notebook;
- ``gradebook``: what is read from and written to nbgrader's gradebook;
- ``status`` / ``report`` / ``plot`` / ``feedback``: statuses, console output and CSV, the PNG, feedback;
- ``inert``: student content made inert in autograded notebooks, feedback pages and the formgrader.
"""
