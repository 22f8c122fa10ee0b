"""Tests of softmaxlab's explorer."""
