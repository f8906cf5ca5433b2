"""The briefing engine: brief, status card and timeline replies built from the stored corpus."""

from briefings.engine.briefing import brief
from briefings.engine.novelty import record_briefing
from briefings.engine.status import status
from briefings.engine.timeline import timeline

__all__ = ["brief", "record_briefing", "status", "timeline"]
