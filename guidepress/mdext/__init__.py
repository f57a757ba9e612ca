"""Python-Markdown extensions for guides, one per module.

`make_markdown()` assembles the standard extensions and ours into one converter.
"""
