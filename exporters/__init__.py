"""jiebang: exporters."""
