"""The certification standard: its data model, file format, expression language and library.

Pure: nothing here imports Flask or SQLAlchemy. Start with `certify.standards.format.load_standard`.
"""
