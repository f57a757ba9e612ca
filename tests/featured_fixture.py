"""A featured glossary term and its diagram, for the tests of featured entries."""

DIAGRAM = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 160" width="480" height="160">
  <rect x="10" y="20" width="140" height="60" rx="6" fill="var(--accent-soft)" stroke="var(--accent)"/>
  <text x="80" y="55" font-family="Guide Heading" font-weight="700" font-size="14"
        text-anchor="middle" fill="var(--ink)">Tokenised</text>
  <rect x="200" y="20" width="140" height="60" rx="6" fill="var(--accent)"/>
  <text x="270" y="55" font-family="Guide Text" font-size="12" text-anchor="middle"
        fill="var(--paper)">sentence pieces</text>
</svg>
"""

FEATURED = """\
  featured:
    reviewed: 2026-11-20
    diagram:
      file: figures/token.svg
      alt: A sentence cut into pieces, each piece a token.
      caption: A model reads text as tokens, not as letters or words.
    how_it_works: >
      A model splits text into tokens before it reads it.

      Common words are one token; rare words are several.
    why_it_matters: >
      Limits and prices are counted in tokens.
    in_practice: >
      A long document may not fit: ask for a summary part by part.
    misconceptions:
      - myth: A token is a word.
        truth: Often it is part of a word.
      - myth: Tokens are the same in every language.
        truth: Some languages need more tokens for the same meaning.
    takeaways:
      - Models read tokens.
      - Limits are counted in tokens.
    faq:
      - q: How many tokens is a word?
        a: In English, about one and a third on average.
    sources:
      - title: Neural Machine Translation of Rare Words with Subword Units
        publisher: Association for Computational Linguistics
        url: https://aclanthology.org/P16-1162/
"""


def featured_glossary(glossary: str) -> str:
    """The conftest glossary with its first term (token) featured."""
    first, rest = glossary.split("- slug: prompt", 1)
    return first + FEATURED + "- slug: prompt" + rest
