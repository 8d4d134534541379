"""A venue's timeline: stage bars and release moments (``bars``), drawn as a Mermaid gantt for markdown
plans (``mermaid``) and as an SVG or PNG picture (``picture``, matplotlib)."""

from venueops.timeline.bars import Bar, Timeline, timeline

__all__ = ["Bar", "Timeline", "timeline"]
