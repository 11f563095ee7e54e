"""A column type for string enums, stored as their values in a VARCHAR on every backend."""
import enum

from sqlalchemy import Enum


def enum_column(enum_class: type[enum.Enum], length: int = 20) -> Enum:
    """Store `enum_class` by value, without a native enum type (easier to migrate)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
