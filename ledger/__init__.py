"""Kinerja Ledger: an event-sourced performance ledger for ASN (PNS and PPPK)."""
