"""Calibration against survey data: targets, an Optuna study over free parameters, the fit."""
