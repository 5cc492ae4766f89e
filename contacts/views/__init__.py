"""Contact views, one module per topic; the URL table names them by module."""
