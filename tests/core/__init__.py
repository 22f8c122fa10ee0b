"""Tests of softmaxlab's core."""
