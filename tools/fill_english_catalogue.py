"""Fill the English catalogue: the source strings are English, so each translation is its msgid.

Keeping a complete en catalogue (rather than relying on the fallback) makes a missing
entry visible in review, and lets the test suite check both catalogues the same way.
"""
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent.parent / "marketplace/translations/en/LC_MESSAGES/messages.po"


def main() -> None:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    for message in catalogue:
        if not message.id:
            continue
        message.string = message.id
        message.flags.discard("fuzzy")
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalogue, width=100)


if __name__ == "__main__":
    main()
