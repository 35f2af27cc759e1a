"""Certify: certification against the unified standard of cluster-management quality."""


def create_app(config=None):
    """Build the Flask application; `config` (a mapping) overrides settings read from the environment.

    Flask is imported here, not at package import, so the pure packages (standards, scoring,
    workflow) can be imported without pulling in the web stack.
    """
    from certify.app import build_app

    return build_app(config)
