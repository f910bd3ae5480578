package config

import "time"

// Sessions configures where investigation sessions (Slack threads, follow-ups) are kept.
type Sessions struct {
	Backend string   `yaml:"backend" doc:"bolt (a file on local disk) or dynamodb (shared by replicas)"`
	Path    string   `yaml:"path" doc:"bolt file (default: fa2-sessions.db in the working directory)"`
	Table   string   `yaml:"table" doc:"DynamoDB table (partition key pk, string; TTL attribute expires)"`
	Region  string   `yaml:"region" doc:"DynamoDB region when it differs from region"`
	TTL     Duration `yaml:"ttl" doc:"how long a session (and follow-ups in its thread) is kept"`
}

func defaultSessions() Sessions {
	return Sessions{Backend: "bolt", Path: "fa2-sessions.db", TTL: Duration(7 * 24 * time.Hour)}
}

// validate reports bad values through bad, naming the key.
func (s *Sessions) validate(bad func(key, format string, args ...any)) {
	switch s.Backend {
	case "bolt":
		if s.Path == "" {
			bad("sessions.path", "must name a file for the bolt backend")
		}
	case "dynamodb":
		if s.Table == "" {
			bad("sessions.table", "must name a DynamoDB table for the dynamodb backend")
		}
	default:
		bad("sessions.backend", "%q is not a backend; use bolt or dynamodb", s.Backend)
	}
	if s.TTL < Duration(time.Hour) {
		bad("sessions.ttl", "%s is too short for follow-ups; use 1h or more", s.TTL)
	}
}
