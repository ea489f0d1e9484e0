"""The workflow diagrams, whose home is :mod:`leder_core.render.diagram`."""

from leder_core.render.diagram import (  # re-export: lead removes after merge
    workflow_dot,
    workflow_edges,
    workflow_mermaid,
)

__all__ = [
    "workflow_dot",
    "workflow_edges",
    "workflow_mermaid",
]
