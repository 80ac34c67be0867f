"""The forum's pages, one module per part of the work (all routes on `forum.bp`, so every endpoint stays
`forum.<function>`): `forums` (the event, its report to the province, its training; what waits, what is kept
offline), `delegates` (adding a child, the one-screen registration, consents, the badge photo), `checkin` (the door
on the day), `recommendations` (and their follow-up, with the children's public page), `exports` (the spreadsheet,
badges, the consent register). Shared loaders and labels are in `base`."""

from . import checkin, delegates, exports, forums, recommendations  # noqa: F401  (each registers its routes)
from .base import today  # noqa: F401  (the one clock, as every feature reads it)
