"""guidepress: Markdown guides and YAML glossary data in, reproducible PDF guides out."""

__version__ = "0.1.0"
