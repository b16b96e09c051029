"""A JSGF grammar for pocketsphinx from hassil sentence templates.

Turns OS1's own templates (with a home's area and light names in their lists)
into one grammar, so pocketsphinx recognizes the commands OS1 understands and
nothing is scripted: what is spoken is what is heard. Words pocketsphinx's
dictionary lacks, and free-form lists (wildcards), can't be spoken.
"""

from __future__ import annotations

from collections.abc import Iterable
import itertools
from pathlib import Path
import re

from hassil.expression import (
    Alternative,
    Expression,
    Group,
    ListReference,
    Permutation,
    RuleReference,
    Sentence,
    TextChunk,
)
from hassil.intents import Intents, RangeSlotList, SlotList, TextSlotList
import pocketsphinx

NULL = "<NULL>"
VOID = "<VOID>"
NUMBERS = {
    5: "five",
    10: "ten",
    15: "fifteen",
    20: "twenty",
    25: "twenty five",
    30: "thirty",
    40: "forty",
    45: "forty five",
    50: "fifty",
    60: "sixty",
    70: "seventy",
    75: "seventy five",
    80: "eighty",
    90: "ninety",
    100: "one hundred",
}
"""The numbers a range list can be spoken as."""


def dictionary() -> set[str]:
    """Return the words pocketsphinx's shipped en-US model knows."""
    path = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    return {line.split(" ", 1)[0] for line in path.read_text().splitlines()}


class JsgfGrammar:
    """Turns hassil templates into one JSGF grammar."""

    def __init__(
        self,
        intents: Intents,
        slot_lists: dict[str, SlotList],
        intent_names: Iterable[str] | None = None,
        words: set[str] | None = None,
    ) -> None:
        """Convert the sentences of the intents named (default: all)."""
        wanted = None if intent_names is None else set(intent_names)
        self.intents = intents
        self.slot_lists = {**intents.slot_lists, **slot_lists}
        self.words = words if words is not None else dictionary()
        self.rules: dict[str, str] = {}
        sentences = [
            self._expression(sentence)
            for name, intent in intents.intents.items()
            if wanted is None or name in wanted
            for data in intent.data
            for sentence in data.sentences
        ]
        self.top = " | ".join(f"( {s} )" for s in sentences if s.strip() and s != VOID)

    def text(self) -> str:
        """Return the grammar."""
        lines = ["#JSGF V1.0;", "grammar os1;", f"public <command> = {self.top};"]
        lines += [f"<{name}> = {body};" for name, body in self.rules.items()]
        return "\n".join(lines) + "\n"

    def _words(self, text: str) -> str:
        tokens = re.sub(r"[^a-z' ]", " ", text.lower()).split()
        if any(token not in self.words for token in tokens):
            return VOID
        return " ".join(tokens)

    @staticmethod
    def _alternatives(options: list[str]) -> str:
        """Return the options that can be spoken as alternatives (VOID if none can).

        pocketsphinx mishears when a grammar keeps alternatives that can't be
        spoken, so they are left out rather than written as <VOID>.
        """
        spoken = [o if o.strip() else NULL for o in options if o != VOID]
        if not spoken:
            return VOID
        return "( " + " | ".join(dict.fromkeys(spoken)) + " )"

    def _expression(self, expression: Expression | Sentence) -> str:
        if isinstance(expression, Sentence):
            return self._expression(expression.expression)
        if isinstance(expression, TextChunk):
            return self._words(expression.text)
        if isinstance(expression, Group):
            parts = [self._expression(item) for item in expression.items]
            if isinstance(expression, Alternative):
                return self._alternatives(parts)
            if isinstance(expression, Permutation):
                return self._alternatives(
                    [" ".join(order) for order in itertools.permutations(parts)]
                )
            if VOID in parts:
                return VOID
            return " ".join(part for part in parts if part.strip()) or NULL
        if isinstance(expression, RuleReference):
            name = re.sub(r"\W", "_", expression.rule_name)
            if name not in self.rules:
                self.rules[name] = VOID  # Guards against recursion.
                rule = self.intents.expansion_rules[expression.rule_name]
                self.rules[name] = self._expression(rule)
            return f"<{name}>"
        if isinstance(expression, ListReference):
            return self._list(expression.list_name)
        return VOID

    def _list(self, name: str) -> str:
        slot_list = self.slot_lists.get(name)
        if isinstance(slot_list, TextSlotList):
            return self._alternatives(
                [self._expression(value.text_in) for value in slot_list.values]
            )
        if isinstance(slot_list, RangeSlotList):
            return self._alternatives(
                [
                    words
                    for number, words in NUMBERS.items()
                    if slot_list.start <= number <= slot_list.stop
                ]
            )
        return VOID


def decode(grammar: Path, audio: bytes) -> str:
    """Return what pocketsphinx hears in 16 kHz 16-bit mono audio ("" if nothing)."""
    decoder = pocketsphinx.Decoder(jsgf=str(grammar), loglevel="ERROR")
    decoder.start_utt()
    decoder.process_raw(audio, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr if hypothesis else ""
