package telemetry

import (
	"time"
)

// LogQuery selects log events.
type LogQuery struct {
	LogGroups []string
	Window    Window
	// Filter is a plain substring, or a regular expression written /like this/.
	Filter string
	// Query is a raw Logs Insights query (Insights only).
	Query string
	// Limit bounds the rows (events, patterns) returned; 0 means the default.
	Limit int
	// Bin is the histogram bin width; 0 lets the source choose.
	Bin      time.Duration
	Progress Progress
}

// LogEvent is one log event.
type LogEvent struct {
	Timestamp time.Time `json:"timestamp"`
	LogGroup  string    `json:"log_group"`
	LogStream string    `json:"log_stream,omitempty"`
	Severity  string    `json:"severity,omitempty"`
	Message   string    `json:"message"`
}

// LogEvents is the result of LogSource.Events.
type LogEvents struct {
	// Matched is the number of events that matched in the whole window, even
	// when only Limit are returned.
	Matched int64      `json:"matched"`
	Events  []LogEvent `json:"events"`
	Stats   QueryStats `json:"stats"`
}

// LogPattern is a template that a group of events share.
type LogPattern struct {
	Template  string    `json:"template"`
	Count     int64     `json:"count"`
	Severity  string    `json:"severity,omitempty"`
	FirstSeen time.Time `json:"first_seen,omitzero"` // zero when the source cannot tell
	LastSeen  time.Time `json:"last_seen,omitzero"`
	Sample    string    `json:"sample"`
	// Ratio is Count divided by all matched events.
	Ratio float64 `json:"ratio"`
}

// LogPatterns is the result of LogSource.Patterns.
type LogPatterns struct {
	Matched  int64        `json:"matched"`
	Patterns []LogPattern `json:"patterns"`
	// TotalPatterns counts all patterns found, even those not returned.
	TotalPatterns int        `json:"total_patterns"`
	Stats         QueryStats `json:"stats"`
}

// HistogramBin counts events in [Start, Start+bin) by severity.
type HistogramBin struct {
	Start      time.Time        `json:"start"`
	Total      int64            `json:"total"`
	BySeverity map[string]int64 `json:"by_severity,omitempty"`
}

// LogHistogram is the result of LogSource.Histogram.
type LogHistogram struct {
	Matched    int64          `json:"matched"`
	BinSeconds int64          `json:"bin_seconds"`
	Bins       []HistogramBin `json:"bins"`
	Stats      QueryStats     `json:"stats"`
}

// InsightsResult holds the rows of a raw Logs Insights query.
type InsightsResult struct {
	Rows  []map[string]string `json:"rows"`
	Stats QueryStats          `json:"stats"`
}

// QueryStats reports the cost of a query, so users see what they paid for.
type QueryStats struct {
	RecordsMatched float64 `json:"records_matched,omitempty"`
	RecordsScanned float64 `json:"records_scanned,omitempty"`
	BytesScanned   float64 `json:"bytes_scanned,omitempty"`
	// Partial is set when the query did not cover everything, with the reason.
	Partial string `json:"partial,omitempty"`
	// Warnings name input that was skipped, such as malformed snapshot lines.
	Warnings []string `json:"warnings,omitempty"`
}
