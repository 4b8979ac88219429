"""jiebang: validators."""
