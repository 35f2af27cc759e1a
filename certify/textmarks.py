"""Marks user-facing text in the pure packages (no Flask) for translation.

`N_("…")` returns its argument unchanged; `make translations` extracts it (keyword N_), and the web layer
translates it when showing it, e.g. `gettext(reason.template) % reason.params`.
"""


def N_(message: str) -> str:  # noqa: N802  (the conventional gettext marker name)
    return message
