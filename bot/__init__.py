"""jiebang: bot."""
