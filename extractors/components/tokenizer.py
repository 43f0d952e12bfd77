"""A character tokenizer: one token per character, so token ``i`` is character ``i`` of the text.

spaCy's own ``segmenter = "char"`` does the same split but then re-aligns whitespace in Python
character by character; here every character (spaces included) is a token with no trailing
whitespace, which is faster and keeps token and character offsets identical.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from extractors.components.ruler import TEXT_KEY


class CharTokenizer:
    """Split a text into single characters."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        chars = list(text)
        doc = Doc(self.vocab, words=chars, spaces=[False] * len(chars))
        # The evidence matcher needs the text; doc.text would re-join every token to get it.
        doc.user_data[TEXT_KEY] = text
        return doc


def create_char_tokenizer() -> Callable[[Language], CharTokenizer]:
    """Registered as ``qingli.char_tokenizer.v1``: ``[nlp.tokenizer] @tokenizers = ...``."""

    def make(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return make


registry.tokenizers.register("qingli.char_tokenizer.v1", func=create_char_tokenizer)
