"""The ledger's commands by concept. Each command parses its raw input (every problem at once),
resolves references to other aggregates and uniqueness (what needs the store), then lets the
aggregate decide; ``ledger.service`` runs it as one transaction."""
