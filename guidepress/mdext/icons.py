"""Small inline SVG icons for callouts, drawn on a 24-unit grid with strokes only."""

from __future__ import annotations

import xml.etree.ElementTree as etree

# Each icon is a list of SVG path data strings, stroked with the current colour.
ICON_PATHS: dict[str, list[str]] = {
    # a circle with an "i"
    "note": ["M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z", "M12 11v6", "M12 7.5v.5"],
    # a light bulb
    "tip": ["M9 18h6", "M10 21h4",
            "M12 3a6 6 0 0 0-3.5 10.9c.6.5 1 1.2 1 2.1h5c0-.9.4-1.6 1-2.1A6 6 0 0 0 12 3z"],
    # a triangle with an exclamation mark
    "warning": ["M12 3l9.5 17h-19z", "M12 10v5", "M12 17.5v.5"],
    # a check mark in a circle
    "takeaways": ["M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z", "M8 12.5l2.8 2.8L16.5 9.5"],
    # an open book
    "example": ["M3 5.5c3-1.5 6-1.5 9 .5v13c-3-2-6-2-9-.5z",
                "M21 5.5c-3-1.5-6-1.5-9 .5v13c3-2 6-2 9-.5z"],
    # a speech bubble with a cursor line
    "prompt": ["M4 5h16v11H9l-4 4v-4H4z", "M8 10.5h5", "M15.5 9v3"],
    # a calendar
    "glance": ["M4 6h16v14H4z", "M4 10h16", "M8 3v5", "M16 3v5"],
}


def icon(kind: str, colour: str = "currentColor") -> etree.Element:
    """Return an inline SVG element for a callout kind, stroked in `colour`."""
    svg = etree.Element("svg", {
        "class": "icon",
        "viewBox": "0 0 24 24",
        "width": "14",
        "height": "14",
        "fill": "none",
        "stroke": colour,
        "stroke-width": "2",
        "stroke-linecap": "round",
        "stroke-linejoin": "round",
        "aria-hidden": "true",
    })
    for data in ICON_PATHS.get(kind, ICON_PATHS["note"]):
        etree.SubElement(svg, "path", {"d": data})
    return svg
