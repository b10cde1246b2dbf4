"""towpath unit tests."""
