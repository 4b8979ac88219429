"""jiebang: prompts."""
