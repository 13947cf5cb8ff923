"""orgtui: a terminal console for OpenAI organisations."""

__version__ = "0.1.0"
