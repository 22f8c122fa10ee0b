"""Tests of softmaxlab's models."""
