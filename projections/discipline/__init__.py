"""Read models of discipline: ``decisions`` (each decision as issued and where it stands after
appeals and revocation) and ``verdicts`` (the inspectorate's verification of each decision)."""
