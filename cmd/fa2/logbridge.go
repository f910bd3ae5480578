package main

import (
	"log"
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
