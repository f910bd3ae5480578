package main

import (
	"log"
	"log/slog"
	"strings"

	"github.com/rs/zerolog"
)

// zerologStd adapts zerolog to the standard logger mcp-go's stdio server
// takes, so its messages also go to stderr in fa2's format.
func zerologStd(l zerolog.Logger) *log.Logger {
	return log.New(zerologWriter{l}, "", 0)
}

type zerologWriter struct{ l zerolog.Logger }

func (w zerologWriter) Write(p []byte) (int, error) {
	w.l.Warn().Str("component", "mcp").Msg(strings.TrimSpace(string(p)))
	return len(p), nil
}

// zerologSlog adapts zerolog to the slog logger mcp-go's HTTP server takes.
// Its info messages (one per expired session) are routine, so only
// warnings and errors come through.
func zerologSlog(l zerolog.Logger) *slog.Logger {
	return slog.New(slog.NewTextHandler(zerologWriter{l}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
