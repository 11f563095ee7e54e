"""Words that name a pack, in both shop languages: a gift box is found as 礼盒 and as "gift box".

Sellers name a listing's sizes in their own words ("500 g 礼盒", "5 kg 袋", "gift box"); a
shopper may type the other language's word. Each size name found here is indexed with its
counterparts (indexed, never shown).
"""
from __future__ import annotations

#: (Chinese words, English words) that mean the same pack.
PACK_WORDS = (
    (("礼盒", "礼品盒", "礼包", "礼品装"), ("gift box", "gift")),
    (("袋",), ("bag", "sack")),
    (("箱",), ("case", "crate")),
    (("盒",), ("box",)),
    (("罐",), ("tin", "jar")),
    (("瓶",), ("bottle",)),
    (("篮",), ("basket",)),
)


def size_text(labels) -> str:
    """The size names, each followed by the other language's words for its pack."""
    parts = []
    for label in labels:
        lowered = label.lower()
        parts.append(label)
        for chinese, english in PACK_WORDS:
            if any(word in label for word in chinese) or any(f" {word} " in f" {lowered} " for word in english):
                parts.extend((*chinese, *english))
    return "\n".join(dict.fromkeys(parts))
