#!/usr/bin/env python3
"""Thin entry point: `python build_pdfs.py ...` is the same as `build-pdfs ...`."""

import sys

from guidepress.cli import main

if __name__ == "__main__":
    sys.exit(main())
