"""Tests of softmaxlab's reports."""
