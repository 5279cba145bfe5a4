"""Achtervang: keeps a municipal team of family coaches reachable and covered."""
