"""Student-controlled text (ids, file names, reasons that quote them) as a terminal may show it.

A student names their folder and their files. Printed as they are, control characters in those names
(ANSI escape sequences, carriage returns, newlines) could erase, recolour or forge lines of the
instructor's terminal, e.g. a summary row reading ``mallory graded 11/11``. The CSV, the gradebook
and HTML pages keep the text itself; only what is printed goes through ``printable``.
"""

from __future__ import annotations

import unicodedata


def printable(text: object) -> str:
    """``str(text)`` with every control, format or unassigned character written as a Python escape.

    >>> printable("carol\\x1b[2J\\ngraded")
    'carol\\\\x1b[2J\\\\ngraded'
    """
    out = []
    for char in str(text):
        if unicodedata.category(char)[0] == "C":
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)
