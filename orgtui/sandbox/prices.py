"""The sandbox's price list: one table, dollars as published (per 1M tokens, per image, ...).

Costs are computed in integer picodollars (1e-12 USD) so that any grouping or bucketing of the
same usage sums to exactly the same amount; dollars appear only when a response is rendered.
The figures are illustrative list prices, not a promise about real billing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

PICO_PER_USD = 10**12

COMPLETIONS = "completions"
EMBEDDINGS = "embeddings"
MODERATIONS = "moderations"
IMAGES = "images"
AUDIO_SPEECHES = "audio_speeches"
AUDIO_TRANSCRIPTIONS = "audio_transcriptions"


@dataclass(frozen=True)
class ModelPrice:
    """Dollar prices of one model family. Token prices are per 1M tokens."""

    category: str
    input: float = 0.0
    cached_input: float = 0.0
    output: float = 0.0
    audio_input: float = 0.0
    audio_cached_input: float = 0.0
    audio_output: float = 0.0
    vision: bool = False
    per_image: dict[str, float] = field(default_factory=dict)  # size -> dollars per image
    per_1m_characters: float = 0.0
    per_minute: float = 0.0


def _chat(i: float, c: float, o: float, *, vision: bool = False) -> ModelPrice:
    return ModelPrice(COMPLETIONS, input=i, cached_input=c, output=o, vision=vision)


def _audio(i: float, c: float, o: float, ai: float, ac: float, ao: float) -> ModelPrice:
    return ModelPrice(
        COMPLETIONS,
        input=i,
        cached_input=c,
        output=o,
        audio_input=ai,
        audio_cached_input=ac,
        audio_output=ao,
    )


MODEL_PRICES: dict[str, ModelPrice] = {
    # chat / responses models
    "gpt-5": _chat(1.25, 0.125, 10.00, vision=True),
    "gpt-5-mini": _chat(0.25, 0.025, 2.00, vision=True),
    "gpt-5-nano": _chat(0.05, 0.005, 0.40),
    "gpt-4.1": _chat(2.00, 0.50, 8.00, vision=True),
    "gpt-4.1-mini": _chat(0.40, 0.10, 1.60, vision=True),
    "gpt-4.1-nano": _chat(0.10, 0.025, 0.40),
    "gpt-4o": _chat(2.50, 1.25, 10.00, vision=True),
    "gpt-4o-mini": _chat(0.15, 0.075, 0.60, vision=True),
    "gpt-4-turbo": _chat(10.00, 10.00, 30.00, vision=True),
    "gpt-4": _chat(30.00, 30.00, 60.00),
    "gpt-3.5-turbo": _chat(0.50, 0.50, 1.50),
    "o1": _chat(15.00, 7.50, 60.00),
    "o1-mini": _chat(1.10, 0.55, 4.40),
    "o3": _chat(2.00, 0.50, 8.00, vision=True),
    "o3-mini": _chat(1.10, 0.55, 4.40),
    "o4-mini": _chat(1.10, 0.275, 4.40, vision=True),
    # audio-capable chat models
    "gpt-4o-audio-preview": _audio(2.50, 2.50, 10.00, 40.00, 40.00, 80.00),
    "gpt-4o-mini-audio-preview": _audio(0.15, 0.15, 0.60, 10.00, 10.00, 20.00),
    "gpt-realtime": _audio(4.00, 0.40, 16.00, 32.00, 0.40, 64.00),
    "gpt-4o-realtime-preview": _audio(5.00, 2.50, 20.00, 40.00, 2.50, 80.00),
    "gpt-4o-mini-realtime-preview": _audio(0.60, 0.30, 2.40, 10.00, 0.30, 20.00),
    # embeddings
    "text-embedding-3-small": ModelPrice(EMBEDDINGS, input=0.02),
    "text-embedding-3-large": ModelPrice(EMBEDDINGS, input=0.13),
    "text-embedding-ada-002": ModelPrice(EMBEDDINGS, input=0.10),
    # moderations are free
    "omni-moderation-latest": ModelPrice(MODERATIONS),
    "omni-moderation": ModelPrice(MODERATIONS),
    "text-moderation-latest": ModelPrice(MODERATIONS),
    "text-moderation": ModelPrice(MODERATIONS),
    # images
    "dall-e-3": ModelPrice(
        IMAGES, per_image={"1024x1024": 0.04, "1024x1792": 0.08, "1792x1792": 0.12}
    ),
    "dall-e-2": ModelPrice(
        IMAGES, per_image={"256x256": 0.016, "512x512": 0.018, "1024x1024": 0.02}
    ),
    "gpt-image-1": ModelPrice(
        IMAGES,
        per_image={"1024x1024": 0.042, "1024x1792": 0.063, "1792x1792": 0.084},
    ),
    # audio
    "tts-1": ModelPrice(AUDIO_SPEECHES, per_1m_characters=15.00),
    "tts-1-hd": ModelPrice(AUDIO_SPEECHES, per_1m_characters=30.00),
    "gpt-4o-mini-tts": ModelPrice(AUDIO_SPEECHES, per_1m_characters=12.00),
    "whisper-1": ModelPrice(AUDIO_TRANSCRIPTIONS, per_minute=0.006),
    "gpt-4o-transcribe": ModelPrice(AUDIO_TRANSCRIPTIONS, per_minute=0.006),
    "gpt-4o-mini-transcribe": ModelPrice(AUDIO_TRANSCRIPTIONS, per_minute=0.003),
}

# Models nobody listed still cost something plausible rather than nothing.
FALLBACK_MODEL = "gpt-4o-mini"

# Tools, in dollars per call / per session.
WEB_SEARCH_PER_CALL = 0.01
FILE_SEARCH_PER_CALL = 0.0025
CODE_INTERPRETER_PER_SESSION = 0.03

# Batch API: half price on input and output.
BATCH_DISCOUNT_NUM, BATCH_DISCOUNT_DEN = 1, 2

DEFAULT_IMAGE_SIZE = "1024x1024"


def price_key(model: str) -> str:
    """The table entry for a model name, dated snapshots included (longest matching prefix)."""
    if model in MODEL_PRICES:
        return model
    best = ""
    for name in MODEL_PRICES:
        if model.startswith(name + "-") and len(name) > len(best):
            best = name
    return best or FALLBACK_MODEL


def price_of(model: str) -> ModelPrice:
    return MODEL_PRICES[price_key(model)]


def category_of(model: str) -> str:
    return price_of(model).category


def _pico(dollars: float, per: int) -> int:
    """Picodollars per unit for a price of `dollars` per `per` units; must be exact."""
    value = Decimal(str(dollars)) * PICO_PER_USD / per
    if value != value.to_integral_value():
        raise ValueError(f"price {dollars}/{per} is not a whole number of picodollars")
    return int(value)


def pico_per_token(dollars_per_1m: float) -> int:
    return _pico(dollars_per_1m, 1_000_000)


def pico_per_unit(dollars: float) -> int:
    return _pico(dollars, 1)


def pico_per_second(dollars_per_minute: float) -> int:
    return _pico(dollars_per_minute, 60)


def pico_per_character(dollars_per_1m: float) -> int:
    return _pico(dollars_per_1m, 1_000_000)


def batch_price(pico: int) -> int:
    return pico * BATCH_DISCOUNT_NUM // BATCH_DISCOUNT_DEN


def usd(pico: int) -> float:
    """Render picodollars as float dollars (the Costs API's unit)."""
    return pico / PICO_PER_USD
