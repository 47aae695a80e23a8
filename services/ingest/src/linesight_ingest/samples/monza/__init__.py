"""The Monza scenario: a seeded, realistic county-lines case written as exhibits.

A 16-year-old is arrested at Margate station with drugs; his phone holds the number of a
deal line. Over two months (Monday 16 September to Friday 15 November 2024, across the
end of British Summer Time) the deal line is run from Deptford in south-east London and
driven to Margate two or three times a week. The generator writes what an investigation
would then hold, in the formats the ingest service parses:

* the operator's cell list;
* one CDR per number: the deal line (~15,000 events), the runner, the two suspects'
  personal phones and 30 decoy phones (the last 32 in number order, unlabelled);
* ANPR reads from the Metropolitan Police and Kent Police cameras (the suspects' car and
  40 decoy cars);
* three tower dumps (thousands of rows);
* ``truth.json``: what was planted (the line's home cell, the car, the companions and the
  days they travelled, the journeys, the numbers in several dumps, ...), and
  ``manifest.json``: the exhibits to upload.

    python -m linesight_ingest.samples.monza OUT_DIR [--seed N] [--scale X]

``generate(out_dir, seed=..., scale=...)`` does the same from Python and returns the
:class:`Manifest`. The same seed always gives byte-identical files. Everything is
invented; the numbers come from valid UK mobile ranges (do not dial them). The scenario,
and why each part is realistic, is described in ``services/ingest/docs/monza-scenario.md``.
"""

from linesight_ingest.samples.monza.upload import upload_scenario
from linesight_ingest.samples.monza.write import DEFAULT_SEED, ExhibitFile, Manifest, generate

__all__ = ["DEFAULT_SEED", "ExhibitFile", "Manifest", "generate", "upload_scenario"]
