"""Tests for OS1."""
