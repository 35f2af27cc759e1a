"""Certificates: rendering (plain context -> PDF bytes), PAdES signing and verification of PDFs.

The submodules are imported by name (`certify.certificates.render`, `.signing`, `.verify`) so that
importing the package does not load WeasyPrint or pyHanko for code that needs neither.
"""
