"""Storage: the only package that knows SQL (models, sessions, repositories, migrations)."""
