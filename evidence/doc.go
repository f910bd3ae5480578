// Package evidence reduces raw telemetry to compact, ranked evidence: log
// severities and filters, templates, histograms, and the rendering helpers
// that keep output within a budget. It does no I/O.
package evidence
