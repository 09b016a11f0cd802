"""The one error an import raises before writing anything."""


class MalformedInput(ValueError):
    """The input cannot be read as HSDS data; the message says where and why."""
