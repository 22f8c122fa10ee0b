"""Tests of softmaxlab's sampling."""
