"""The parts of ``python -m course grade`` (see course/grade.py), one purpose per module:

- ``runner``: the grading run (main process: nbgrader steps and gradebook; worker pool: executions);
- ``pools`` / ``dispatch``: where executions run (local processes or Dask), and keeping them in flight;
- ``pipeline``: nbgrader's Autograde converter split around the execution;
- ``worker`` / ``execute`` / ``kernel``: execute one notebook in a sandboxed kernel with probes and a deadline;
- ``outputcap`` / ``testrule``: each cell's output capped as it streams; only errors decide a test's points;
- ``records``: the plain records handed between the steps (sandbox and limits, jobs, outcomes, results);
- ``sandbox`` / ``launcher`` / ``kernel_boot``: the sandbox mode, its command line, limits and audit hook;
- ``probe_code`` / ``integrity`` / ``reference``: runtime checks that checkers and error reporting were not
  patched, against pristine fingerprints from a helper process;
- ``tamper`` / ``codescan``: tampering visible in the submitted notebook (evidence, not names);
- ``gradebook`` / ``notices``: the gradebook, and what nbgrader only logs about a submission;
- ``status`` / ``report`` / ``plot`` / ``feedback``: statuses, console output and CSV, the PNG, feedback;
- ``inert``: student content made inert in autograded notebooks, feedback pages and the formgrader.
"""
